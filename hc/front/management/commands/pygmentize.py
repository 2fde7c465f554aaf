"""Highlight the usage example snippets into templates (web spec §7.2).

    ./manage.py pygmentize

Writes templates/front/snippets/<name>.html from hc/front/usage_examples/;
run it after editing a snippet and commit the result. A test fails while
the committed files differ from what this would write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from hc.front.usage_examples import SNIPPETS, render, target


class Command(BaseCommand):
    help = "Pre-render the usage example snippets with Pygments."

    def handle(self, *args: Any, **options: Any) -> None:
        templates_dir = Path(settings.BASE_DIR) / "templates"
        for snippet in SNIPPETS:
            path = target(snippet, templates_dir)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(snippet))
            self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")

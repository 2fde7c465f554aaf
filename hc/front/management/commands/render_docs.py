"""`manage.py render_docs`: turn the Markdown docs into the HTML fragments the server reads.

Run it after editing anything in templates/docs/*.md and commit the
`.html-fragment` files it writes (then run populate_searchdb). Fragments
whose Markdown source is gone are removed. With --check nothing is written:
the command fails if any fragment differs from what it would write.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hc.front import docs


class Command(BaseCommand):
    help = "Render templates/docs/*.md into .html-fragment files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only report stale fragments, write nothing."
        )

    def handle(self, **options: Any) -> str:
        sources = docs.sources()
        stale: list[str] = []
        for slug, source in sources.items():
            html = docs.render_markdown(source.read_text(encoding="utf-8"))
            target = docs.fragment_path(slug)
            if target.exists() and target.read_text(encoding="utf-8") == html:
                continue
            stale.append(target.name)
            if not options["check"]:
                target.write_text(html, encoding="utf-8")
        for orphan in docs.docs_dir().glob(f"*{docs.FRAGMENT_SUFFIX}"):
            if orphan.name.removesuffix(docs.FRAGMENT_SUFFIX) not in sources:
                stale.append(orphan.name)
                if not options["check"]:
                    orphan.unlink()
        if options["check"]:
            if stale:
                raise CommandError("Stale documentation fragments: " + ", ".join(sorted(stale)))
            return f"All {len(sources)} fragments are up to date."
        return f"Rendered {len(sources)} pages, {len(stale)} fragments changed."

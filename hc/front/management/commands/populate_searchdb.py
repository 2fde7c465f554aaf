"""`manage.py populate_searchdb`: rebuild templates/docs/search.db, the docs search index.

Run it after render_docs and commit search.db. The index is an SQLite FTS5
table docs(slug, title, body) built from the rendered fragments, without
code blocks and without the pages of the old API versions.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from hc.front import docs


class Command(BaseCommand):
    help = "Build the documentation search index (templates/docs/search.db)."

    def handle(self, **options: Any) -> str:
        target = docs.search_db_path()
        # Build next to the target and swap it in, so a running server never
        # reads a half-written index.
        scratch = target.with_name(target.name + ".new")
        count = docs.build_search_db(scratch)
        os.replace(scratch, target)
        return f"Indexed {count} pages into {target.name}."

"""`manage.py pruneobjects`: remove ping bodies of checks that no longer exist.

Deleting a check leaves its bodies in object storage (deletion stays fast);
this command, run monthly, removes every top-level `<uuid>/` prefix whose check
is gone. Names that are not check prefixes are somebody else's: left alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand

from hc.api.models import Check
from hc.lib import s3


class Command(BaseCommand):
    help = "Remove object storage prefixes of deleted checks."

    def handle(self, **options: Any) -> str:
        if not s3.enabled():
            return "Object storage is not configured"

        # The inventory comes first: a check created after it still has its
        # prefix spared by the second look below.
        existing = set(Check.objects.values_list("code", flat=True))
        staged: dict[uuid.UUID, str] = {}
        for prefix in s3.top_level_prefixes():
            code = s3.check_code_of(prefix)
            if code is not None and code not in existing:
                staged[code] = prefix
        for code in Check.objects.filter(code__in=list(staged)).values_list("code", flat=True):
            del staged[code]

        self.stdout.write(f"{len(staged)} prefixes staged for deletion")
        for prefix in staged.values():
            self.stdout.write(f"Removing {prefix}")
            for failure in s3.remove_prefix(prefix):
                self.stdout.write(f"Could not remove {failure}")
        return "Done!"

"""`manage.py prunepingsslow`: enforce ping retention for every busy check.

Pings are normally pruned by the check's own pinging (every 100th ping), so a
check that went quiet, or whose owner lowered the ping log limit, keeps more
than it should until this runs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand

from hc.api.models import Check
from hc.api.services.pings import PRUNE_EVERY, prune_check

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Prune old pings (and their stored bodies) of every check, one check at a time."

    def handle(self, **options: Any) -> str:
        # Sorted here, not by the database: MariaDB orders its native UUID
        # type by a different byte order than the text form.
        codes = sorted(Check.objects.filter(n_pings__gt=PRUNE_EVERY).values_list("code", flat=True))
        for code in codes:
            # Fresh for each check: it may be gone, or have more pings, by now.
            row = Check.objects.filter(code=code).values_list("id", "n_pings").first()
            if row is None:
                continue
            self.stdout.write(f"Pruning: {code}")
            try:
                prune_check(*row, wait=True)
            except Exception:
                # One bad check must not stop the retention of all the others.
                logger.exception("Could not prune the pings of %s", code)
        return "Done!"

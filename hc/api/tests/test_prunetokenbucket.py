"""`manage.py prunetokenbucket` (monitoring spec §8.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase

from hc.api.models import TokenBucket

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class PruneTokenBucketTestCase(TestCase):
    def run_command(self) -> str:
        out = StringIO()
        with time_machine.travel(NOW, tick=False):
            call_command("prunetokenbucket", stdout=out)
        return out.getvalue()

    def test_it_deletes_entries_unused_for_over_a_day(self) -> None:
        for key, age in [("old", timedelta(days=3)), ("day", timedelta(days=1, seconds=1))]:
            TokenBucket.objects.create(value=key, tokens=0.0, updated=NOW - age)
        TokenBucket.objects.create(value="exactly", updated=NOW - timedelta(days=1))
        TokenBucket.objects.create(value="recent", updated=NOW - timedelta(hours=23))

        self.assertEqual(self.run_command(), "Done! Pruned 2 token bucket entries\n")
        kept = TokenBucket.objects.values_list("value", flat=True)
        self.assertEqual(sorted(kept), ["exactly", "recent"])

    def test_nothing_to_prune(self) -> None:
        self.assertEqual(self.run_command(), "Done! Pruned 0 token bucket entries\n")

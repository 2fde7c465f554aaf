"""The checks page and its status answer cost a fixed number of queries (web spec §6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hc.api.models import Channel, Check, CheckKind, CheckStatus
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class ChecksQueriesTestCase(BaseTestCase):
    def add_checks(self, n: int) -> None:
        channels = [
            Channel.objects.create(project=self.project, kind=kind)
            for kind in ("email", "webhook", "group")
        ]
        for i in range(n):
            check = Check.objects.create(
                project=self.project,
                name=f"check {i}",
                slug=f"check-{i}",
                tags=f"t{i % 4} all",
                desc="x",
                kind=CheckKind.CRON if i % 2 else CheckKind.SIMPLE,
                schedule="*/5 * * * *",
                status=CheckStatus.UP,
                last_ping=NOW - timedelta(minutes=i),
                last_start=NOW if i % 5 == 0 else None,
                last_duration=timedelta(seconds=i),
            )
            check.channel_set.set(channels[: i % 4])

    def count(self, path: str) -> int:
        self.client.force_login(self.bob)
        self.client.get(path)  # the session's daily note is written on the first visit
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_the_page_does_not_query_per_check(self) -> None:
        path = f"/projects/{self.project.code}/checks/?sort=name&tag=all"
        self.add_checks(2)
        few = self.count(path)
        self.add_checks(30)
        self.assertEqual(self.count(path), few)
        # session, user, project, membership, viewer's profile, channels, links,
        # checks, owner's check limit, checks used, the zone pickers' common zones,
        # the Integrations tab's warning
        self.assertLessEqual(few, 12)

    def test_the_status_answer_does_not_query_per_check(self) -> None:
        path = f"/projects/{self.project.code}/checks/status/"
        self.add_checks(2)
        few = self.count(path)
        since = f"?since={NOW.timestamp() - 60}"
        few_since = self.count(path + since)
        self.add_checks(30)
        self.assertEqual(self.count(path), few)
        self.assertEqual(self.count(path + since), few_since)
        self.assertEqual(few_since, few + 1)  # the recent flips

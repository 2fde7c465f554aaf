"""The checks page's live status JSON, whole and since a token (web spec §6.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.test import override_settings

from hc.api.models import Check, CheckStatus, Flip, PingKind
from hc.api.services.checks import do_pause_check
from hc.api.services.pings import ByCode, Signal, do_record_ping
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@override_settings(SITE_NAME="Example")
class ChecksStatusTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.traveller = time_machine.travel(NOW, tick=False)
        self.clock = self.traveller.start()
        self.addCleanup(self.traveller.stop)
        self.up = Check.objects.create(
            project=self.project,
            name="up",
            tags="db prod",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(hours=2),
            last_duration=timedelta(seconds=8),
        )
        self.up.alert_after = self.up.going_down_after()
        self.up.save()
        self.down = Check.objects.create(
            project=self.project, name="down", tags="db", status=CheckStatus.DOWN
        )
        self.new = Check.objects.create(project=self.project, name="new")

    def url(self, query: str = "") -> str:
        return f"/projects/{self.project.code}/checks/status/{query}"

    def poll(self, query: str = "", user: str = "bob") -> Any:
        self.client.force_login(getattr(self, user))
        response = self.client.get(self.url(query))
        self.assertEqual(response.status_code, 200)
        return self.json(response)

    def codes(self, data: Any) -> set[str]:
        return {row["code"] for row in data["details"]}

    def test_anonymous_visitors_get_403_json(self) -> None:
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.json(response), {"error": "login required"})

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_answers_every_row_without_since(self) -> None:
        data = self.poll(user="rose")
        self.assertEqual(
            data["details"],
            [
                {
                    "code": str(self.up.code),
                    "status": "up",
                    "last_ping": (
                        '<button type="button" class="last-ping"><span class="ago" '
                        f'data-ts="{(NOW - timedelta(hours=2)).timestamp():.6f}" '
                        'data-fmt="title">2 hours ago</span><span class="duration">'
                        '<i class="bi bi-stopwatch" aria-hidden="true"></i> 8 sec</span></button>'
                    ),
                    "started": False,
                },
                {
                    "code": str(self.down.code),
                    "status": "down",
                    "last_ping": '<span class="never">Never</span>',
                    "started": False,
                },
                {
                    "code": str(self.new.code),
                    "status": "new",
                    "last_ping": '<span class="never">Never</span>',
                    "started": False,
                },
            ],
        )
        self.assertEqual(data["tags"], {"db": ["down", "1 of 2 down"], "prod": ["up", "1 up"]})
        self.assertEqual(data["title"], "1 down \u2013 Example")
        self.assertEqual(data["since"], f"{NOW.timestamp():.6f}")

    def test_other_projects_checks_are_not_included(self) -> None:
        Check.objects.create(project=self.charlies_project)
        self.assertEqual(len(self.poll()["details"]), 3)

    def test_nothing_changed_means_no_rows_but_tags_and_title(self) -> None:
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        data = self.poll(f"?since={token}")
        self.assertEqual(data["details"], [])
        self.assertEqual(data["tags"]["db"], ["down", "1 of 2 down"])
        self.assertEqual(data["title"], "1 down \u2013 Example")
        self.assertEqual(data["since"], f"{(NOW + timedelta(seconds=3)).timestamp():.6f}")

    def test_a_ping_sends_that_row_only(self) -> None:
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        do_record_ping(ByCode(self.down.code), Signal(kind=PingKind.SUCCESS))
        self.clock.shift(timedelta(seconds=3))
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.down.code)})
        (row,) = data["details"]
        self.assertEqual(row["status"], "up")
        self.assertIn(">just now</span>", row["last_ping"])
        self.assertEqual(data["title"], "Example")
        self.assertEqual(data["tags"]["db"], ["up", "2 up"])
        # The next poll, past the overlap, has nothing new.
        self.clock.shift(timedelta(seconds=3))
        self.assertEqual(self.poll(f"?since={data['since']}")["details"], [])

    def test_a_start_sends_the_row_with_started(self) -> None:
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        do_record_ping(ByCode(self.up.code), Signal(kind=PingKind.START))
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.up.code)})
        self.assertTrue(data["details"][0]["started"])

    def test_a_change_just_before_the_token_is_sent_again(self) -> None:
        # A ping stamped a moment before the previous answer may have been
        # committed after it: the overlap covers it.
        Check.objects.filter(id=self.new.id).update(
            status=CheckStatus.UP, last_ping=NOW - timedelta(seconds=1)
        )
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        self.assertEqual(self.codes(self.poll(f"?since={token}")), {str(self.new.code)})

    def test_a_pause_sends_the_row(self) -> None:
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        do_pause_check(self.up)
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.up.code)})
        self.assertEqual(data["details"][0]["status"], "paused")

    def test_a_recorded_flip_sends_the_row(self) -> None:
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        Check.objects.filter(id=self.new.id).update(status=CheckStatus.DOWN)
        Flip.objects.create(
            owner=self.new, created=NOW + timedelta(seconds=2), old_status="new", new_status="down"
        )
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.new.code)})
        self.assertEqual(data["details"][0]["status"], "down")

    def test_a_passing_deadline_sends_the_row(self) -> None:
        # Period 1 day, grace 1 hour: late at 22 h after "now", down at 23 h.
        self.clock.move_to(NOW + timedelta(hours=21, minutes=59, seconds=58))
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=5))
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.up.code)})
        self.assertEqual(data["details"][0]["status"], "grace")
        self.assertEqual(data["tags"]["prod"], ["grace", "1 up"])
        # An hour later it is down, with no write in between.
        token = data["since"]
        self.clock.shift(timedelta(hours=1))
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.up.code)})
        self.assertEqual(data["details"][0]["status"], "down")
        self.assertEqual(data["title"], "2 down \u2013 Example")

    def test_a_run_past_its_grace_turns_down(self) -> None:
        Check.objects.filter(id=self.up.id).update(
            last_start=NOW - timedelta(minutes=59, seconds=59)
        )
        token = self.poll()["since"]
        self.clock.shift(timedelta(seconds=3))
        data = self.poll(f"?since={token}")
        self.assertEqual(self.codes(data), {str(self.up.code)})
        self.assertEqual(data["details"][0]["status"], "down")

    def test_bad_since_values_get_400(self) -> None:
        self.client.force_login(self.bob)
        future = (NOW + timedelta(days=2)).timestamp()
        for value in ("abc", "", "nan", "inf", "1e400", "1000", str(future)):
            with self.subTest(value=value):
                response = self.client.get(self.url(f"?since={value}"))
                self.assertEqual(response.status_code, 400)
                self.assertIn("since", self.json(response)["error"])

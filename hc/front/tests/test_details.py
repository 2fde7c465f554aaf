"""The check details page (web spec §7.1-§7.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hc.accounts.models import Profile
from hc.api.models import Channel, Check, CheckKind, CheckStatus, Flip, Ping, PingKind
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
DASH = "\u2013"


def add_ping(check: Check, created: datetime, **fields: object) -> Ping:
    check.n_pings += 1
    check.save(update_fields=["n_pings"])
    return Ping.objects.create(owner=check, n=check.n_pings, created=created, **fields)


@time_machine.travel(NOW, tick=False)
class DetailsPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project, name="db backup", slug="db-backup", tags="db prod"
        )
        self.url = f"/checks/{self.check_.code}/details/"
        self.client.force_login(self.alice)

    def get(self) -> str:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_shows_the_check_with_its_ping_addresses(self) -> None:
        html = self.get()
        self.assertIn(f"<title>db backup {DASH} ", html)
        self.assertIn(f"http://localhost:8000/ping/{self.check_.code}", html)
        self.assertIn(f"{self.check_.code}@localhost", html)
        self.assertIn('<span class="badge tag">prod</span>', html)
        self.assertIn("(edit…)", html)
        self.assertIn("Danger Zone", html)
        self.assertIn('id="name-modal"', html)
        self.assertIn('id="schedule-modal"', html)

    def test_the_title_says_down(self) -> None:
        self.check_.status = CheckStatus.DOWN
        self.check_.save()
        html = self.get()
        self.assertIn(f"<title>DOWN {DASH} db backup {DASH} ", html)
        self.assertIn("favicon-down.svg", html.split('id="favicon"')[1][:200])

    def test_an_unnamed_check_is_titled_by_its_uuid(self) -> None:
        self.check_.name = ""
        self.check_.save()
        self.assertIn(f"<title>{self.check_.code} {DASH} ", self.get())

    def test_read_only_members_see_no_controls(self) -> None:
        self.check_.desc = "nightly"
        self.check_.save()
        self.client.force_login(self.rose)
        html = self.get()
        self.assertIn("nightly", html)
        for text in ("(edit…)", "Danger Zone", "Change Schedule…", "Filtering Rules…", "Pause"):
            self.assertNotIn(text, html)
        self.assertNotIn('id="name-modal"', html)
        self.assertIn("Ping Now!", html)

    def test_read_only_members_see_no_empty_description(self) -> None:
        self.client.force_login(self.rose)
        self.assertNotIn("Description", self.get())
        self.client.force_login(self.bob)
        self.assertIn("Add description…", self.get())

    def test_the_description_is_escaped_and_linked(self) -> None:
        self.check_.desc = "<b>see</b> https://example.org/runbook\n\nsecond paragraph"
        self.check_.save()
        html = self.get()
        self.assertIn("&lt;b&gt;see&lt;/b&gt;", html)
        self.assertIn('<a href="https://example.org/runbook" rel="nofollow">', html)
        self.assertIn("<p>second paragraph</p>", html)
        self.assertIn("Edit Description…", html)

    def test_post_only_checks_say_so(self) -> None:
        self.check_.methods = "POST"
        self.check_.save()
        self.assertIn("sending HTTP POST requests", self.get())

    def test_slug_urls(self) -> None:
        self.project.show_slugs = True
        self.project.save()
        html = self.get()
        self.assertIn("http://localhost:8000/ping/abcdefghij0123456789ab/db-backup", html)
        self.assertIn("abcdefghij0123456789ab+db-backup@localhost", html)

    def test_slug_urls_without_a_slug(self) -> None:
        self.project.show_slugs = True
        self.project.save()
        self.check_.slug = ""
        self.check_.save()
        html = self.get()
        self.assertEqual(html.count("(unavailable, set slug first)"), 2)
        self.assertNotIn("Ping Now!", html)
        # The usage examples fall back to the UUID URL.
        self.assertIn(f"http://localhost:8000/ping/{self.check_.code}", html)

    def test_slug_urls_without_a_ping_key(self) -> None:
        self.project.show_slugs = True
        self.project.ping_key = None
        self.project.save()
        html = self.get()
        self.assertIn("/ping/{ping_key}/db-backup", html)
        self.assertIn("Ping Key Required", html)
        self.assertIn("Create one in the project settings", html)
        self.assertNotIn('id="ping-now"', html)
        self.client.force_login(self.rose)
        html = self.get()
        self.assertNotIn("Ping Now!", html)
        self.assertNotIn("Ping Key Required", html)

    def test_the_url_style_switch_is_saved_on_the_project(self) -> None:
        response = self.client.get(self.url + "?urls=slug")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.project.refresh_from_db()
        self.assertTrue(self.project.show_slugs)
        self.client.get(self.url + "?urls=uuid")
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)

    def test_read_only_members_cannot_switch_the_url_style(self) -> None:
        self.client.force_login(self.rose)
        self.client.get(self.url + "?urls=slug")
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)

    def test_an_unknown_url_style_changes_nothing(self) -> None:
        response = self.client.get(self.url + "?urls=nonsense")
        self.assertEqual(response.status_code, 302)
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)

    def test_copied_shows_the_alert(self) -> None:
        self.assertNotIn("Copy created!", self.get())
        self.url += "?copied=1"
        self.assertIn("Copy created!", self.get())

    def test_copy_is_offered_only_with_a_free_slot(self) -> None:
        self.assertIn("Create a Copy…", self.get())
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        self.assertNotIn("Create a Copy…", self.get())

    def test_schedule_block(self) -> None:
        html = self.get()
        self.assertIn('<th scope="row">Period</th><td>1 day', html)
        self.assertIn('data-kind="simple" data-timeout="86400" data-grace="3600"', html)
        self.check_.kind = CheckKind.ONCALENDAR
        self.check_.schedule = "Mon *-*-* 02:00\nFri *-*-* 03:00"
        self.check_.tz = "Europe/Riga"
        self.check_.save()
        html = self.get()
        self.assertIn("OnCalendar Expr.", html)
        self.assertIn("Mon *-*-* 02:00\nFri *-*-* 03:00", html)
        self.assertIn('<th scope="row">Time Zone</th><td>Europe/Riga</td>', html)

    def test_zone_switcher_lists_utc_the_viewer_and_the_schedule(self) -> None:
        Profile.objects.filter(user=self.alice).update(tz="America/New_York")
        self.check_.kind = CheckKind.CRON
        self.check_.tz = "Europe/Riga"
        self.check_.save()
        html = self.get()
        switcher = html[html.index('class="btn-group btn-group-sm tz-switcher"') :]
        zones = [part.split('"')[0] for part in switcher.split('data-tz="')[1:4]]
        self.assertEqual(zones[:3], ["UTC", "America/New_York", "Europe/Riga"])
        self.assertIn('data-tz="Europe/Riga" aria-pressed="true"', html)

    def test_integrations_are_listed_on_and_off(self) -> None:
        on = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        on.checks.add(self.check_)
        Channel.objects.create(project=self.project, kind="webhook", name="Deploy hook")
        Channel.objects.create(project=self.project, kind="group", name="Night shift")
        html = self.get()
        self.assertIn("Alerts through ops@example.org: on", html)
        self.assertIn("Alerts through Deploy hook: off", html)
        self.assertIn("Notification Groups", html)
        self.assertIn(f"/checks/{self.check_.code}/channels/{on.code}/enabled", html)

    def test_without_integrations_it_points_to_the_integrations_page(self) -> None:
        self.assertIn("This project has no integrations", self.get())

    def test_events_put_a_flip_above_the_ping_that_caused_it(self) -> None:
        moment = NOW - timedelta(minutes=5)
        add_ping(self.check_, moment, scheme="https", method="POST", remote_addr="203.0.113.7")
        Flip.objects.create(owner=self.check_, created=moment, old_status="new", new_status="up")
        html = self.get()
        self.assertLess(html.index('class="event flip-row"'), html.index('data-n="1"'))
        self.assertIn("HTTPS POST from 203.0.113.7", html)
        self.assertIn("<b>new</b>", html)

    def test_it_shows_the_30_newest_events(self) -> None:
        for i in range(40):
            add_ping(self.check_, NOW - timedelta(minutes=40 - i))
        html = self.get()
        self.assertEqual(html.count('class="event ping-row"'), 30)
        self.assertIn('data-n="40"', html)
        self.assertNotIn('data-n="10"', html)
        self.assertIn("Show More…", html)

    def test_an_empty_log_says_so(self) -> None:
        html = self.get()
        self.assertIn('class="events-empty" id="events-empty"', html)
        self.assertIn('data-updated="1"', html)

    def test_query_count_does_not_grow_with_the_events(self) -> None:
        for i in range(5):
            add_ping(self.check_, NOW - timedelta(minutes=50 - i))
        self.get()  # the first visit of the day also updates the profile
        with CaptureQueriesContext(connection) as few:
            self.get()
        for i in range(5, 50):
            add_ping(self.check_, NOW - timedelta(minutes=50 - i), kind=PingKind.START)
            Flip.objects.create(owner=self.check_, created=NOW, old_status="up", new_status="down")
        with CaptureQueriesContext(connection) as many:
            self.get()
        self.assertEqual(len(few.captured_queries), len(many.captured_queries))

    @override_settings(SITE_NAME="Pings")
    def test_it_counts_the_visit(self) -> None:
        self.get()
        profile = Profile.objects.get(user=self.alice)
        self.assertEqual(profile.last_active_date, NOW)
        self.assertEqual(self.client.session["last_project"], str(self.project.code))

    def test_other_projects_checks_are_not_found(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)


@time_machine.travel(NOW, tick=False)
class StatusTextTestCase(BaseTestCase):
    """The sentences of web spec §7.3."""

    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="job")
        self.client.force_login(self.alice)

    def text(self, **fields: object) -> str:
        Check.objects.filter(id=self.check_.id).update(**fields)
        response = self.client.get(f"/checks/{self.check_.code}/details/")
        html: str = response.content.decode()
        start = html.index('id="status-text"')
        return html[start : html.index("</div>", start)]

    def test_statuses(self) -> None:
        hour_ago = NOW - timedelta(hours=1)
        cases: list[tuple[dict[str, Any], str]] = [
            (
                {"status": "up", "last_ping": hour_ago},
                'is <strong class="status-word up">up</strong>. Last ping: an hour ago.',
            ),
            (
                {"status": "down", "last_ping": hour_ago},
                'is <strong class="status-word down">down</strong>. Last ping: an hour ago.',
            ),
            (
                {"status": "up", "last_ping": NOW - timedelta(days=1, minutes=30)},
                'is <strong class="status-word grace">late</strong>. Last ping: 1',
            ),
            ({"status": "paused"}, "This check is <strong>paused</strong>."),
            ({"status": "new", "n_pings": 3}, "This check is ready for pings."),
            ({"status": "new", "n_pings": 0}, "This check has not received any pings yet."),
        ]
        for fields, expected in cases:
            with self.subTest(fields=fields):
                self.assertIn(expected, self.text(**fields))

    def test_paused_with_manual_resume_offers_resume_to_writers(self) -> None:
        text = self.text(status="paused", manual_resume=True)
        self.assertIn("ignores pings until someone resumes it", text)
        self.assertIn("(Resume Now)", text)
        self.assertIn(f'action="/checks/{self.check_.code}/resume/"', text)
        self.client.force_login(self.rose)
        self.assertNotIn("(Resume Now)", self.text())

    def test_a_paused_check_with_a_running_job_is_ready_for_pings(self) -> None:
        text = self.text(status="paused", last_start=NOW - timedelta(seconds=65))
        self.assertIn("This check is ready for pings.", text)
        self.assertIn("A run is in progress: it started 1 min 5 sec ago.", text)

    def test_a_run_that_outlived_its_grace_time_is_down(self) -> None:
        text = self.text(status="new", last_start=NOW - timedelta(hours=2))
        self.assertIn('is <strong class="status-word down">down</strong>.', text)
        self.assertNotIn("in progress", text)


class DowntimeTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    @time_machine.travel(datetime(2025, 3, 10, 12, 0, tzinfo=UTC), tick=False)
    def test_it_lists_three_months_of_downtime(self) -> None:
        check = Check.objects.create(
            project=self.project, created=datetime(2025, 2, 3, tzinfo=UTC), status="up"
        )
        # Down for two hours on February 20th.
        down = datetime(2025, 2, 20, 10, 0, tzinfo=UTC)
        Flip.objects.create(owner=check, created=down, old_status="up", new_status="down")
        Flip.objects.create(
            owner=check, created=down + timedelta(hours=2), old_status="down", new_status="up"
        )
        html = self.client.get(f"/checks/{check.code}/details/").content.decode()
        self.assertIn('<th scope="row">March 2025</th>\n      <td>All good!</td>', html)
        # 2 hours of February's 672: 99.70% uptime (truncated).
        self.assertIn(
            '<th scope="row">Feb. 2025</th>\n      <td>1 downtime, 2 hours total '
            '<span class="uptime">99.70% uptime</span>',
            html,
        )
        self.assertIn(
            f'<th scope="row">Jan. 2025</th>\n      <td><span class="text-body-secondary">{DASH}</span>',
            html,
        )

    @time_machine.travel(datetime(2025, 3, 1, 0, 30, tzinfo=UTC), tick=False)
    def test_months_follow_the_viewers_time_zone(self) -> None:
        Profile.objects.filter(user=self.alice).update(tz="America/New_York")
        check = Check.objects.create(project=self.project, created=datetime(2024, 1, 1, tzinfo=UTC))
        html = self.client.get(f"/checks/{check.code}/details/").content.decode()
        # Still February in New York.
        self.assertIn("Feb. 2025", html)
        self.assertIn("Dec. 2024", html)
        self.assertNotIn("March 2025", html)

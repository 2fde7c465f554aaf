"""The projects overview at "/" and its JSON refresh (web spec §5.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from hc.accounts.activity import do_note_visit
from hc.accounts.models import Member, Profile, Project, Role
from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def make_check(project: Project, **fields: object) -> Check:
    """A check whose stored deadline matches its state, as pings would leave it."""
    check = Check(project=project, **fields)
    check.alert_after = check.going_down_after()
    check.save()
    return check


@time_machine.travel(NOW, tick=False)
class IndexTestCase(BaseTestCase):
    def refresh(self) -> dict[str, dict[str, object]]:
        response = self.client.get("/?refresh=1")
        self.assertEqual(response.status_code, 200)
        data: dict[str, dict[str, object]] = self.json(response)
        return data

    def test_it_sends_anonymous_visitors_to_login(self) -> None:
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)

    def test_it_lists_owned_and_joined_projects_only(self) -> None:
        Project.objects.create(owner=self.charlie, name="Charlie's Secret", badge_key="c2")
        bobs = Project.objects.create(owner=self.bob, name="Bob's Own", badge_key="b")
        Member.objects.create(project=bobs, user=self.alice, role=Role.READONLY)
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, "My Projects")
        self.assertContains(response, "Alice&#x27;s Project")
        self.assertContains(response, "Bob&#x27;s Own")
        self.assertContains(response, "bob@example.org")
        self.assertNotContains(response, "Charlie&#x27;s Secret")
        self.assertContains(response, "New Project…")
        # The overview brings its own Create Project modal.
        self.assertContains(response, 'id="add-project-modal"')

    def test_members_see_the_project_with_its_owner(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.get("/")
        self.assertContains(response, "Alice&#x27;s Project")
        self.assertContains(response, "alice@example.org")

    def test_it_counts_checks_and_integrations(self) -> None:
        make_check(self.project, name="one")
        make_check(self.project, name="two")
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, "2 checks, 1 integration")
        self.assertNotContains(response, "1 integrations")

    def test_unnamed_projects_show_the_owners_email(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.get("/")
        self.assertContains(response, '<div class="project-card-name">charlie@example.org</div>')
        self.assertContains(response, "0 checks, 0 integrations")

    def test_projects_with_down_checks_come_first_then_by_name(self) -> None:
        names = ["beta", "Alpha", "delta", "Gamma"]
        for name in names:
            Project.objects.create(owner=self.alice, name=name, badge_key=name)
        delta = Project.objects.get(name="delta")
        make_check(delta, status=CheckStatus.DOWN)
        gamma = Project.objects.get(name="Gamma")
        make_check(gamma, status=CheckStatus.DOWN)
        self.client.force_login(self.alice)
        text = self.client.get("/").content.decode()
        order = ["delta", "Gamma", "Alice&#x27;s Project", "Alpha", "beta"]
        positions = [text.index(f'<div class="project-card-name">{n}</div>') for n in order]
        self.assertEqual(positions, sorted(positions))

    def test_it_shows_aggregate_icons_and_the_down_favicon(self) -> None:
        make_check(self.project, status=CheckStatus.DOWN)
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, 'class="status-icon bi bi-bell-fill down"')
        self.assertContains(response, "favicon-down.svg", count=2)

    def test_it_uses_the_normal_favicon_when_nothing_is_down(self) -> None:
        make_check(self.project, status=CheckStatus.UP, last_ping=NOW)
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, 'class="status-icon bi bi-check-circle-fill up"')
        self.assertContains(response, 'href="/static/img/favicon.svg"')

    def test_it_shows_the_running_indicator(self) -> None:
        make_check(self.project, status=CheckStatus.UP, last_ping=NOW, last_start=NOW)
        self.client.force_login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, '<span class="running-dots" aria-hidden="true">')

    def test_it_highlights_the_project_visited_last(self) -> None:
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get("/"), "last-visited")
        self.client.get(f"/projects/{self.project.code}/checks/")
        response = self.client.get("/")
        self.assertContains(response, "project-card last-visited", count=1)

    def test_it_refreshes_the_last_active_date_once_a_day(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")
        profile = Profile.objects.get(user=self.alice)
        self.assertEqual(profile.last_active_date, NOW)
        with time_machine.travel(NOW + timedelta(hours=23), tick=False):
            self.client.get("/")
        profile.refresh_from_db()
        self.assertEqual(profile.last_active_date, NOW)
        with time_machine.travel(NOW + timedelta(hours=25), tick=False):
            self.client.get("/")
        profile.refresh_from_db()
        self.assertEqual(profile.last_active_date, NOW + timedelta(hours=25))

    def test_within_a_day_the_session_spares_the_profile_query(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")
        request = RequestFactory().get("/")
        request.session = self.client.session
        request.session.items()  # Load it now, outside the counted block.
        with self.assertNumQueries(0):
            do_note_visit(request, self.alice)

    def test_refresh_reports_up_late_down_and_running(self) -> None:
        self.client.force_login(self.alice)
        up = Project.objects.create(owner=self.alice, name="up", badge_key="up")
        make_check(up, status=CheckStatus.UP, last_ping=NOW - timedelta(hours=1))
        make_check(up, status=CheckStatus.NEW)
        make_check(up, status=CheckStatus.PAUSED)
        late = Project.objects.create(owner=self.alice, name="late", badge_key="late")
        # Daily check, last ping 24.5 hours ago: past its deadline, within grace.
        make_check(late, status=CheckStatus.UP, last_ping=NOW - timedelta(hours=24, minutes=30))
        make_check(late, status=CheckStatus.UP, last_ping=NOW)
        down = Project.objects.create(owner=self.alice, name="down", badge_key="down")
        make_check(down, status=CheckStatus.UP, last_ping=NOW - timedelta(hours=24, minutes=30))
        make_check(down, status=CheckStatus.DOWN)
        running = Project.objects.create(owner=self.alice, name="running", badge_key="running")
        make_check(running, status=CheckStatus.NEW, last_start=NOW - timedelta(minutes=5))

        data = self.refresh()
        self.assertEqual(data[str(up.code)], {"status": "up", "started": False})
        self.assertEqual(data[str(late.code)], {"status": "grace", "started": False})
        self.assertEqual(data[str(down.code)], {"status": "down", "started": False})
        self.assertEqual(data[str(running.code)], {"status": "up", "started": True})
        # Projects without checks are left out.
        self.assertNotIn(str(self.project.code), data)

    def test_refresh_sees_deadlines_that_passed_since_the_last_ping(self) -> None:
        self.client.force_login(self.alice)
        make_check(self.project, status=CheckStatus.UP, last_ping=NOW - timedelta(hours=26))
        self.assertEqual(self.refresh()[str(self.project.code)]["status"], "down")

    def test_refresh_reports_an_overrun_start_signal_as_down(self) -> None:
        self.client.force_login(self.alice)
        make_check(self.project, status=CheckStatus.PAUSED, last_start=NOW - timedelta(hours=2))
        self.assertEqual(self.refresh()[str(self.project.code)]["status"], "down")

    def test_refresh_reports_cron_checks_late(self) -> None:
        self.client.force_login(self.alice)
        # Hourly at :50; last ping 11:00, so 11:50 was missed (grace: 1 hour).
        make_check(
            self.project,
            kind=CheckKind.CRON,
            schedule="50 * * * *",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(hours=1),
        )
        self.assertEqual(self.refresh()[str(self.project.code)]["status"], "grace")

    def test_refresh_leaves_out_other_peoples_projects(self) -> None:
        make_check(self.charlies_project, status=CheckStatus.DOWN)
        self.client.force_login(self.alice)
        self.assertNotIn(str(self.charlies_project.code), self.refresh())

    def test_query_count_does_not_grow_with_projects(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get("/").status_code, 200)
            return len(queries)

        baseline = count()
        for i in range(5):
            project = Project.objects.create(owner=self.alice, name=f"p{i}", badge_key=f"p{i}")
            make_check(project, status=CheckStatus.DOWN)
            Channel.objects.create(project=project, kind=ChannelKind.EMAIL)
        self.assertEqual(count(), baseline)

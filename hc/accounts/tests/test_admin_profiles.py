"""The Profile admin: list, search, filters and the operators' actions (web spec §13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hc.accounts.models import Member, Profile, Project, ReportFrequency, Role
from hc.accounts.tests.admin_helpers import AdminTestCase
from hc.api.models import Check, CheckStatus
from hc.test_smtp import SmtpSink

URL = "/admin/accounts/profile/"
NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)


class ProfileAdminTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.profile.refresh_from_db()

    def add_checks(self, project: Project, count: int, **fields: object) -> None:
        Check.objects.bulk_create(
            Check(project=project, name=f"job {i}", **fields) for i in range(count)
        )

    def add_accounts(self, count: int, start: int = 0) -> None:
        """Accounts on example.net, each with a project, a member and checks."""
        for i in range(start, start + count):
            user = self.make_user(f"load{i}")
            user.email = f"load{i}@example.net"
            user.save(update_fields=["email"])
            project = Project.objects.create(owner=user, name=f"P{i}", badge_key=f"load{i}")
            Member.objects.create(user=self.bob, project=project, role=Role.REGULAR)
            self.add_checks(project, 2)

    # Rendering and access --------------------------------------------------------

    def test_it_lists_profiles_with_usage_and_project_links(self) -> None:
        self.add_checks(self.project, 3)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alice@example.org")
        self.assertContains(response, "<strong>3 of 10000</strong>", html=True)
        self.assertContains(response, f'<a href="/projects/{self.project.code}/checks/">')
        self.assertContains(response, "Alice&#x27;s Project")
        # Charlie has no checks: not bold.
        self.assertContains(response, '<td class="field-checks">0 of 10000</td>', html=True)

    def test_it_renders_the_change_page_with_email_read_only(self) -> None:
        response = self.client.get(f"{URL}{self.profile.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alice@example.org")
        self.assertContains(response, "User Profile")
        self.assertContains(response, "Limits")
        self.assertContains(response, "Deletion")
        self.assertNotContains(response, 'name="email"')
        self.assertNotContains(response, 'name="totp"')

    def test_it_saves_the_change_page(self) -> None:
        response = self.client.get(f"{URL}{self.profile.id}/change/")
        form = response.context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(tz="Europe/Riga", nag_period="0:00:00", check_limit="50")
        response = self.client.post(f"{URL}{self.profile.id}/change/", data)
        self.assertEqual(response.status_code, 302)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.tz, "Europe/Riga")
        self.assertEqual(self.profile.check_limit, 50)

    def test_it_has_no_add_page(self) -> None:
        self.assertEqual(self.client.get(f"{URL}add/").status_code, 403)

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(URL)
        self.assert_login_required(f"{URL}{self.profile.id}/change/")

    def test_it_sends_anonymous_visitors_to_login(self) -> None:
        self.client.logout()
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/?next="))

    def test_it_shows_branding_and_version(self) -> None:
        response = self.client.get(URL)
        self.assertContains(response, f"{settings.SITE_NAME} Administration</title>")
        self.assertContains(response, '<small class="admin-version">')

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        self.add_accounts(1)
        with CaptureQueriesContext(connection) as one_row:
            response = self.client.get(URL, {"q": "example.net"})
        self.assertEqual(len(response.context["cl"].result_list), 1)
        self.add_accounts(9, start=1)
        with self.assertNumQueries(len(one_row)):
            response = self.client.get(URL, {"q": "example.net"})
        self.assertEqual(len(response.context["cl"].result_list), 10)
        self.assertContains(response, "<strong>2 of 10000</strong>", count=10, html=True)

    # Search and filters ----------------------------------------------------------

    def test_it_searches_by_email(self) -> None:
        response = self.client.get(URL, {"q": "alice@"})
        self.assertEqual([p.id for p in response.context["cl"].result_list], [self.profile.id])

    def test_it_searches_by_id(self) -> None:
        response = self.client.get(URL, {"q": str(self.profile.id)})
        self.assertIn(self.profile, response.context["cl"].result_list)
        self.assertEqual(len(response.context["cl"].result_list), 1)

    def test_non_numeric_search_is_not_an_error(self) -> None:
        response = self.client.get(URL, {"q": "no such 'thing"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["cl"].result_list), 0)

    def test_it_filters_by_check_count(self) -> None:
        self.add_checks(self.project, 11)
        self.add_checks(self.charlies_project, 10)
        response = self.client.get(URL, {"checks": "10"})
        self.assertEqual([p.id for p in response.context["cl"].result_list], [self.profile.id])
        response = self.client.get(URL, {"checks": "20"})
        self.assertEqual(len(response.context["cl"].result_list), 0)

    def test_unknown_check_count_threshold_shows_everyone(self) -> None:
        response = self.client.get(URL, {"checks": "bogus"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["cl"].result_list), Profile.objects.count())

    def test_it_filters_by_reports_and_check_limit(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.OFF, check_limit=5
        )
        response = self.client.get(URL, {"reports__exact": "off"})
        self.assertEqual([p.id for p in response.context["cl"].result_list], [self.profile.id])
        response = self.client.get(URL, {"check_limit": "5"})
        self.assertEqual([p.id for p in response.context["cl"].result_list], [self.profile.id])

    def test_it_filters_by_deletion_date(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            deletion_scheduled_date=timezone.now() + timedelta(days=3)
        )
        response = self.client.get(URL, {"deletion_scheduled_date__isnull": "False"})
        self.assertEqual([p.id for p in response.context["cl"].result_list], [self.profile.id])

    # Actions ---------------------------------------------------------------------

    def test_log_in_as_switches_to_the_selected_user(self) -> None:
        response = self.client.post(
            URL, {"action": "login_as", "_selected_action": [str(self.profile.id)]}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/")
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.id))

    def test_log_in_as_needs_exactly_one_profile(self) -> None:
        bobs = Profile.objects.get(user=self.bob)
        response = self.act(URL, "login_as", [self.profile, bobs])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Select exactly one profile to log in as.", self.messages_of(response))
        self.assertEqual(self.client.session["_auth_user_id"], str(self.operator.id))

    def test_log_in_as_is_for_superusers_only(self) -> None:
        staff = User.objects.create_user("staff", "staff@example.org", "password", is_staff=True)
        staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_profile"))
        self.client.force_login(staff)
        self.assertEqual(self.client.get(URL).status_code, 200)
        response = self.act(URL, "login_as", [self.profile])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.session["_auth_user_id"], str(staff.id))

    @time_machine.travel(NOW, tick=False)
    def test_send_report_now_mails_the_report(self) -> None:
        Check.objects.create(
            project=self.project,
            name="backup",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(hours=1),
        )
        response = self.act(URL, "send_report", [self.profile])
        self.assertIn("Sent 1 report(s); 0 had nothing to send.", self.messages_of(response))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["alice@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Monthly Report")
        self.assertIn("backup", str(mail.outbox[0].body))

    @time_machine.travel(NOW, tick=False)
    def test_send_report_now_goes_through_smtp(self) -> None:
        Check.objects.create(
            project=self.project,
            name="backup",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(hours=1),
        )
        with SmtpSink() as sink, override_settings(**sink.settings()):
            self.act(URL, "send_report", [self.profile])
            message = sink.wait(1)[0].message
        self.assertEqual(message["To"], "alice@example.org")
        self.assertEqual(message["Subject"], "Monthly Report")

    def test_send_report_now_skips_silent_accounts(self) -> None:
        response = self.act(URL, "send_report", [self.profile])
        self.assertIn("Sent 0 report(s); 1 had nothing to send.", self.messages_of(response))
        self.assertEqual(len(mail.outbox), 0)

    @override_settings(EMAIL_HOST="", EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    def test_send_report_now_reports_email_failures(self) -> None:
        Check.objects.create(
            project=self.project,
            status=CheckStatus.UP,
            last_ping=timezone.now() - timedelta(hours=1),
        )
        response = self.act(URL, "send_report", [self.profile])
        self.assertEqual(response.status_code, 200)
        self.assertIn("Could not send to: alice@example.org.", self.messages_of(response))

    @time_machine.travel(NOW, tick=False)
    def test_send_reminder_now_lists_checks_that_are_down(self) -> None:
        Check.objects.create(
            project=self.project,
            name="nightly",
            status=CheckStatus.DOWN,
            last_ping=NOW - timedelta(days=2),
        )
        response = self.act(URL, "send_reminder", [self.profile])
        self.assertIn("Sent 1 reminder(s); 0 had nothing to send.", self.messages_of(response))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "Reminder: 1 check still down")
        self.assertIn("nightly", str(mail.outbox[0].body))

    def test_remove_totp_clears_the_secret(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(
            totp="A" * 32, totp_created=timezone.now()
        )
        response = self.act(URL, "remove_totp", [self.profile])
        self.assertIn("Removed the authenticator app of 1 profile(s).", self.messages_of(response))
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.totp, "")
        self.assertIsNone(self.profile.totp_created)

    @time_machine.travel(NOW, tick=False)
    def test_schedule_for_deletion_sets_the_date_31_days_ahead(self) -> None:
        self.act(URL, "schedule_deletion", [self.profile])
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.deletion_scheduled_date, NOW + timedelta(days=31))
        bobs = Profile.objects.get(user=self.bob)
        self.assertIsNone(bobs.deletion_scheduled_date)

    def test_unschedule_clears_the_date(self) -> None:
        Profile.objects.filter(id=self.profile.id).update(deletion_scheduled_date=timezone.now())
        self.act(URL, "unschedule_deletion", [self.profile])
        self.profile.refresh_from_db()
        self.assertIsNone(self.profile.deletion_scheduled_date)

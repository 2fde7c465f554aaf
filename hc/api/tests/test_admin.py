"""The admin of monitoring data: checks, pings, channels, notifications, flips (web spec §13)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hc.accounts.models import Project
from hc.accounts.tests.admin_helpers import AdminTestCase
from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    CheckKind,
    CheckStatus,
    DeliveryAttempt,
    Flip,
    Notification,
    NotificationStatus,
    Ping,
    PingKind,
)

CHECKS = "/admin/api/check/"
PINGS = "/admin/api/ping/"
CHANNELS = "/admin/api/channel/"
NOTIFICATIONS = "/admin/api/notification/"
ATTEMPTS = "/admin/api/deliveryattempt/"
FLIPS = "/admin/api/flip/"


class MonitoringAdminTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        now = timezone.now()
        self.check = Check.objects.create(
            project=self.project,
            name="backup",
            slug="backup",
            tags="prod db",
            status=CheckStatus.UP,
            last_ping=now,
            n_pings=1,
        )
        self.cron = Check.objects.create(
            project=self.charlies_project,
            kind=CheckKind.CRON,
            schedule="0 3 * * 1-5 # a comment that makes it long",
        )
        self.ping = Ping.objects.create(
            owner=self.check, n=1, created=now, scheme="https", method="POST", ua="curl/8"
        )
        self.email = Channel.objects.create(
            project=self.project,
            kind=ChannelKind.EMAIL,
            config={"value": "ops@example.org", "up": True, "down": True},
        )
        self.webhook = Channel.objects.create(
            project=self.charlies_project,
            kind=ChannelKind.WEBHOOK,
            name="Hook",
            config={"url_down": "https://example.com/" + "x" * 200},
            last_notify=now,
            last_notify_duration=timedelta(seconds=7.25),
            last_error="Connection refused",
        )
        self.flip = Flip.objects.create(
            owner=self.check, created=now, old_status=CheckStatus.NEW, new_status=CheckStatus.UP
        )
        self.notification = Notification.objects.create(
            owner=self.check,
            flip=self.flip,
            check_status=NotificationStatus.UP,
            channel=self.email,
            error="",
        )
        DeliveryAttempt.objects.create(
            notification=self.notification,
            started=now,
            duration=timedelta(seconds=1),
            error="timed out",
        )

    def results(self, url: str, **params: str) -> list[int]:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return [obj.id for obj in response.context["cl"].result_list]


class CheckAdminTestCase(MonitoringAdminTestCase):
    def test_it_lists_checks(self) -> None:
        response = self.client.get(CHECKS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<span class="admin-tag">prod</span>', html=True)
        self.assertContains(response, "alice@example.org \u203a Alice&#x27;s Project")
        self.assertContains(response, f'href="/projects/{self.project.code}/checks/"')
        self.assertContains(response, '<td class="field-schedule_text">1 day</td>', html=True)
        self.assertContains(response, "0 3 * * 1-5 # a comment that \u2026")
        self.assertContains(response, '<span class="admin-status up">Up</span>', html=True)

    def test_it_renders_the_change_page(self) -> None:
        response = self.client.get(f"{CHECKS}{self.check.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(self.check.code))
        self.assertContains(response, 'class="vForeignKeyRawIdAdminField"')
        self.assertNotContains(response, 'name="code"')
        self.assertNotContains(response, 'name="badge_key"')

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(CHECKS)

    def test_it_searches(self) -> None:
        for term in ("backup", str(self.check.code), "alice@example.org"):
            with self.subTest(term=term):
                self.assertEqual(self.results(CHECKS, q=term), [self.check.id])
        self.assertIn(self.cron.id, self.results(CHECKS, q=str(self.cron.id)))

    def test_it_filters(self) -> None:
        self.assertEqual(self.results(CHECKS, status__exact="up"), [self.check.id])
        self.assertEqual(self.results(CHECKS, kind__exact="cron"), [self.cron.id])
        self.assertEqual(self.results(CHECKS, last_ping__isnull="True"), [self.cron.id])
        self.assertEqual(self.results(CHECKS, last_start__isnull="False"), [])

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        def add_check(i: int) -> None:
            project = Project.objects.create(owner=self.charlie, badge_key=f"load{i}")
            Check.objects.create(project=project, name=f"load {i}", tags="a b")

        add_check(0)
        with CaptureQueriesContext(connection) as one_row:
            self.assertEqual(len(self.results(CHECKS, q="load")), 1)
        for i in range(1, 10):
            add_check(i)
        with self.assertNumQueries(len(one_row)):
            self.assertEqual(len(self.results(CHECKS, q="load")), 10)


class PingAdminTestCase(MonitoringAdminTestCase):
    def test_it_lists_pings_without_counting_them(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(PINGS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "curl/8")
        ping_queries = [q["sql"] for q in queries if "api_ping" in q["sql"]]
        self.assertEqual(len(ping_queries), 1)
        self.assertNotIn("COUNT(", ping_queries[0].upper())
        # Nine page links and no total.
        self.assertContains(response, '<a href="?p=9" class="end">9</a>', html=True)
        self.assertNotContains(response, "1000")
        self.assertNotContains(response, "Show all")

    def test_pages_past_the_data_are_empty(self) -> None:
        self.assertEqual(self.results(PINGS, p="9"), [])

    def test_pages_past_the_pretended_count_redirect(self) -> None:
        response = self.client.get(PINGS, {"p": "10"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("e=1", response["Location"])

    def test_the_change_page_leaves_out_the_body(self) -> None:
        response = self.client.get(f"{PINGS}{self.ping.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "curl/8")
        self.assertNotContains(response, "body_raw")

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(PINGS)

    def test_it_filters(self) -> None:
        email_ping = Ping.objects.create(
            owner=self.check, n=2, created=timezone.now(), scheme="email", kind=PingKind.FAIL
        )
        self.assertEqual(self.results(PINGS, scheme="email"), [email_ping.id])
        self.assertEqual(self.results(PINGS, scheme="https"), [self.ping.id])
        self.assertEqual(self.results(PINGS, method="POST"), [self.ping.id])
        self.assertEqual(self.results(PINGS, kind__exact="fail"), [email_ping.id])
        self.assertEqual(
            self.results(PINGS, created__gte="2000-01-01 00:00:00+00:00"),
            [email_ping.id, self.ping.id],
        )
        # An unknown scheme is ignored rather than an error.
        self.assertEqual(len(self.results(PINGS, scheme="gopher")), 2)


class ChannelAdminTestCase(MonitoringAdminTestCase):
    def test_it_lists_channels(self) -> None:
        response = self.client.get(CHANNELS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Email</span> (not verified)")
        self.assertContains(response, "ops@example.org")
        self.assertContains(response, "7.2 s")
        self.assertContains(response, '<td class="field-status">Error</td>', html=True)
        self.assertContains(response, '<td class="field-status">\u2013</td>', html=True)
        # Long values are cut at 100 characters.
        self.assertContains(response, "{&quot;url_down&quot;:&quot;https://example.com/xxxx")
        self.assertNotContains(response, "x" * 100)

    def test_it_renders_the_change_page(self) -> None:
        response = self.client.get(f"{CHANNELS}{self.webhook.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hook")

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(CHANNELS)

    def test_it_searches(self) -> None:
        for term, expected in (
            ("ops@example", self.email),
            ("charlie@example.org", self.webhook),
            ("Hook", self.webhook),
            (str(self.email.code), self.email),
        ):
            with self.subTest(term=term):
                self.assertEqual(self.results(CHANNELS, q=term), [expected.id])

    def test_it_filters(self) -> None:
        self.assertEqual(self.results(CHANNELS, kind__exact="webhook"), [self.webhook.id])
        self.assertEqual(self.results(CHANNELS, duration="6"), [self.webhook.id])
        self.assertEqual(self.results(CHANNELS, duration="10"), [])
        self.assertEqual(self.results(CHANNELS, error="error"), [self.webhook.id])
        self.assertEqual(self.results(CHANNELS, error="none"), [self.email.id])
        self.assertEqual(self.results(CHANNELS, disabled__exact="1"), [])

    def test_disable_action(self) -> None:
        response = self.act(CHANNELS, "disable", [self.webhook])
        self.assertIn("Disabled 1 integration(s).", self.messages_of(response))
        self.webhook.refresh_from_db()
        self.email.refresh_from_db()
        self.assertTrue(self.webhook.disabled)
        self.assertFalse(self.email.disabled)
        self.assertEqual(self.results(CHANNELS, disabled__exact="1"), [self.webhook.id])


class NotificationAdminTestCase(MonitoringAdminTestCase):
    def test_it_lists_notifications(self) -> None:
        response = self.client.get(NOTIFICATIONS)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<td class="field-channel_kind">Email</td>', html=True)
        self.assertContains(response, "ops@example.org")

    def test_the_change_page_shows_delivery_attempts(self) -> None:
        response = self.client.get(f"{NOTIFICATIONS}{self.notification.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "timed out")
        self.assertContains(response, str(self.notification.code))
        self.assertNotContains(response, 'name="code"')
        self.assertNotContains(response, 'name="owner"')
        self.assertNotContains(response, 'name="tries-0-error"')

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(NOTIFICATIONS)

    def test_it_searches_and_filters(self) -> None:
        failed = Notification.objects.create(
            owner=self.check,
            check_status=NotificationStatus.DOWN,
            channel=self.webhook,
            error="HTTP 500",
        )
        pending = Notification.objects.create(
            check_status=NotificationStatus.DOWN,
            channel=self.webhook,
            error="Sending",
            next_attempt=timezone.now(),
        )
        self.assertEqual(self.results(NOTIFICATIONS, q="HTTP 500"), [failed.id])
        self.assertEqual(self.results(NOTIFICATIONS, q="ops@example"), [self.notification.id])
        self.assertEqual(
            self.results(NOTIFICATIONS, q=str(self.check.code)), [failed.id, self.notification.id]
        )
        self.assertEqual(self.results(NOTIFICATIONS, outcome="ok"), [self.notification.id])
        self.assertEqual(self.results(NOTIFICATIONS, outcome="error"), [failed.id])
        self.assertEqual(self.results(NOTIFICATIONS, outcome="pending"), [pending.id])
        self.assertEqual(
            self.results(NOTIFICATIONS, channel__kind__exact="email"), [self.notification.id]
        )


class DeliveryAttemptAndFlipAdminTestCase(MonitoringAdminTestCase):
    def test_attempts_are_read_only(self) -> None:
        attempt = DeliveryAttempt.objects.get()
        self.assertEqual(self.results(ATTEMPTS), [attempt.id])
        response = self.client.get(f"{ATTEMPTS}{attempt.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="error"')
        self.assertEqual(self.client.get(f"{ATTEMPTS}add/").status_code, 403)
        response = self.client.post(f"{ATTEMPTS}{attempt.id}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(DeliveryAttempt.objects.filter(id=attempt.id).exists())

    def test_it_lists_and_shows_flips(self) -> None:
        self.assertEqual(self.results(FLIPS), [self.flip.id])
        response = self.client.get(f"{FLIPS}{self.flip.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="vForeignKeyRawIdAdminField"')

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(FLIPS)
        self.assert_login_required(ATTEMPTS)

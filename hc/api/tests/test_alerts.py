"""The alerting pipeline in one thread: going down, claiming, delivering, retrying."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import time_machine
from django.test import override_settings

from hc.api.models import (
    Channel,
    Check,
    CheckKind,
    CheckStatus,
    DeliveryAttempt,
    Flip,
    FlipReason,
    Notification,
    PingKind,
)
from hc.api.services import alerts
from hc.api.services.checks import do_pause_check
from hc.api.services.pings import ByCode, Signal, do_record_ping
from hc.integrations import registry
from hc.test import BaseTestCase
from hc.test_receiver import Answer, Receiver
from hc.test_smtp import SmtpSink

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def webhook(url_down: str = "", url_up: str = "", **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "method_down": "GET",
        "url_down": url_down,
        "body_down": "",
        "headers_down": {},
        "method_up": "GET",
        "url_up": url_up,
        "body_up": "",
        "headers_up": {},
    }
    config.update(extra)
    return config


@override_settings(
    INTEGRATIONS_ALLOW_PRIVATE_IPS=True,
    # Generous: a loaded CI machine must not turn deliveries into time-outs.
    INTEGRATIONS_HTTP_TIMEOUT=10,
    INTEGRATIONS_HTTP_TRIES=1,
    ALERT_DELIVERY_ATTEMPTS=3,
)
class AlertsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.receiver = Receiver().__enter__()
        self.addCleanup(self.receiver.__exit__)
        travel = time_machine.travel(NOW, tick=False)
        self.traveller = travel.start()
        self.addCleanup(travel.stop)
        self.check = Check.objects.create(project=self.project, name="Backup")
        self.channel = self.add_channel(
            webhook(self.receiver.url("/down/$CODE"), self.receiver.url("/up/$CODE"))
        )

    def add_channel(self, config: dict[str, Any], **fields: Any) -> Channel:
        channel = Channel.objects.create(
            project=self.project, kind="webhook", config=config, **fields
        )
        channel.checks.add(self.check)
        return channel

    def ping(self, kind: PingKind = PingKind.SUCCESS) -> None:
        do_record_ping(ByCode(self.check.code), Signal(kind=kind))

    def routes(self) -> list[str]:
        return [r.route for r in self.receiver.requests]


class GoingDownTestCase(AlertsTestCase):
    def test_overdue_check_goes_down_with_a_backdated_flip(self) -> None:
        self.ping()
        deadline = NOW + self.check.timeout + self.check.grace
        self.traveller.move_to(deadline + timedelta(seconds=5))
        self.assertTrue(alerts.mark_going_down())
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.DOWN)
        self.assertIsNone(self.check.alert_after)
        flip = Flip.objects.get(new_status=CheckStatus.DOWN)
        self.assertEqual(flip.created, deadline)
        self.assertEqual(flip.reason, FlipReason.TIMEOUT)
        self.assertIsNone(flip.processed)
        self.assertFalse(alerts.mark_going_down())

    def test_late_check_only_gets_a_fresh_deadline(self) -> None:
        self.ping()
        Check.objects.filter(id=self.check.id).update(alert_after=NOW)
        self.traveller.move_to(NOW + self.check.timeout + timedelta(minutes=1))
        self.assertTrue(alerts.mark_going_down())
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.UP)
        self.assertEqual(self.check.alert_after, NOW + self.check.timeout + self.check.grace)
        self.assertFalse(Flip.objects.filter(new_status=CheckStatus.DOWN).exists())

    def test_ping_after_the_read_wins_over_the_down_transition(self) -> None:
        self.ping()
        self.traveller.move_to(NOW + timedelta(days=2))
        stale = Check.objects.get(id=self.check.id)
        self.ping()  # commits a new alert_after before the compare-and-set
        seen = Check.objects.filter(id=stale.id, alert_after=stale.alert_after)
        self.assertEqual(seen.update(status=CheckStatus.DOWN), 0)
        self.assertFalse(alerts.mark_going_down())

    def test_checks_overdue_for_hours_go_down_in_deadline_order(self) -> None:
        # sendalerts was offline: each flip is dated at its own deadline.
        deadlines = [NOW - timedelta(hours=h) for h in (1, 3, 2)]
        checks = [
            Check.objects.create(
                project=self.project,
                status=CheckStatus.UP,
                last_ping=deadline - timedelta(days=1, hours=1),
                alert_after=deadline,
            )
            for deadline in deadlines
        ]
        alerts.run_once()
        flips = list(Flip.objects.order_by("id"))
        self.assertEqual([f.owner_id for f in flips], [checks[i].id for i in (1, 2, 0)])
        self.assertEqual([f.created for f in flips], sorted(deadlines))
        self.assertTrue(all(f.processed == NOW for f in flips))

    def test_broken_schedule_is_looked_at_again_in_an_hour(self) -> None:
        Check.objects.filter(id=self.check.id).update(
            kind=CheckKind.CRON,
            schedule="not a schedule",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(days=1),
            alert_after=NOW - timedelta(minutes=1),
        )
        other = Check.objects.create(
            project=self.project,
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(days=3),
            alert_after=NOW - timedelta(seconds=1),
        )
        with self.assertLogs("hc.api.services.alerts", "ERROR"):
            alerts.run_once()
        self.check.refresh_from_db()
        self.assertEqual(self.check.alert_after, NOW + timedelta(hours=1))
        other.refresh_from_db()
        self.assertEqual(other.status, CheckStatus.DOWN)


class DeliveryTestCase(AlertsTestCase):
    def test_fail_ping_is_delivered_once(self) -> None:
        self.ping(PingKind.FAIL)
        outcomes = alerts.run_once()
        self.assertEqual(self.routes(), [f"/down/{self.check.code}"])
        self.assertEqual([o.error for o in outcomes], [""])
        notification = Notification.objects.get()
        self.assertEqual(notification.error, "")
        self.assertIsNone(notification.next_attempt)
        self.assertEqual(notification.attempts, 1)
        self.assertEqual(notification.flip, Flip.objects.get())
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.last_notify, NOW)
        self.assertEqual(self.channel.last_error, "")
        self.assertEqual(self.channel.failures, 0)
        self.assertEqual(DeliveryAttempt.objects.get().error, "")
        self.assertEqual(alerts.run_once(), [])
        self.assertEqual(len(self.receiver.requests), 1)

    def test_first_success_is_silent_and_recovery_is_announced(self) -> None:
        self.ping()
        alerts.run_once()
        self.assertEqual(self.routes(), [])
        self.assertIsNotNone(Flip.objects.get().processed)
        self.ping(PingKind.FAIL)
        self.ping()
        alerts.run_once()
        self.assertEqual(self.routes(), [f"/down/{self.check.code}", f"/up/{self.check.code}"])

    def test_disabled_and_silent_channels_get_no_rows(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(disabled=True)
        up_only = self.add_channel(webhook(url_up=self.receiver.url("/up-only")))
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.assertFalse(Notification.objects.exists())
        self.ping()
        alerts.run_once()
        self.assertEqual(Notification.objects.get().channel, up_only)
        self.assertEqual(self.routes(), ["/up-only"])

    def test_paused_check_comes_back_silently(self) -> None:
        self.ping(PingKind.FAIL)
        alerts.run_once()
        do_pause_check(self.check)
        self.ping()  # paused -> up: nothing to resolve
        alerts.run_once()
        self.assertEqual(self.routes(), [f"/down/{self.check.code}"])
        self.assertEqual(
            list(Flip.objects.order_by("id").values_list("new_status", flat=True)),
            ["down", "paused", "up"],
        )

    def test_email_alert_goes_through_smtp(self) -> None:
        self.channel.checks.clear()
        email = Channel.objects.create(
            project=self.project,
            kind="email",
            config={"value": "ops@example.org", "down": True, "up": True},
            email_verified=True,
        )
        email.checks.add(self.check)
        with SmtpSink() as sink, override_settings(**sink.settings()):
            self.ping(PingKind.FAIL)
            alerts.run_once()
            [received] = sink.wait(1)
        self.assertEqual(received.rcpt_tos, ["ops@example.org"])
        self.assertEqual(received.message["Subject"], "DOWN | Backup")
        self.assertEqual(Notification.objects.get().error, "")

    def test_permanent_failure_disables_the_channel_without_retries(self) -> None:
        self.channel.checks.clear()
        refusing = Channel.objects.create(project=self.project, kind="slack", config={})
        refusing.checks.add(self.check)
        packages = {"slack": "hc.api.tests.fixtures.refusing"}
        registry.get.cache_clear()
        self.addCleanup(registry.get.cache_clear)
        with mock.patch.dict(registry.PACKAGES, packages):
            self.ping(PingKind.FAIL)
            alerts.run_once()
            refusing.refresh_from_db()
            self.assertTrue(refusing.disabled)
            self.assertEqual(refusing.last_error, "Received status code 404")
            notification = Notification.objects.get()
            self.assertEqual(notification.error, "Received status code 404")
            self.assertIsNone(notification.next_attempt)
            # Later flips skip the disabled channel.
            self.ping()
            alerts.run_once()
            self.assertEqual(Notification.objects.count(), 1)

    def test_processed_down_flip_schedules_reminders(self) -> None:
        self.profile.nag_period = timedelta(hours=1)
        self.profile.save()
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.next_nag_date, NOW + timedelta(hours=1))
        self.ping()
        alerts.run_once()
        self.profile.refresh_from_db()
        self.assertIsNone(self.profile.next_nag_date)

    def test_check_without_channels_goes_down_silently(self) -> None:
        self.channel.checks.clear()
        self.ping(PingKind.FAIL)
        self.assertEqual(alerts.run_once(), [])
        self.assertIsNotNone(Flip.objects.get().processed)
        self.assertFalse(Notification.objects.exists())

    def test_fast_channels_go_first(self) -> None:
        slow = self.add_channel(webhook(self.receiver.url("/slow")))
        fast = self.add_channel(webhook(self.receiver.url("/fast")))
        Channel.objects.filter(id=slow.id).update(last_notify_duration=timedelta(seconds=5))
        Channel.objects.filter(id=fast.id).update(last_notify_duration=timedelta(seconds=1))
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.assertEqual(self.routes()[:2], ["/fast", "/slow"])

    def test_unknown_kind_records_an_error(self) -> None:
        self.channel.checks.clear()
        other = Channel.objects.create(project=self.project, kind="zulip", config={})
        other.checks.add(self.check)
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.assertIn("not available", Notification.objects.get().error)

    def test_deleted_check_gets_nothing_delivered(self) -> None:
        self.ping(PingKind.FAIL)
        claim = alerts.claim_flips(10)
        self.check.delete()
        self.assertIsNone(alerts.deliver(claim.notifications[0], claim.token))
        self.assertEqual(self.receiver.requests, [])


class RetryTestCase(AlertsTestCase):
    def test_failures_are_retried_with_backoff_until_the_limit(self) -> None:
        self.receiver.script(500, 503, 500)
        self.ping(PingKind.FAIL)
        alerts.run_once()
        notification = Notification.objects.get()
        self.assertEqual(notification.error, "Received status code 500")
        self.assertEqual(notification.next_attempt, NOW + timedelta(minutes=1))
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.failures, 1)
        self.assertEqual(self.channel.last_error, "Received status code 500")

        self.traveller.move_to(NOW + timedelta(seconds=59))
        alerts.run_once()
        self.assertEqual(len(self.receiver.requests), 1)  # not due yet
        self.traveller.move_to(NOW + timedelta(minutes=1))
        alerts.run_once()
        self.traveller.move_to(NOW + timedelta(minutes=6))
        alerts.run_once()
        notification.refresh_from_db()
        self.assertEqual(len(self.receiver.requests), 3)
        self.assertEqual(notification.attempts, 3)
        self.assertIsNone(notification.next_attempt)  # ALERT_DELIVERY_ATTEMPTS reached
        errors = list(DeliveryAttempt.objects.order_by("id").values_list("error", flat=True))
        self.assertEqual(
            errors,
            [
                "Received status code 500",
                "Received status code 503",
                "Received status code 500",
            ],
        )
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.failures, 3)

    def test_success_after_a_retry_clears_the_channel_error(self) -> None:
        self.receiver.script(500)
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.traveller.move_to(NOW + timedelta(minutes=1))
        alerts.run_once()
        notification = Notification.objects.get()
        self.assertEqual((notification.error, notification.attempts), ("", 2))
        self.channel.refresh_from_db()
        self.assertEqual((self.channel.last_error, self.channel.failures), ("", 0))

    def test_retry_is_dropped_when_the_status_changed_again(self) -> None:
        self.receiver.script(500)
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.ping()  # back up before the retry is due
        self.traveller.move_to(NOW + timedelta(minutes=2))
        alerts.run_once()
        self.assertEqual(self.routes(), [f"/down/{self.check.code}", f"/up/{self.check.code}"])
        down = Notification.objects.get(check_status="down")
        self.assertIsNone(down.next_attempt)

    def test_lease_of_a_dead_worker_expires(self) -> None:
        self.ping(PingKind.FAIL)
        claim = alerts.claim_flips(10)  # the worker dies before delivering
        self.assertEqual(alerts.claim_due(10).notifications, [])
        self.traveller.move_to(NOW + alerts.lease_length())
        due = alerts.claim_due(10)
        self.assertEqual(due.notifications, claim.notifications)
        self.assertIsNone(alerts.deliver(claim.notifications[0], claim.token))  # lost lease
        outcome = alerts.deliver(due.notifications[0], due.token)
        assert outcome is not None
        self.assertEqual(outcome.error, "")
        self.assertEqual(len(self.receiver.requests), 1)

    @override_settings(INTEGRATIONS_HTTP_TIMEOUT=1)
    def test_timeout_error(self) -> None:
        self.receiver.script(Answer(200, delay=2))
        self.ping(PingKind.FAIL)
        alerts.run_once()
        self.assertEqual(Notification.objects.get().error, "Connection timed out")


class TestSendTestCase(AlertsTestCase):
    def test_test_send_makes_one_attempt_and_replaces_the_previous(self) -> None:
        self.receiver.script(500)
        self.assertEqual(alerts.do_send_test(self.channel), "Received status code 500")
        self.assertEqual(len(self.receiver.requests), 1)
        self.assertEqual(alerts.do_send_test(self.channel), "")
        notification = Notification.objects.get()
        self.assertIsNone(notification.owner)
        self.assertIsNone(notification.next_attempt)
        self.assertTrue(self.receiver.requests[1].route.startswith("/down/"))

    def test_up_only_channel_gets_an_up_test(self) -> None:
        channel = self.add_channel(webhook(url_up=self.receiver.url("/up-only")))
        self.assertEqual(alerts.do_send_test(channel), "")
        self.assertEqual(Notification.objects.get().check_status, "up")

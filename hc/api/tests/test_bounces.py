"""POST /api/v{1,2,3}/bounces/ and the bounce id signing (monitoring §5.5, integrations §2.11)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client, override_settings

from hc.accounts.models import Profile, ReportFrequency
from hc.api.models import Channel, Check, Notification
from hc.lib.bounces import local_part_id, parse_report, sign_bounce_id, unsign_bounce_id
from hc.test import BaseTestCase

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DOMAIN = "bounces.example.org"


def dsn(to: str, status: str | None, diagnostic: str | None = None) -> bytes:
    """A delivery status notification (RFC 3464) as a mail relay sends it."""
    recipient = [
        "Final-Recipient: rfc822; oncall@example.net",
        "Action: failed",
    ]
    if status is not None:
        recipient.append(f"Status: {status}")
    if diagnostic is not None:
        recipient.append(f"Diagnostic-Code: {diagnostic}")
    lines = [
        "From: MAILER-DAEMON@relay.example.org",
        f"To: {to}",
        "Subject: Undelivered Mail Returned to Sender",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        "",
        "--B",
        "Content-Type: text/plain",
        "",
        "I'm sorry to have to inform you that your message could not be delivered.",
        "",
        "--B",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; relay.example.org",
        "Arrival-Date: Tue, 10 Mar 2026 11:00:00 +0000",
        "",
        *recipient,
        "",
        "--B",
        "Content-Type: text/rfc822-headers",
        "",
        "Subject: DOWN | Nightly backup",
        "",
        "--B--",
        "",
    ]
    return "\r\n".join(lines).encode()


class SigningTestCase(BaseTestCase):
    def test_it_round_trips(self) -> None:
        code = uuid.uuid4()
        signed = sign_bounce_id(f"n.{code}")
        self.assertLessEqual(len(signed), 64)
        self.assertEqual(signed, signed.lower())
        self.assertEqual(unsign_bounce_id(signed), f"n.{code}")

    def test_usernames_with_dots_round_trip(self) -> None:
        self.assertEqual(unsign_bounce_id(sign_bounce_id("r.a.b.c")), "r.a.b.c")

    def test_it_rejects_tampering(self) -> None:
        signed = sign_bounce_id("n.abc")
        value, timestamp, signature = signed.rsplit(".", 2)
        flipped = "0" if signature[-1] != "0" else "1"
        forgeries = [
            f"n.abd.{timestamp}.{signature}",
            f"{value}.{timestamp}.{signature[:-1]}{flipped}",
            f"{value}.{timestamp}",
            "",
            "n.abc.!!.zz",
        ]
        for forged in forgeries:
            with self.subTest(forged=forged):
                self.assertIsNone(unsign_bounce_id(forged))

    def test_it_depends_on_the_secret_key(self) -> None:
        signed = sign_bounce_id("n.abc")
        with override_settings(SECRET_KEY="another"):
            self.assertIsNone(unsign_bounce_id(signed))

    def test_it_expires_after_48_hours(self) -> None:
        now = float(int(time.time()))
        signed = sign_bounce_id("n.abc", now=now)
        self.assertEqual(unsign_bounce_id(signed, now=now + 48 * 3600), "n.abc")
        self.assertIsNone(unsign_bounce_id(signed, now=now + 48 * 3600 + 1))
        # From the future: forged or a broken clock.
        self.assertIsNone(unsign_bounce_id(signed, now=now - 3600))

    def test_local_part_id_follows_the_template(self) -> None:
        self.assertEqual(local_part_id("x.1.2@b.org", "%s@b.org"), "x.1.2")
        self.assertEqual(local_part_id("bounce+x.1.2@b.org", "bounce+%s@b.org"), "x.1.2")
        self.assertEqual(local_part_id("x.1.2-hc@b.org", "%s-hc@b.org"), "x.1.2")
        self.assertEqual(local_part_id("x.1.2@b.org", ""), "x.1.2")

    def test_parse_report_reads_the_recipient_block(self) -> None:
        report = parse_report(dsn(f"Relay <x@{DOMAIN}>", "5.1.1", "smtp; 550 5.1.1 No such user"))
        self.assertEqual(report.to, f"x@{DOMAIN}")
        self.assertEqual(report.status, "5.1.1")
        self.assertEqual(report.diagnostic, "550 5.1.1 No such user")
        self.assertTrue(report.permanent)

    def test_parse_report_survives_garbage(self) -> None:
        for raw in (
            b"",
            b"\x00\xff\xfe",
            b"To: \r\n\r\n",
            b"Content-Type: multipart/report\r\n\r\n--",
        ):
            with self.subTest(raw=raw):
                report = parse_report(raw)
                self.assertEqual(report.status, "")


@override_settings(EMAIL_MAIL_FROM_TMPL=f"%s@{DOMAIN}")
class BouncesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(time_machine.travel(NOW, tick=False))
        self.check = Check.objects.create(project=self.project)
        self.channel = Channel.objects.create(
            project=self.project, kind="email", config={"value": "oncall@example.net"}
        )
        self.notification = Notification.objects.create(
            owner=self.check,
            channel=self.channel,
            check_status="down",
            created=NOW - timedelta(hours=1),
        )
        self.client = Client(enforce_csrf_checks=True)

    def to(self, value: str | None = None) -> str:
        return f"{sign_bounce_id(value or f'n.{self.notification.code}')}@{DOMAIN}"

    def post(self, body: bytes, expected: str, version: int = 3) -> None:
        response = self.client.post(
            f"/api/v{version}/bounces/", body, content_type="message/rfc822"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode(), expected)
        self.notification.refresh_from_db()
        self.channel.refresh_from_db()

    def test_a_hard_bounce_disables_the_channel(self) -> None:
        self.post(dsn(self.to(), "5.1.1", "smtp; 550 5.1.1 User unknown"), "OK")
        self.assertEqual(self.notification.error, "Delivery failed (550 5.1.1 User unknown)")
        self.assertEqual(self.channel.last_error, "Delivery failed (550 5.1.1 User unknown)")
        self.assertTrue(self.channel.disabled)

    def test_a_status_without_diagnostic_names_the_code(self) -> None:
        self.post(dsn(self.to(), "5.2.1"), "OK")
        self.assertEqual(self.channel.last_error, "Delivery failed (SMTP status code: 5.2.1)")

    def test_a_soft_bounce_is_recorded_only(self) -> None:
        self.post(dsn(self.to(), "4.2.2", "smtp; 452 Mailbox full"), "OK")
        self.assertEqual(self.channel.last_error, "Delivery failed (452 Mailbox full)")
        self.assertFalse(self.channel.disabled)

    def test_5_4_4_is_transient(self) -> None:
        self.post(dsn(self.to(), "5.4.4", "smtp; 554 5.4.4 Unable to route"), "OK")
        self.assertEqual(self.notification.error, "Delivery failed (554 5.4.4 Unable to route)")
        self.assertFalse(self.channel.disabled)

    def test_other_statuses_are_ignored(self) -> None:
        self.post(dsn(self.to(), "2.0.0"), "OK (ignored)")
        self.post(dsn(self.to(), None), "OK (ignored)")
        self.assertEqual(self.channel.last_error, "")

    def test_it_rejects_bad_and_expired_signatures(self) -> None:
        self.post(dsn(f"n.{self.notification.code}@{DOMAIN}", "5.1.1"), "OK (bad signature)")
        forged = self.to().replace("@", "0@")
        self.post(dsn(forged, "5.1.1"), "OK (bad signature)")
        old = self.to()
        with time_machine.travel(NOW + timedelta(hours=48, seconds=1), tick=False):
            self.post(dsn(old, "5.1.1"), "OK (bad signature)")
        self.assertFalse(self.channel.disabled)

    def test_it_ignores_old_and_unknown_notifications(self) -> None:
        signed = self.to()
        Notification.objects.filter(id=self.notification.id).update(
            created=NOW - timedelta(hours=48, seconds=1)
        )
        self.post(dsn(signed, "5.1.1"), "OK (notification not found)")
        self.post(dsn(self.to(f"n.{uuid.uuid4()}"), "5.1.1"), "OK (notification not found)")
        self.post(dsn(self.to("n.not-a-uuid"), "5.1.1"), "OK (notification not found)")
        self.assertFalse(self.channel.disabled)

    def test_a_report_bounce_turns_reports_and_reminders_off(self) -> None:
        Profile.objects.filter(user=self.bob).update(
            reports=ReportFrequency.WEEKLY,
            next_report_date=NOW,
            nag_period=timedelta(hours=1),
            next_nag_date=NOW,
        )
        self.post(dsn(self.to(f"r.{self.bob.username}"), "5.1.1"), "OK")
        profile = Profile.objects.get(user=self.bob)
        self.assertEqual(profile.reports, ReportFrequency.OFF)
        self.assertIsNone(profile.next_report_date)
        self.assertEqual(profile.nag_period, timedelta())
        self.assertIsNone(profile.next_nag_date)
        # Others keep theirs.
        self.assertEqual(Profile.objects.get(user=self.alice).reports, ReportFrequency.MONTHLY)

    def test_a_soft_report_bounce_changes_nothing(self) -> None:
        self.post(dsn(self.to(f"r.{self.bob.username}"), "4.4.1"), "OK (ignored)")
        self.assertEqual(Profile.objects.get(user=self.bob).reports, ReportFrequency.MONTHLY)

    def test_an_unknown_user(self) -> None:
        self.post(dsn(self.to("r.nobody"), "5.1.1"), "OK (user not found)")

    def test_it_answers_every_api_version(self) -> None:
        self.post(dsn(self.to(), "5.1.1"), "OK", version=1)
        self.assertTrue(self.channel.disabled)

    @override_settings(EMAIL_MAIL_FROM_TMPL=f"bounce+%s@{DOMAIN}")
    def test_it_strips_the_template_around_the_id(self) -> None:
        self.post(dsn(f"bounce+{self.to()}", "5.1.1"), "OK")
        self.assertTrue(self.channel.disabled)

    def test_garbage_is_answered_with_200(self) -> None:
        for body in (b"", b"\x00\xff", b"not a message at all", b"To: nobody\r\n\r\n"):
            with self.subTest(body=body):
                self.post(body, "OK (bad signature)")

    def test_it_refuses_get(self) -> None:
        self.assertEqual(self.client.get("/api/v3/bounces/").status_code, 405)

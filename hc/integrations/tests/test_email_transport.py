"""Email alerts over a real SMTP socket (integrations spec §3.1, §4.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from unittest.mock import patch

import time_machine
from django.test import override_settings

from hc.accounts.models import Profile
from hc.api.models import (
    Channel,
    Check,
    CheckKind,
    CheckStatus,
    Flip,
    FlipReason,
    Notification,
    Ping,
    PingKind,
)
from hc.integrations.email.tokens import verify_token
from hc.integrations.email.transport import EmailTransport
from hc.integrations.transport import TransportError
from hc.lib import emails
from hc.lib.bounces import unsign_bounce_id
from hc.test import BaseTestCase
from hc.test_receiver import free_port
from hc.test_smtp import Received, SmtpSink

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ADDRESS = "oncall@example.net"
SITE = {
    "SITE_ROOT": "http://testserver",
    "SITE_NAME": "Mychecks",
    "DEFAULT_FROM_EMAIL": "Mychecks <alerts@mychecks.example.org>",
    "EMAIL_MAIL_FROM_TMPL": "",
    "PING_BODY_UPLOAD_WAIT": 0,
}


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    # What arrives over SMTP has CRLF line ends.
    return (
        str(text.get_content()).replace("\r\n", "\n"),
        str(html.get_content()).replace("\r\n", "\n"),
    )


class EmailTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(SmtpSink())
        self.enterContext(override_settings(**self.sink.settings(), **SITE))
        self.enterContext(patch.object(emails, "SMTP_PAUSE", 0))
        self.enterContext(time_machine.travel(NOW))
        self.check = Check.objects.create(
            project=self.project,
            name="Nightly backup",
            tags="db prod",
            desc="Copies the database.\nRuns <nightly>.",
            status=CheckStatus.DOWN,
            created=NOW - timedelta(days=30),
        )
        self.channel = Channel.objects.create(
            project=self.project,
            kind="email",
            config={"value": ADDRESS, "down": True, "up": True},
            email_verified=True,
        )

    def flip(self, new_status: str = "down", **fields: Any) -> Flip:
        defaults: dict[str, Any] = {
            "created": NOW - timedelta(minutes=1),
            "old_status": "up" if new_status == "down" else "down",
            "reason": FlipReason.TIMEOUT if new_status == "down" else "",
        }
        defaults.update(fields)
        return Flip.objects.create(owner=self.check, new_status=new_status, **defaults)

    def ping(self, **fields: Any) -> Ping:
        self.check.n_pings += 1
        defaults: dict[str, Any] = {
            "created": NOW - timedelta(hours=3),
            "kind": PingKind.SUCCESS,
            "remote_addr": "192.0.2.7",
        }
        defaults.update(fields)
        return Ping.objects.create(owner=self.check, n=self.check.n_pings, **defaults)

    def notify(self, flip: Flip | None = None) -> Notification:
        flip = flip or self.flip()
        notification = Notification.objects.create(
            owner=flip.owner, flip=flip, channel=self.channel, check_status=flip.new_status
        )
        EmailTransport(self.channel).notify(flip, notification)
        return notification

    def sent(self) -> Received:
        return self.sink.wait(1)[0]


class DeliveryTestCase(EmailTestCase):
    def test_it_sends_a_down_alert(self) -> None:
        self.ping()
        self.notify()
        received = self.sent()
        self.assertEqual(received.rcpt_tos, [ADDRESS])
        self.assertEqual(received.mail_from, "alerts@mychecks.example.org")
        message = received.message
        self.assertEqual(message["Subject"], "DOWN | Nightly backup")
        self.assertEqual(message["To"], ADDRESS)
        self.assertEqual(message["From"], "Mychecks <alerts@mychecks.example.org>")
        self.assertTrue(message["Message-ID"].endswith("@mychecks.example.org>"))
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        unsubscribe = message["List-Unsubscribe"].strip()
        prefix = f"<http://testserver/integrations/{self.channel.code}/unsub/"
        self.assertTrue(unsubscribe.startswith(prefix), unsubscribe)
        self.assertIn(verify_token(self.channel), unsubscribe)

        text, html = parts(message)
        cloaked = f"http://testserver/cloaked/{self.check.unique_key}/"
        self.assertIn(
            'The check "Nightly backup" is DOWN (success signal did not arrive on time, '
            "grace time passed).",
            text,
        )
        self.assertIn(f"View on Mychecks: {cloaked}", text)
        self.assertIn("Copies the database.\nRuns <nightly>.", text)
        self.assertIn("Project: Alice's Project", text)
        self.assertIn("Tags: db, prod", text)
        self.assertIn("Period: 1 day", text)
        self.assertIn("Total pings: 1 (since Feb 8, 2026)", text)
        self.assertIn("Last ping: 3 hours ago, from 192.0.2.7", text)
        self.assertIn("Last ping type: Success", text)
        self.assertIn("Status changed to DOWN at Tue, 10 Mar 2026 11:59:00 +0000", text)
        self.assertIn(f"Unsubscribe: {unsubscribe[1:-1]}", text)
        # The footer, after the "--" line (the signed unsubscribe link may contain "--").
        self.assertIn("Alice's Project", text.split("\n--\n")[-1])

        self.assertIn("grace time passed", html)
        self.assertIn(f'href="{cloaked}"', html)
        self.assertIn("Copies the database.<br>Runs &lt;nightly&gt;.", html)
        self.assertIn(">db</code>", html)
        self.assertIn(">prod</code>", html)
        self.assertIn(f'href="{unsubscribe[1:-1]}"', html)
        # The address is nobody's account: no projects overview.
        self.assertNotIn("Your projects", text)

    def test_it_sends_an_up_alert_with_the_downtime(self) -> None:
        self.flip("down", created=NOW - timedelta(hours=2, minutes=6))
        self.notify(self.flip("up", created=NOW - timedelta(minutes=1)))
        message = self.sent().message
        self.assertEqual(message["Subject"], "UP | Nightly backup")
        text, html = parts(message)
        self.assertIn('"Nightly backup" is UP again, after 2 hours, 5 minutes of downtime.', text)
        self.assertIn("2 hours, 5 minutes", html)
        self.assertIn("Last ping: never", text)

    def test_it_names_an_unnamed_check_by_uuid(self) -> None:
        self.check.name = ""
        self.check.save()
        self.notify()
        self.assertEqual(self.sent().message["Subject"], f"DOWN | {self.check.code}")

    def test_it_shows_schedule_and_time_zone_for_cron_checks(self) -> None:
        self.check.kind = CheckKind.CRON
        self.check.schedule = "0 3 * * *"
        self.check.tz = "Europe/Riga"
        self.check.save()
        self.notify(self.flip(reason=FlipReason.FAIL))
        text, html = parts(self.sent().message)
        self.assertIn("is DOWN (received a failure signal).", text)
        self.assertIn("Schedule: 0 3 * * *\nTime zone: Europe/Riga", text)
        self.assertNotIn("Period:", text)
        self.assertIn("<code>0 3 * * *</code>", html)

    def test_it_puts_a_signed_bounce_id_in_the_envelope_sender(self) -> None:
        with override_settings(EMAIL_MAIL_FROM_TMPL="%s@bounces.example.org"):
            notification = self.notify()
        received = self.sent()
        local, domain = received.mail_from.split("@")
        self.assertEqual(domain, "bounces.example.org")
        self.assertLessEqual(len(local), 64)
        self.assertEqual(unsign_bounce_id(local), f"n.{notification.code}")
        # The visible sender does not change.
        self.assertEqual(received.message["From"], "Mychecks <alerts@mychecks.example.org>")

    def test_it_lists_the_recipients_projects(self) -> None:
        self.channel.config = {"value": "Alice@Example.org", "down": True, "up": True}
        Check.objects.create(project=self.project, name="Other", status=CheckStatus.DOWN)
        self.notify()
        text, html = parts(self.sent().message)
        overview = text.split("Your projects")[1]
        url = f"http://testserver/projects/{self.project.code}/checks/"
        self.assertIn(f"Alice's Project: 2 checks down\n  {url}", overview)
        # Only projects Alice can access.
        self.assertNotIn(str(self.charlies_project.code), overview)
        self.assertIn(f'href="{url}"', html)

    def test_it_says_all_checks_up_for_a_calm_project(self) -> None:
        # Bob is a member of Alice's project.
        self.channel.config = {"value": "bob@example.org", "down": True, "up": True}
        self.check.status = CheckStatus.UP
        self.check.save()
        self.notify(self.flip("up"))
        text, _ = parts(self.sent().message)
        self.assertIn("Alice's Project: OK, all checks up", text)

    def test_it_uses_the_recipients_time_zone(self) -> None:
        Profile.objects.filter(user=self.bob).update(tz="Europe/Riga")
        self.channel.config = {"value": "bob@example.org"}
        self.notify()
        text, _ = parts(self.sent().message)
        self.assertIn("Status changed to DOWN at Tue, 10 Mar 2026 13:59:00 +0200", text)

    def test_it_uses_the_owners_time_zone_for_other_addresses(self) -> None:
        Profile.objects.filter(user=self.alice).update(tz="America/New_York")
        self.notify()
        text, _ = parts(self.sent().message)
        self.assertIn("Status changed to DOWN at Tue, 10 Mar 2026 07:59:00 -0400", text)

    def test_it_supports_a_legacy_bare_address(self) -> None:
        self.channel.config = ADDRESS  # a legacy stored value
        self.notify()
        self.assertEqual(self.sent().rcpt_tos, [ADDRESS])

    def test_it_sends_a_test_notification(self) -> None:
        check = Check(project=self.project, name="TEST", status=CheckStatus.DOWN, n_pings=42)
        flip = Flip(owner=check, created=NOW, old_status="up", new_status="down", reason="timeout")
        notification = Notification.objects.create(
            owner=None, channel=self.channel, check_status="down"
        )
        EmailTransport(self.channel).notify(flip, notification)
        message = self.sent().message
        self.assertEqual(message["Subject"], "DOWN | TEST")
        text, _ = parts(message)
        self.assertIn("Total pings: 0", text)
        self.assertIn("Last ping: never", text)


class LastPingTestCase(EmailTestCase):
    def test_it_shows_the_last_ping_before_the_flip(self) -> None:
        self.ping(kind=PingKind.FAIL, exitstatus=3, created=NOW - timedelta(hours=5))
        self.ping(created=NOW)  # after the flip: not shown
        self.notify()
        text, html = parts(self.sent().message)
        self.assertIn("Last ping type: Exit status 3", text)
        self.assertIn("Total pings: 1 ", text)
        self.assertIn('color: #d43f3a; font-weight: bold;">Exit status 3', html)

    def test_it_shows_the_body(self) -> None:
        self.ping(body_raw=b"backup failed: <disk full>\n" + b"x" * 100)
        self.notify()
        text, html = parts(self.sent().message)
        self.assertIn("Last ping body:\n\nbackup failed: <disk full>\n" + "x" * 80 + "\n", text)
        self.assertIn("backup failed: &lt;disk full&gt;", html)
        self.assertNotIn("showing the last", text)

    def test_it_shows_the_end_of_a_long_body(self) -> None:
        self.ping(body_raw=b"A" * 5000 + b"B" * 10000)
        self.notify()
        text, html = parts(self.sent().message)
        self.assertIn("(showing the last 10000 characters of 15000 total)", text)
        self.assertNotIn("A", text.split("Last ping body")[1].split("\n--\n")[0])
        self.assertIn("B" * 10000, html)
        self.assertIn(f"/cloaked/{self.check.unique_key}/#ping-1", html)

    def test_it_says_when_the_body_is_still_uploading(self) -> None:
        self.ping(object_size=12000)
        self.notify()
        text, _ = parts(self.sent().message)
        self.assertIn("will be available shortly", text)

    def test_it_attaches_an_email_ping(self) -> None:
        nested = b"From: a@example.com\r\nSubject: inner\r\n\r\nforwarded text\r\n"
        raw = (
            b"From: cron@srv1.example.net\r\n"
            b"Subject: =?utf-8?q?Backup_=E2=9C=93_done?=\r\n"
            b"MIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
            b"--b1\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n"
            + "caf\u00e9 ".encode()
            * 400
            + b"\r\n--b1\r\n"
            b"Content-Type: message/rfc822\r\n\r\n" + nested + b"\r\n--b1--\r\n"
        )
        self.ping(scheme="email", ua="Email from cron@srv1.example.net", body_raw=raw)
        self.notify()
        message = self.sent().message
        text, _ = parts(message)
        self.assertIn("Last ping subject: Backup \u2713 done", text)
        self.assertIn("see the attachment", text)
        self.assertNotIn("Last ping body", text)
        attachments = list(message.iter_attachments())
        self.assertEqual(len(attachments), 1)
        attachment = attachments[0]
        self.assertEqual(attachment.get_content_type(), "message/rfc822")
        self.assertEqual(attachment.get_filename(), "last-ping.eml")
        attached = attachment.get_content()
        self.assertEqual(str(attached["Subject"]), "Backup \u2713 done")
        inner = [p.get_content_type() for p in attached.walk()]
        self.assertEqual(inner, ["multipart/mixed", "text/plain"])
        body = attached.get_body(preferencelist=("plain",))
        self.assertEqual(body["Content-Transfer-Encoding"], "quoted-printable")
        self.assertIn("caf\u00e9 caf\u00e9", body.get_content())
        # Every line of what went over the wire is within SMTP's limit.
        self.assertLessEqual(max(len(line) for line in self.sent().data.splitlines()), 998)


class NoopAndErrorsTestCase(EmailTestCase):
    def test_is_noop_follows_the_switches(self) -> None:
        cases = [
            ({"down": True, "up": True}, False, False),
            ({"down": False, "up": True}, True, False),
            ({"down": True, "up": False}, False, True),
        ]
        for switches, down_noop, up_noop in cases:
            with self.subTest(switches=switches):
                self.channel.config = {"value": ADDRESS, **switches}
                transport = EmailTransport(self.channel)
                self.assertEqual(transport.is_noop("down"), down_noop)
                self.assertEqual(transport.is_noop("up"), up_noop)

    def test_a_legacy_bare_address_means_both_statuses(self) -> None:
        self.channel.config = ADDRESS  # a legacy stored value
        transport = EmailTransport(self.channel)
        self.assertFalse(transport.is_noop("down"))
        self.assertFalse(transport.is_noop("up"))

    def assert_fails(self, message: str) -> None:
        with self.assertRaises(TransportError) as cm:
            self.notify()
        self.assertEqual(cm.exception.message, message)
        self.assertFalse(cm.exception.permanent)

    def test_it_refuses_an_unverified_address(self) -> None:
        self.channel.email_verified = False
        self.assert_fails("Email not verified")
        self.assertEqual(self.sink.received, [])

    def test_it_fails_when_email_is_not_configured(self) -> None:
        with override_settings(EMAIL_HOST=""):
            self.assert_fails("Email is not configured")

    def test_it_retries_a_temporary_smtp_failure(self) -> None:
        self.sink.data_replies = ["451 4.3.0 Try again later"]
        self.notify()
        self.assertEqual(len(self.sent().rcpt_tos), 1)
        self.assertEqual(self.sink.data_replies, [])

    def test_it_gives_up_after_three_attempts(self) -> None:
        self.sink.data_replies = ["451 4.3.0 Try again later"] * 3
        with self.assertRaises(TransportError) as cm:
            self.notify()
        self.assertIn("451", cm.exception.message)
        self.assertFalse(cm.exception.permanent)
        self.assertEqual(self.sink.received, [])

    def test_it_reports_a_rejection(self) -> None:
        self.sink.data_replies = ["554 5.7.1 Message rejected"] * 3
        with self.assertRaises(TransportError) as cm:
            self.notify()
        self.assertIn("554", cm.exception.message)
        self.assertIn("5.7.1 Message rejected", cm.exception.message)
        self.assertFalse(cm.exception.permanent)

    def test_it_reports_a_closed_port(self) -> None:
        with override_settings(EMAIL_PORT=free_port()), self.assertRaises(TransportError) as cm:
            self.notify()
        self.assertTrue(cm.exception.message.startswith("SMTP error:"))

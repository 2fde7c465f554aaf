"""`manage.py smtpd`: pinging by email (spec monitoring §9 and §13 items 66-70,
ping-api §13).

The real listener runs in a thread on a free port and the tests talk to it
with smtplib. TransactionTestCase, because the listener records pings on its
own database connection, which cannot see a TestCase's uncommitted fixtures.
"""

from __future__ import annotations

import asyncio
import email.policy
import os
import signal
import smtplib
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase, override_settings

from hc.accounts.models import Profile, Project
from hc.api.management.commands.smtpd import recipient_reply, serve
from hc.api.models import Check, CheckStatus, Flip, Ping, PingKind
from hc.api.ping_bodies import load_body
from hc.test import PING_KEY, stored_body
from hc.test_receiver import free_port
from hc.test_s3 import S3Server

DOMAIN = "hc.example.org"
LOGGER = "hc.api.management.commands.smtpd"
NOW = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


class Listener:
    """The smtpd listener in a background thread, with its own event loop."""

    def __init__(self) -> None:
        self.port = free_port()
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._main, daemon=True)
        self.errors: list[BaseException] = []

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as e:  # reported by the test thread
            self.errors.append(e)
            self.listening.set()

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop = asyncio.Event()
        await serve("127.0.0.1", self.port, self.stop, on_listening=self.listening.set)

    def __enter__(self) -> Listener:
        self.thread.start()
        assert self.listening.wait(10), "the listener did not start"
        assert not self.errors, self.errors
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(30)
        assert not self.thread.is_alive(), "the listener did not stop"
        assert not self.errors, self.errors


def message(subject: str | None = "Backup report", body: str = "All done.") -> bytes:
    msg = EmailMessage()
    msg["From"] = "backup@srv1.example.net"
    msg["To"] = f"checks@{DOMAIN}"
    if subject is not None:
        msg["Subject"] = subject
    msg.set_content(body)
    return as_smtp_bytes(msg)


def as_smtp_bytes(msg: EmailMessage) -> bytes:
    # SMTP lines end in CRLF; smtplib sends bytes as they are.
    return msg.as_bytes(policy=email.policy.SMTP)


@override_settings(PING_EMAIL_DOMAIN=DOMAIN)
class ListenerTestCase(TransactionTestCase):
    """A running listener, a check to ping and an SMTP client connected to it."""

    listener: Listener

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.listener = cls.enterClassContext(Listener())

    def setUp(self) -> None:
        alice = User.objects.create_user("alice", "alice@example.org", "password")
        Profile.objects.create(user=alice)
        self.project = Project.objects.create(owner=alice, badge_key="alice", ping_key=PING_KEY)
        self.check = Check.objects.create(project=self.project, name="Backup", slug="backup")
        self.client_smtp = smtplib.SMTP("127.0.0.1", self.listener.port, timeout=30)
        self.addCleanup(self.client_smtp.close)
        self.client_smtp.ehlo("srv1.example.net")

    def address(self, check: Check | None = None) -> str:
        return f"{(check or self.check).code}@{DOMAIN}"

    def rcpt(self, address: str) -> tuple[int, str]:
        self.client_smtp.rset()
        self.assertEqual(self.client_smtp.mail("backup@srv1.example.net")[0], 250)
        code, reply = self.client_smtp.rcpt(address)
        return code, reply.decode()

    def send(
        self,
        data: bytes,
        *recipients: str,
        sender: str = "backup@srv1.example.net",
    ) -> tuple[int, str]:
        """MAIL, RCPT (each must be accepted) and DATA; the reply to DATA."""
        self.client_smtp.rset()
        self.assertEqual(self.client_smtp.mail(sender)[0], 250)
        for address in recipients or [self.address()]:
            self.assertEqual(self.client_smtp.rcpt(address), (250, b"OK"))
        code, reply = self.client_smtp.data(data)
        return code, reply.decode()

    def send_ok(self, data: bytes, *recipients: str) -> None:
        self.assertEqual(self.send(data, *recipients), (250, "OK"))

    def update_check(self, **fields: object) -> None:
        Check.objects.filter(id=self.check.id).update(**fields)

    def only_ping(self, check: Check | None = None) -> Ping:
        pings = list(Ping.objects.filter(owner=check or self.check))
        self.assertEqual(len(pings), 1)
        return pings[0]


class SmtpdTestCase(ListenerTestCase):
    # Recipients (RCPT TO) -----------------------------------------------------

    def test_it_accepts_a_uuid_address(self) -> None:
        self.assertEqual(self.rcpt(self.address()), (250, "OK"))

    def test_it_accepts_an_uppercase_uuid(self) -> None:
        self.assertEqual(self.rcpt(f"{str(self.check.code).upper()}@{DOMAIN}"), (250, "OK"))

    def test_it_accepts_the_domain_in_any_case(self) -> None:
        # §13 item 66, with the recommended deviation.
        self.assertEqual(self.rcpt(f"{self.check.code}@HC.Example.ORG"), (250, "OK"))

    def test_it_rejects_other_domains(self) -> None:
        rejected = (550, "5.1.1 Recipient rejected")
        self.assertEqual(self.rcpt(f"{self.check.code}@other.example"), rejected)
        self.assertEqual(self.rcpt(f"{self.check.code}@sub.{DOMAIN}"), rejected)
        self.assertEqual(self.rcpt(f"{self.check.code}@{DOMAIN}.evil.example"), rejected)

    def test_it_rejects_invalid_mailboxes(self) -> None:
        # §13 item 67.
        invalid = (550, "5.1.1 Invalid mailbox")
        for mailbox in [
            "foo",
            "tooshort+slug",
            f"{PING_KEY}+Backup",  # slugs are lowercase
            f"{PING_KEY}+",
            f"{PING_KEY}x+backup",  # 23-character key
            f"{PING_KEY}+back.up",
            "0b6a3c2e-4f1d-1c7a-9e55-2d8f1a7b9c10",  # version 1
            "0b6a3c2e-4f1d-4c7a-ce55-2d8f1a7b9c10",  # wrong variant
            f"{self.check.code}x",
            f"x{self.check.code}",
        ]:
            with self.subTest(mailbox=mailbox):
                self.assertEqual(self.rcpt(f"{mailbox}@{DOMAIN}"), invalid)

    def test_it_refuses_data_without_an_accepted_recipient(self) -> None:
        self.rcpt(f"foo@{DOMAIN}")
        with self.assertRaises(smtplib.SMTPDataError) as cm:
            self.client_smtp.data(message())
        self.assertEqual(cm.exception.smtp_code, 503)
        self.assertFalse(Ping.objects.exists())

    # Recording ------------------------------------------------------------------

    def test_it_records_a_success_ping_with_the_whole_message(self) -> None:
        data = message()
        with time_machine.travel(NOW, tick=False):
            self.send_ok(data)
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(ping.n, 1)
        self.assertEqual(ping.created, NOW)
        self.assertEqual(ping.scheme, "email")
        self.assertEqual(ping.method, "")
        self.assertEqual(ping.ua, "Email from backup@srv1.example.net")
        self.assertEqual(ping.remote_addr, "127.0.0.1")
        self.assertIsNone(ping.rid)
        self.assertIsNone(ping.exitstatus)
        self.assertEqual(stored_body(ping), data)
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.UP)
        self.assertEqual(self.check.last_ping, NOW)
        self.assertEqual(self.check.n_pings, 1)

    def test_it_logs_processed_pings(self) -> None:
        with self.assertLogs(LOGGER, "INFO") as logs:
            self.send_ok(message())
        self.assertIn(f"INFO:{LOGGER}:Processed ping for {self.address()}", logs.output)

    def test_it_pings_by_ping_key_and_slug(self) -> None:
        self.send_ok(message(), f"{PING_KEY}+backup@{DOMAIN}")
        self.assertEqual(self.only_ping().scheme, "email")

    def test_it_accepts_unknown_checks_and_stores_nothing(self) -> None:
        # §13 item 67: acceptance does not look the check up.
        address = f"{uuid.uuid4()}@{DOMAIN}"
        with self.assertLogs(LOGGER, "INFO") as logs:
            self.assertEqual(self.send(message(), address), (250, "OK"))
        self.assertIn(f"INFO:{LOGGER}:Check not found: {address}", logs.output)
        self.assertFalse(Ping.objects.exists())

    def test_it_does_not_match_slugs_in_other_projects(self) -> None:
        address = f"{'z' * 22}+backup@{DOMAIN}"
        with self.assertLogs(LOGGER, "INFO") as logs:
            self.send_ok(message(), address)
        self.assertIn(f"INFO:{LOGGER}:Check not found: {address}", logs.output)
        self.assertFalse(Ping.objects.exists())

    def test_it_records_nothing_for_an_ambiguous_slug(self) -> None:
        twin = Check.objects.create(project=self.project, name="Backup 2", slug="backup")
        address = f"{PING_KEY}+backup@{DOMAIN}"
        with self.assertLogs(LOGGER, "INFO") as logs:
            self.send_ok(message(), address)
        self.assertIn(f"INFO:{LOGGER}:Ambiguous slug: {address}", logs.output)
        self.assertFalse(Ping.objects.filter(owner__in=[self.check, twin]).exists())

    def test_it_does_not_provision_checks(self) -> None:
        self.send_ok(message(), f"{PING_KEY}+new-job@{DOMAIN}")
        self.assertFalse(Check.objects.filter(slug="new-job").exists())

    def test_it_pings_every_recipient_with_the_same_body(self) -> None:
        # §13 item 68.
        other = Check.objects.create(project=self.project, name="Other", slug="other")
        data = message()
        self.send_ok(data, self.address(), f"{PING_KEY}+other@{DOMAIN}")
        self.assertEqual(stored_body(self.only_ping()), data)
        self.assertEqual(stored_body(self.only_ping(other)), data)

    def test_it_keeps_pinging_after_a_recipient_without_check(self) -> None:
        data = message()
        self.send_ok(data, f"{uuid.uuid4()}@{DOMAIN}", self.address())
        self.assertEqual(stored_body(self.only_ping()), data)

    def test_it_stores_a_5_mb_message_in_full(self) -> None:
        # §13 item 70: PING_BODY_LIMIT does not apply to email.
        line = "0123456789" * 7 + "\n"
        data = message(body=line * (5_000_000 // len(line)))
        self.assertGreater(len(data), 5_000_000)
        with override_settings(PING_BODY_LIMIT=10000):
            self.send_ok(data)
        self.assertEqual(stored_body(self.only_ping()), data)

    def test_it_advertises_and_enforces_the_size_limit(self) -> None:
        self.assertIn(b"SIZE 33554432", self.client_smtp.ehlo_resp or b"")
        code, _ = self.client_smtp.mail("backup@srv1.example.net", ["SIZE=40000000"])
        self.assertEqual(code, 552)

    def test_it_cuts_long_senders_to_fit_the_ua_column(self) -> None:
        sender = "x" * 250 + "@srv1.example.net"
        self.assertEqual(self.send(message(), self.address(), sender=sender), (250, "OK"))
        self.assertEqual(self.only_ping().ua, ("Email from " + sender)[:200])

    def test_it_records_a_null_sender(self) -> None:
        self.assertEqual(self.send(message(), self.address(), sender="<>"), (250, "OK"))
        self.assertTrue(self.only_ping().ua.startswith("Email from"))

    # Classification ---------------------------------------------------------------

    def test_subject_filtering_finds_failure_keywords(self) -> None:
        self.update_check(filter_subject=True, failure_kw="FAILED", success_kw="OK")
        self.send_ok(message(subject="[FAILED] nightly backup"))
        self.assertEqual(self.only_ping().kind, PingKind.FAIL)
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.DOWN)
        self.assertEqual(Flip.objects.get(owner=self.check).new_status, CheckStatus.DOWN)

    def test_subject_filtering_ignores_keywords_in_the_body(self) -> None:
        # §13 item 69.
        self.update_check(filter_subject=True, success_kw="SUCCESS")
        self.send_ok(message(subject="nightly backup", body="SUCCESS"))
        self.assertEqual(self.only_ping().kind, PingKind.IGNORED)

    def test_subject_filtering_can_default_to_failure(self) -> None:
        self.update_check(filter_subject=True, success_kw="SUCCESS", filter_default_fail=True)
        self.send_ok(message(subject="nightly backup", body="SUCCESS"))
        self.assertEqual(self.only_ping().kind, PingKind.FAIL)

    def test_subject_filtering_decodes_encoded_subjects(self) -> None:
        self.update_check(filter_subject=True, success_kw="réussie")
        data = message(subject="Sauvegarde réussie ✓")
        self.assertIn(b"=?utf-8?", data)  # the subject went out as encoded words
        self.send_ok(data)
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)

    def test_body_filtering_reads_html_parts(self) -> None:
        self.update_check(filter_body=True, failure_kw="ERROR", start_kw="Starting")
        msg = EmailMessage()
        msg["Subject"] = "ERROR report"
        msg.set_content("plain text part")
        msg.add_alternative(
            "<html><head><style>.ERROR{}</style></head>"
            "<body><p>Starting</p><script>ERROR()</script></body></html>",
            subtype="html",
        )
        self.send_ok(as_smtp_bytes(msg))
        self.assertEqual(self.only_ping().kind, PingKind.START)

    def test_paused_check_with_manual_resume_ignores_email(self) -> None:
        self.update_check(status=CheckStatus.PAUSED, manual_resume=True)
        self.send_ok(message())
        self.assertEqual(self.only_ping().kind, PingKind.IGNORED)
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.PAUSED)
        self.assertFalse(Flip.objects.exists())

    def test_paused_check_without_manual_resume_goes_up(self) -> None:
        self.update_check(status=CheckStatus.PAUSED)
        self.send_ok(message())
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.UP)

    # Robustness -----------------------------------------------------------------

    def test_malformed_messages_do_not_stop_the_listener(self) -> None:
        self.update_check(filter_subject=True, filter_body=True, success_kw="OK")
        malformed = [
            b"",
            b"no headers at all, just text\r\n",
            b"Subject: \xff\xfe 8-bit \x00 garbage \x80\r\n\r\n\xc3\x28 body \xff\r\n",
            b"Subject: =?bogus-charset?Q?OK?= =?utf-8?B?!!!?= =?utf-8?Q?\r\n\r\nx\r\n",
            b"Content-Type: multipart/mixed\r\n\r\nno boundary given\r\n",
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: '
            b"text/plain\r\n\r\nunterminated part",
            b"Content-Type: text/plain; charset=no-such-charset\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!not*base64==\r\n",
            b"Content-Type: text/html; charset=utf-8\r\n\r\n<p <<< </script <b>\xff\r\n",
            b"Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/x; boundary=\r\n",
            b"X-Huge: " + b"a" * 900 + (b"\r\n " + b"b" * 900) * 2000 + b"\r\n\r\nbody\r\n",
            b"".join(b"X-H%d: v\r\n" % i for i in range(20000)) + b"\r\nbody\r\n",
        ]
        for i, data in enumerate(malformed, start=1):
            with self.subTest(i=i):
                self.assertEqual(self.send(data), (250, "OK"))
                self.assertEqual(Ping.objects.filter(owner=self.check).count(), i)
        # The last good message still classifies normally.
        self.send_ok(message(subject="Backup OK"))
        self.assertEqual(Ping.objects.filter(owner=self.check).latest("n").kind, "success")

    def test_a_message_python_cannot_parse_is_still_classified(self) -> None:
        # Python 3.11's standard email parser raises on this Content-Type.
        self.update_check(filter_subject=True, failure_kw="FAILED")
        data = b"Subject: Backup FAILED\r\nContent-Type: text/plain; a*\r\n\r\nbody\r\n"
        self.send_ok(data)
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertEqual(stored_body(ping), data)

    def test_over_long_lines_are_refused_and_the_session_goes_on(self) -> None:
        code, _ = self.send(b"Subject: " + b"x" * 2000 + b"\r\n\r\nbody\r\n")
        self.assertEqual(code, 500)
        self.send_ok(message())
        self.assertEqual(Ping.objects.filter(owner=self.check).count(), 1)

    def test_a_database_failure_asks_the_sender_to_retry(self) -> None:
        # A real fault: the ping table is gone while the message arrives.
        table = Ping._meta.db_table
        with connection.schema_editor() as editor:
            editor.alter_db_table(Ping, table, f"{table}_away")
        try:
            with self.assertLogs(LOGGER, "ERROR"):
                code, reply = self.send(message())
        finally:
            with connection.schema_editor() as editor:
                editor.alter_db_table(Ping, f"{table}_away", table)
        self.assertEqual(code, 451)
        self.assertIn("try again later", reply)
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, 0)  # the whole ping was rolled back

        self.send_ok(message())  # the sender's retry
        self.assertEqual(self.only_ping().n, 1)


class ObjectStorageTestCase(ListenerTestCase):
    """§13 item 70: large messages go to object storage like HTTP bodies."""

    s3: S3Server

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.s3 = cls.enterClassContext(S3Server())

    def test_a_5_mb_message_goes_to_object_storage_in_full(self) -> None:
        line = "0123456789" * 7 + "\n"
        data = message(body=line * (5_000_000 // len(line)))
        with override_settings(**self.s3.settings()):
            self.send_ok(data)
            ping = self.only_ping()
            self.assertIsNone(ping.body_raw)
            self.assertEqual(ping.object_size, len(data))
            self.assertEqual(load_body(ping), data)

    def test_a_small_message_stays_in_the_database(self) -> None:
        data = b"Subject: tiny\r\n\r\n" + b"x" * 81 + b"\r\n"
        self.assertEqual(len(data), 100)
        with override_settings(**self.s3.settings()):
            self.send_ok(data)
        self.assertEqual(stored_body(self.only_ping()), data)
        self.assertEqual(self.s3.keys(f"{self.check.code}/"), [])


class RecipientReplyTestCase(SimpleTestCase):
    @override_settings(PING_EMAIL_DOMAIN=DOMAIN)
    def test_an_address_without_domain_is_rejected(self) -> None:
        code = "0b6a3c2e-4f1d-4c7a-9e55-2d8f1a7b9c10"
        self.assertEqual(recipient_reply(code), "550 5.1.1 Recipient rejected")
        self.assertEqual(recipient_reply(f"{code}@{DOMAIN}"), "250 OK")
        self.assertEqual(
            recipient_reply(f"{code}@{DOMAIN}@{DOMAIN}"), "550 5.1.1 Recipient rejected"
        )


class CommandTestCase(SimpleTestCase):
    """The command itself, as an operator runs it: a separate process."""

    def run_until(self, signum: signal.Signals) -> None:
        port = free_port()
        env = {**os.environ, "PING_EMAIL_DOMAIN": DOMAIN}
        process = subprocess.Popen(
            [sys.executable, str(MANAGE_PY), "smtpd", "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        try:
            assert process.stdout is not None
            first_line = process.stdout.readline()
            self.assertEqual(first_line, f"Starting SMTP listener on 127.0.0.1:{port} ...\n")
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo("srv1.example.net")
                client.mail("backup@srv1.example.net")
                code = f"{uuid.uuid4()}@{DOMAIN.upper()}"
                self.assertEqual(client.rcpt(code), (250, b"OK"))
                process.send_signal(signum)
                stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        self.assertEqual(process.returncode, 0, stderr)
        self.assertEqual(stdout, "SMTP listener stopped.\n")

    def test_it_stops_cleanly_on_sigterm(self) -> None:
        self.run_until(signal.SIGTERM)

    def test_it_stops_cleanly_on_sigint(self) -> None:
        self.run_until(signal.SIGINT)

    def test_it_reports_a_port_it_cannot_use(self) -> None:
        with Listener() as busy:
            result = subprocess.run(
                [
                    sys.executable,
                    str(MANAGE_PY),
                    "smtpd",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(busy.port),
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"Cannot listen on 127.0.0.1:{busy.port}", result.stderr)

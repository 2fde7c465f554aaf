"""The ping details dialog and body downloads (web spec §7.7)."""

from __future__ import annotations

import json
import socket
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import time_machine
from django.test import override_settings

from hc.accounts.models import Profile
from hc.api.models import Check, Ping
from hc.front.views.pings import MAX_SHOWN_CHARS
from hc.test import BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def multipart_email() -> bytes:
    message = EmailMessage()
    message["From"] = "cron@example.org"
    message["To"] = "check@example.org"
    message["Subject"] = "=?utf-8?q?Backup_r=C3=A9port?="
    message.set_content("Backup finished: 42 files.")
    message.add_alternative(
        "<p>Backup <b>finished</b></p><script>alert(1)</script>", subtype="html"
    )
    return message.as_bytes()


@time_machine.travel(NOW, tick=False)
class PingDetailsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="db backup")
        self.base = f"/checks/{self.check_.code}"
        self.client.force_login(self.bob)

    def ping(self, **fields: object) -> Ping:
        self.check_.n_pings += 1
        self.check_.save(update_fields=["n_pings"])
        fields.setdefault("created", NOW - timedelta(minutes=5))
        return Ping.objects.create(owner=self.check_, n=self.check_.n_pings, **fields)

    def details(self, n: int) -> str:
        response = self.client.get(f"{self.base}/pings/{n}/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_an_http_ping(self) -> None:
        self.ping(created=NOW - timedelta(minutes=15), kind="start", rid=uuid.UUID(int=7))
        self.ping(
            scheme="https",
            method="POST",
            remote_addr="203.0.113.7",
            ua="curl/8.5.0",
            body_raw=b"dumped <1.2 GB>\xff",
            rid=uuid.UUID(int=7),
        )
        html = self.details(2)
        self.assertIn("Ping #2</h2>", html)
        self.assertIn("<code>2025-03-10T11:55:00+00:00</code>", html)
        self.assertIn("HTTPS POST from 203.0.113.7", html)
        self.assertIn('<code class="ua">curl/8.5.0</code>', html)
        self.assertIn("<code>00000000-0000-0000-0000-000000000007</code>", html)
        self.assertIn("10 min 0 sec", html)
        self.assertIn('<pre class="body-text">dumped &lt;1.2 GB&gt;\ufffd</pre>', html)
        self.assertIn(f'href="{self.base}/pings/2/body/"', html)
        self.assertNotIn("Subject", html)

    def test_local_times_follow_the_zone_switcher(self) -> None:
        Profile.objects.filter(user=self.bob).update(tz="Europe/Riga")
        self.ping()
        html = self.details(1)
        self.assertIn('<span class="tz">UTC</span> Mar 10, 11:55', html)
        self.assertIn('<span class="tz">Europe/Riga</span> Mar 10, 13:55', html)

    def test_qualifiers(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"kind": "ign"}, '<span class="text-body-secondary">(ignored)</span>'),
            (
                {"kind": "fail", "exitstatus": 3},
                '<span class="text-danger">(failure, exit status 3)</span>',
            ),
            (
                {"kind": "success", "exitstatus": 0},
                '<span class="text-success">(exit status 0)</span>',
            ),
            ({"kind": "fail"}, '<span class="text-danger">(/fail)</span>'),
            ({"kind": "start"}, '<span class="text-success">(/start)</span>'),
            ({"kind": "log"}, '<span class="text-body-secondary">(/log)</span>'),
        ]
        for fields, expected in cases:
            with self.subTest(fields=fields):
                ping = self.ping(**fields)
                self.assertIn(expected, self.details(ping.n))
        plain = self.ping()
        self.assertIn(f"Ping #{plain.n}</h2>", self.details(plain.n))

    def test_an_email_ping_has_raw_text_and_html_tabs(self) -> None:
        self.ping(scheme="email", ua="Email from cron@example.org", body_raw=multipart_email())
        html = self.details(1)
        self.assertIn("Email from cron@example.org", html)
        self.assertIn("<dt>Subject</dt><dd>Backup réport</dd>", html)
        self.assertIn(">Raw Message</button>", html)
        self.assertIn('<pre class="body-text">Backup finished: 42 files.\n</pre>', html)
        # The HTML part is data for the sandboxed frame, never markup of the page.
        self.assertNotIn("<script>alert(1)</script>", html)
        start = html.index('<script id="ping-html-source" type="application/json">')
        source = html[start:].split(">", 1)[1].split("</script>", 1)[0]
        self.assertEqual(
            json.loads(source), "<p>Backup <b>finished</b></p><script>alert(1)</script>\n"
        )
        self.assertIn('<iframe class="email-html" sandbox=""', html)
        # The HTML tab is the active one.
        self.assertIn('class="tab-pane show active" id="ping-html"', html)

    def test_a_plain_text_email_opens_on_the_text_tab(self) -> None:
        self.ping(scheme="email", ua="Email from a@example.org", body_raw=b"Subject: hi\n\nhello\n")
        html = self.details(1)
        self.assertIn('class="tab-pane show active" id="ping-text"', html)
        self.assertNotIn("ping-html", html)

    def test_a_malformed_email_still_shows_its_raw_body(self) -> None:
        body = (
            b"Content-Type: text/plain; charset=no-such-charset\nSubject: =?bogus?q?x?=\n\nbody\xff"
        )
        self.ping(scheme="email", ua="Email from a@example.org", body_raw=body)
        html = self.details(1)
        self.assertIn("body\ufffd", html)

    def test_long_bodies_are_cut_short(self) -> None:
        self.ping(body_raw=b"x" * (MAX_SHOWN_CHARS + 10))
        html = self.details(1)
        self.assertIn("only its beginning is shown", html)
        self.assertIn("x" * MAX_SHOWN_CHARS + "</pre>", html)

    def test_a_body_not_uploaded_yet(self) -> None:
        self.ping(object_size=5000)
        html = self.details(1)
        self.assertIn("not available yet", html)
        self.assertNotIn("Download Original", html)

    def test_unknown_and_pruned_pings_are_not_found(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=1)
        self.ping()
        self.ping()
        for n in (1, 3, 2**31, 10**30):
            with self.subTest(n=n):
                response = self.client.get(f"{self.base}/pings/{n}/")
                self.assertEqual(response.status_code, 404)
                self.assertIn("Not Found", response.content.decode())

    def test_last_ping_is_the_latest_success_or_failure(self) -> None:
        self.ping(kind="fail", body_raw=b"it broke")
        self.ping(kind="start")
        self.ping(kind="log")
        self.ping(kind="ign")
        html = self.client.get(f"{self.base}/last_ping/").content.decode()
        self.assertIn("Ping #1 ", html)
        self.assertIn("it broke", html)

    def test_last_ping_without_pings(self) -> None:
        self.ping(kind="start")
        response = self.client.get(f"{self.base}/last_ping/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Not Found", response.content.decode())

    def test_other_projects_checks_are_not_found(self) -> None:
        self.ping(body_raw=b"secret")
        self.client.force_login(self.charlie)
        for tail in ("pings/1/", "pings/1/body/", "last_ping/"):
            with self.subTest(tail=tail):
                self.assertEqual(self.client.get(f"{self.base}/{tail}").status_code, 404)


@time_machine.travel(NOW, tick=False)
class PingBodyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, n_pings=1)
        self.url = f"/checks/{self.check_.code}/pings/1/body/"
        self.client.force_login(self.rose)

    def test_it_downloads_the_body(self) -> None:
        Ping.objects.create(owner=self.check_, n=1, created=NOW, body_raw=b"log\x00 lines")
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertEqual(
            response["Content-Disposition"], f'attachment; filename="{self.check_.code}-1.txt"'
        )
        self.assertEqual(response.content, b"log\x00 lines")

    def test_no_body_is_404(self) -> None:
        Ping.objects.create(owner=self.check_, n=1, created=NOW)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        Ping.objects.filter(n=1).update(body_raw=b"")
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_unknown_ping_is_404(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_failing_object_storage_is_503(self) -> None:
        Ping.objects.create(owner=self.check_, n=1, created=NOW, object_size=500)
        storage = {
            "S3_BUCKET": "bodies",
            "S3_ENDPOINT": f"127.0.0.1:{closed_port()}",
            "S3_ACCESS_KEY": "key",
            "S3_SECRET_KEY": "secret",
            "S3_SECURE": False,
            "S3_TIMEOUT": 1,
        }
        with override_settings(**storage), self.assertLogs("hc.lib.s3", "WARNING"):
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 503)
            # The dialog says so instead of failing.
            self.client.force_login(self.alice)
            html = self.client.get(f"/checks/{self.check_.code}/pings/1/").content.decode()
        self.assertIn("cannot be reached right now", html)

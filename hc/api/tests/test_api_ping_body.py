"""GET /api/v{1,2,3}/checks/<uuid>/pings/<n>/body (management-api §6.9, monitoring §8.1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import time_machine
from django.conf import settings
from django.test import override_settings

from hc.accounts.models import Profile
from hc.api.models import Check, Ping
from hc.api.tests.api_misc_helpers import ApiTestCase, EndpointContract

NOW = datetime(2026, 5, 2, 1, 0, 11, tzinfo=UTC)


class PingBodyTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")

    def path(self) -> str:
        if not Ping.objects.filter(owner=self.check).exists():
            self.send(b"pg_dump: dumped 118 tables")
        return f"checks/{self.check.code}/pings/1/body"

    def send(self, body: bytes) -> None:
        with time_machine.travel(NOW, tick=False):
            r = self.client.post(
                f"/ping/{self.check.code}", body, content_type="application/octet-stream"
            )
        self.assertEqual(r.status_code, 200)


class PingBodyContractTestCase(EndpointContract, PingBodyTestCase):
    access = "write"


class PingBodyOkTestCase(PingBodyTestCase):
    def test_it_returns_the_body_as_plain_text_without_a_charset(self) -> None:
        self.send(b"pg_dump: dumped 118 tables\n")
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/plain")
        self.assertEqual(r.content, b"pg_dump: dumped 118 tables\n")

    def test_it_returns_binary_bodies_byte_for_byte(self) -> None:
        raw = bytes(range(256)) + b"\xff\xfe\x00caf\xe9"
        self.send(raw)
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content, raw)

    def test_it_picks_the_ping_by_number(self) -> None:
        self.send(b"first")
        self.send(b"second")
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assertEqual(r.content, b"first")
        r = self.api_get(f"checks/{self.check.code}/pings/2/body")
        self.assertEqual(r.content, b"second")

    def test_leading_zeros_in_the_number_are_allowed(self) -> None:
        self.send(b"first")
        for n in ("001", "0" * 20 + "1"):
            with self.subTest(n=n):
                r = self.api_get(f"checks/{self.check.code}/pings/{n}/body")
                self.assertEqual(r.content, b"first")

    def test_it_answers_in_every_api_version(self) -> None:
        self.send(b"hello")
        for version in (1, 2, 3):
            with self.subTest(version=version):
                r = self.api_get(f"checks/{self.check.code}/pings/1/body", version=version)
                self.assertEqual(r.content, b"hello")

    def test_the_body_url_of_the_listing_serves_the_body(self) -> None:
        self.send(b"hello")
        r = self.api_get(f"checks/{self.check.code}/pings/")
        url = self.json(r)["pings"][0]["body_url"]
        path = url.removeprefix(settings.SITE_ROOT)
        r = self.client.get(path, HTTP_X_API_KEY=self.write_key)
        self.assertEqual(r.content, b"hello")


class PingBodyNotFoundTestCase(PingBodyTestCase):
    def test_an_unknown_check_is_404(self) -> None:
        r = self.api_get(f"checks/{uuid.uuid4()}/pings/1/body")
        self.assert_empty(r, 404)

    def test_a_check_of_another_project_is_403(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        Ping.objects.create(owner=other, n=1, created=NOW, body_raw=b"secret")
        r = self.api_get(f"checks/{other.code}/pings/1/body")
        self.assert_empty(r, 403)

    def test_an_unknown_ping_is_404(self) -> None:
        self.send(b"hello")
        r = self.api_get(f"checks/{self.check.code}/pings/2/body")
        self.assert_empty(r, 404)

    def test_ping_zero_is_404(self) -> None:
        self.send(b"hello")
        self.assert_empty(self.api_get(f"checks/{self.check.code}/pings/0/body"), 404)

    def test_a_huge_ping_number_is_404(self) -> None:
        self.send(b"hello")
        for n in ("2147483648", "99999999999999999999", "9" * 5000):
            with self.subTest(digits=len(n)):
                r = self.api_get(f"checks/{self.check.code}/pings/{n}/body")
                self.assert_empty(r, 404)

    def test_a_ping_without_a_body_is_404(self) -> None:
        self.send(b"")
        Ping.objects.create(owner=self.check, n=2, created=NOW, body_raw=None)
        for n in (1, 2):
            with self.subTest(n=n):
                r = self.api_get(f"checks/{self.check.code}/pings/{n}/body")
                self.assert_empty(r, 404)

    def test_a_ping_outside_the_visible_window_is_404_even_if_stored(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2)
        for body in (b"one", b"two", b"three"):
            self.send(body)
        # n_pings = 3, limit 2: only n > 1 is visible.
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assert_empty(r, 404)
        self.assertTrue(Ping.objects.filter(owner=self.check, n=1).exists())
        r = self.api_get(f"checks/{self.check.code}/pings/2/body")
        self.assertEqual(r.content, b"two")

    def test_the_window_uses_the_owners_full_limit_not_the_listing_cap(self) -> None:
        Profile.objects.filter(user=self.alice).update(ping_log_limit=2000)
        Ping.objects.create(owner=self.check, n=1, created=NOW, body_raw=b"old")
        Check.objects.filter(id=self.check.id).update(n_pings=1500)
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assertEqual(r.content, b"old")

    def test_a_body_in_object_storage_without_storage_configured_is_404(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=NOW, object_size=500)
        Check.objects.filter(id=self.check.id).update(n_pings=1)
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assert_empty(r, 404)

    @override_settings(S3_BUCKET="pings")
    def test_a_body_in_unavailable_object_storage_is_503(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=NOW, object_size=500)
        Check.objects.filter(id=self.check.id).update(n_pings=1)
        r = self.api_get(f"checks/{self.check.code}/pings/1/body")
        self.assert_empty(r, 503)
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")

    def test_a_trailing_slash_is_404(self) -> None:
        self.send(b"hello")
        r = self.api_get(f"checks/{self.check.code}/pings/1/body/")
        self.assertEqual(r.status_code, 404)

    def test_a_non_numeric_ping_number_is_404(self) -> None:
        self.send(b"hello")
        r = self.api_get(f"checks/{self.check.code}/pings/one/body")
        self.assertEqual(r.status_code, 404)

"""Malformed input on ping URLs: a 4xx or the specified answer, never a 500.

Acceptance point of ping-api.md: bad UUIDs, huge or non-UTF-8 bodies, bad rids,
overlong slugs, odd methods and garbage X-Forwarded-For must not crash the
receiver. The client below turns server errors into responses (instead of
re-raising), so every test can assert on the status code a real client sees.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.test import Client

from hc.api.models import Check, CheckStatus, Ping, PingKind
from hc.test import PING_KEY, BaseTestCase, stored_body

UPLOAD_CAP = 2621440  # 2.5 MiB, ping-api §8.3


class MalformedTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup", slug="backup")
        self.url = f"/ping/{self.check.code}"
        self.slug_url = f"/ping/{PING_KEY}/backup"
        self.client = Client(raise_request_exception=False)

    def assert_no_server_error(self, r: HttpResponse) -> None:
        self.assertLess(r.status_code, 500, r.content[:500])

    def assert_nothing_recorded(self) -> None:
        self.assertFalse(Ping.objects.exists())
        self.check.refresh_from_db()
        self.assertEqual(self.check.n_pings, 0)
        self.assertEqual(self.check.status, CheckStatus.NEW)

    def latest(self) -> Ping:
        return Ping.objects.filter(owner=self.check).latest("n")


class BodyTestCase(MalformedTestCase):
    def test_it_refuses_a_body_over_the_upload_cap(self) -> None:
        for url in [self.url, self.url + "/fail", self.slug_url, self.slug_url + "/log"]:
            with self.subTest(url=url):
                r = self.client.post(url, b"x" * (UPLOAD_CAP + 1), content_type="text/plain")
                self.assertEqual(r.status_code, 400)
                self.assertNotIn(b"not found", r.content)
        self.assert_nothing_recorded()

    def test_it_accepts_a_body_at_the_upload_cap_and_stores_the_limit(self) -> None:
        r = self.client.post(self.url, b"y" * UPLOAD_CAP, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.latest()), b"y" * 10000)

    def test_it_stores_the_first_10000_bytes_of_a_12000_byte_body(self) -> None:
        body = bytes(i % 251 for i in range(12000))
        r = self.client.post(self.url, body, content_type="application/octet-stream")
        self.assert_text(r, 200, "OK")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        self.assertEqual(stored_body(self.latest()), body[:10000])

    def test_it_stores_non_utf8_and_nul_bytes_verbatim(self) -> None:
        body = b"\x00\xff\xfe Hello \xe9 World \x00"
        for url in [self.url, self.url + "/log", self.slug_url + "/fail"]:
            with self.subTest(url=url):
                r = self.client.post(url, body, content_type="text/plain; charset=utf-8")
                self.assert_text(r, 200, "OK")
                self.assertEqual(stored_body(self.latest()), body)

    def test_it_classifies_a_non_utf8_body_with_filtering_on(self) -> None:
        self.check.filter_http_body = True
        self.check.failure_kw = "World"
        self.check.save()
        r = self.client.post(self.url, b"Hello \xe9 World", content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().kind, PingKind.FAIL)

    def test_it_stores_a_body_with_a_broken_multipart_content_type(self) -> None:
        body = b"--nope\r\ngarbage"
        for content_type in ["multipart/form-data", "multipart/form-data; boundary="]:
            with self.subTest(content_type=content_type):
                r = self.client.post(self.url, body, content_type=content_type)
                self.assert_text(r, 200, "OK")
                self.assertEqual(stored_body(self.latest()), body)

    def test_it_stores_a_broken_form_body(self) -> None:
        body = b"a=%zz&&=%ff&b"
        r = self.client.post(self.url, body, content_type="application/x-www-form-urlencoded")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.latest()), body)


class HeadersTestCase(MalformedTestCase):
    def test_it_survives_a_nul_byte_in_the_user_agent(self) -> None:
        r = self.client.get(self.url, HTTP_USER_AGENT="curl\x00/8")
        self.assert_text(r, 200, "OK")
        self.assertNotIn("\x00", self.latest().ua)
        self.assertEqual(self.latest().ua, "curl/8")

    def test_it_survives_a_nul_byte_in_x_forwarded_proto(self) -> None:
        r = self.client.get(self.url, HTTP_X_FORWARDED_PROTO="ht\x00tps")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().scheme, "https")

    def test_it_survives_non_ascii_header_values(self) -> None:
        # WSGI passes header bytes as latin-1 text.
        ua = "agent é ✓".encode().decode("latin-1")
        r = self.client.get(self.url, HTTP_USER_AGENT=ua, HTTP_X_FORWARDED_PROTO="https\xe9")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().ua, ua)

    def test_it_falls_back_to_the_peer_for_garbage_x_forwarded_for(self) -> None:
        garbage = [
            "",
            " ",
            ",",
            "garbage",
            "\x00",
            "1.1.1.1\x00",
            "1.1.1.1.1",
            "1.1.1.1:abc:def",
            "999.1.1.1:80",
            "[2001::1]:443",
            "2001::1/64",
            "x" * 10000,
            "é",
        ]
        for header in garbage:
            with self.subTest(header=header[:20]):
                r = self.client.get(self.url, HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.7")
                self.assert_text(r, 200, "OK")
                self.assertEqual(self.latest().remote_addr, "10.0.0.7")
        self.assertEqual(Ping.objects.count(), len(garbage))

    def test_it_drops_the_zone_of_a_scoped_ipv6_address(self) -> None:
        # Database address columns cannot hold a zone id; the address itself is kept.
        r = self.client.get(self.url, HTTP_X_FORWARDED_FOR="fe80::1%eth0", REMOTE_ADDR="10.0.0.7")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().remote_addr, "fe80::1")

    def test_it_stores_no_address_when_the_peer_address_is_garbage_too(self) -> None:
        r = self.client.get(self.url, HTTP_X_FORWARDED_FOR="nope", REMOTE_ADDR="unix:")
        self.assert_text(r, 200, "OK")
        self.assertIsNone(self.latest().remote_addr)

    def test_it_survives_odd_methods(self) -> None:
        for method in ["FOO", "PROPFIND", "M-SEARCH", "VERYLONGMETHODNAME", "TRACE"]:
            with self.subTest(method=method):
                r = self.client.generic(method, self.url)
                self.assert_text(r, 200, "OK")
                self.assertEqual(self.latest().method, method[:10])

    def test_it_survives_a_nul_byte_in_the_method(self) -> None:
        r = self.client.generic("GE\x00T", self.url)
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().method, "GET")


class UrlTestCase(MalformedTestCase):
    def test_it_answers_404_for_percent_encoded_newlines_and_nuls(self) -> None:
        urls = [
            self.url + "%0A",
            self.url + "%0D%0A",
            self.url + "%00",
            self.url + "/fail%0A",
            self.url + "/%0A",
            self.url + "/0%00",
            self.slug_url + "%0A",
            self.slug_url + "/start%0A",
            f"/ping/{PING_KEY}%00/backup",
            "/ping/%00/backup",
            "/ping/%0A",
        ]
        for url in urls:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 404)
        self.assert_nothing_recorded()

    def test_it_answers_404_for_bad_uuids(self) -> None:
        code = str(self.check.code)
        urls = [
            "/ping/" + code.upper(),
            "/ping/" + code.replace("-", ""),
            "/ping/" + code[:-1],
            "/ping/" + code + "0",
            "/ping/{" + code + "}",
            "/ping/" + code + "/fail/",
            "/ping/",
            "/ping",
            "/ping//fail",
            "/ping/" + code + "/%C3%A9",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assert_nothing_recorded()

    def test_it_answers_not_found_for_a_uuid_like_slug_url(self) -> None:
        code = str(self.check.code)
        for url in [f"/ping/{code.upper()}/fail", f"/ping/{code}/-1", f"/ping/{code}/zz"]:
            with self.subTest(url=url):
                self.assert_text(self.client.get(url), 404, "not found")
        self.assert_nothing_recorded()

    def test_it_rejects_an_exit_status_of_40_digits(self) -> None:
        for url in [self.url + "/" + "9" * 40, self.slug_url + "/" + "1" * 40]:
            with self.subTest(url=url):
                self.assert_text(self.client.get(url), 400, "invalid url format")
        self.assert_nothing_recorded()

    def test_it_rejects_an_exit_status_of_5000_digits(self) -> None:
        # More digits than Python converts to int by default (4300).
        for url in [self.url + "/" + "9" * 5000, self.slug_url + "/" + "1" * 5000]:
            with self.subTest(url=url[-10:]):
                self.assert_text(self.client.get(url), 400, "invalid url format")
        self.assert_nothing_recorded()

    def test_it_reads_an_exit_status_with_many_leading_zeros(self) -> None:
        r = self.client.get(self.url + "/" + "0" * 5000 + "7")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.latest().exitstatus, 7)
        self.assertEqual(self.latest().kind, PingKind.FAIL)

    def test_it_answers_not_found_for_a_5000_character_slug(self) -> None:
        slug = "a" * 5000
        for suffix in ["", "/start", "/1"]:
            with self.subTest(suffix=suffix):
                self.assert_text(
                    self.client.get(f"/ping/{PING_KEY}/{slug}{suffix}"), 404, "not found"
                )
        self.assert_nothing_recorded()

    def test_it_does_not_create_a_check_with_an_overlong_slug(self) -> None:
        for slug in ["a" * 101, "b" * 5000]:
            with self.subTest(length=len(slug)):
                r = self.client.get(f"/ping/{PING_KEY}/{slug}?create=1")
                self.assert_text(r, 404, "not found")
        self.assertEqual(list(Check.objects.all()), [self.check])

    def test_it_creates_a_check_with_a_100_character_slug(self) -> None:
        slug = "c" * 100
        r = self.client.get(f"/ping/{PING_KEY}/{slug}?create=1")
        self.assert_text(r, 201, "Created")
        self.assertEqual(Check.objects.get(slug=slug).name, slug)

    def test_it_answers_not_found_for_a_5000_character_ping_key(self) -> None:
        r = self.client.get(f"/ping/{'k' * 5000}/backup?create=1")
        self.assert_text(r, 404, "not found")
        self.assert_nothing_recorded()


class QueryStringTestCase(MalformedTestCase):
    def test_it_rejects_undecodable_rids(self) -> None:
        for query in ["rid=%ff", "rid=%00", "rid=%", "rid=%zz", "rid=" + "%ff" * 36]:
            with self.subTest(query=query):
                r = self.client.get(f"{self.url}?{query}")
                self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_rejects_repeated_empty_rids(self) -> None:
        for query in ["rid=&rid=", f"rid={uuid.uuid4()}&rid=", "rid&rid"]:
            with self.subTest(query=query):
                r = self.client.get(f"{self.slug_url}?{query}")
                self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_rejects_a_rid_with_a_trailing_newline(self) -> None:
        r = self.client.get(f"{self.url}?rid={uuid.uuid4()}%0A")
        self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_rejects_a_rid_with_unicode_digits(self) -> None:
        rid = str(uuid.uuid4())
        fullwidth = "\uff11" + rid[1:]  # FULLWIDTH DIGIT ONE
        r = self.client.get(f"{self.url}?rid={fullwidth}")
        self.assert_text(r, 400, "invalid uuid format")

    def test_it_ignores_garbage_in_other_parameters(self) -> None:
        for query in ["%zz=1", "create=%ff", "a=%00&b=%", "&&&", "=", "x" * 5000]:
            with self.subTest(query=query[:20]):
                r = self.client.get(f"{self.url}?{query}")
                self.assert_text(r, 200, "OK")
        self.assertEqual(Ping.objects.count(), 6)

    def test_it_treats_garbage_create_values_as_off(self) -> None:
        for query in ["create=%ff", "create=1%00", "create=%31%00"]:
            with self.subTest(query=query):
                r = self.client.get(f"/ping/{PING_KEY}/web-01?{query}")
                self.assert_text(r, 404, "not found")
        self.assertFalse(Check.objects.filter(slug="web-01").exists())


class SweepTestCase(MalformedTestCase):
    """Every ping URL form against every kind of malformed input.

    Invariants: never a 5xx; a ping is recorded exactly when the answer is
    200 or 201; error bodies never claim "not found" unless they are 404s
    and never say "rate limited" (the Python client reads both phrases).
    """

    def setUp(self) -> None:
        super().setUp()
        # Keyword filtering on, so that every body also goes through decoding.
        self.check.filter_http_body = True
        self.check.failure_kw = "ERROR"
        self.check.success_kw = "OK"
        self.check.save()

    def targets(self) -> list[tuple[str, str]]:
        """(path, query prefix) for all ten endpoints and auto-provisioning."""
        code = self.check.code
        suffixes = ["", "/start", "/fail", "/log", "/0", "/1"]
        targets = [(f"/ping/{code}{s}", "") for s in [*suffixes, "/"]]
        targets += [(f"{self.slug_url}{s}", "") for s in suffixes]
        targets += [(f"/ping/{PING_KEY}/auto-{i}{s}", "create=1&") for i, s in enumerate(suffixes)]
        return targets

    def test_no_malformed_input_causes_a_server_error(self) -> None:
        c = self.client
        inputs: dict[str, Callable[[str, str], Any]] = {
            "rid=%ff": lambda path, q: c.get(f"{path}?{q}rid=%ff"),
            "empty rids": lambda path, q: c.get(f"{path}?{q}rid=&rid="),
            "long rid": lambda path, q: c.get(f"{path}?{q}rid={'f' * 5000}"),
            "binary body": lambda path, q: c.post(
                f"{path}?{q}", b"\xff\xfe\x00ERROR" * 3000, content_type="text/plain"
            ),
            "huge body": lambda path, q: c.post(
                f"{path}?{q}", b"x" * (UPLOAD_CAP + 1), content_type="text/plain"
            ),
            "empty multipart": lambda path, q: c.post(
                f"{path}?{q}", b"", content_type="multipart/form-data"
            ),
            "odd method": lambda path, q: c.generic("FO\x00O", f"{path}?{q}"),
            "options": lambda path, q: c.options(f"{path}?{q}"),
            "garbage xff": lambda path, q: c.get(
                f"{path}?{q}", HTTP_X_FORWARDED_FOR="garbage, 1.1.1.1"
            ),
            "nul headers": lambda path, q: c.get(
                f"{path}?{q}",
                HTTP_USER_AGENT="\x00" * 500,
                HTTP_X_FORWARDED_PROTO="\x00https\x00" * 5,
            ),
            "newline in path": lambda path, q: c.get(f"{path}%0A?{q}"),
            "nul in path": lambda path, q: c.get(f"{path}%00?{q}"),
        }
        successes = 0
        for (path, query), (label, send) in (
            (target, item) for target in self.targets() for item in inputs.items()
        ):
            with self.subTest(path=path, query=query, input=label):
                r = send(path, query)
                self.assert_no_server_error(r)
                self.assertNotIn(b"rate limited", r.content)
                if r.status_code != 404:
                    self.assertNotIn(b"not found", r.content)
                if r.status_code in (200, 201):
                    successes += 1
                    self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertGreater(successes, 0)
        self.assertEqual(Ping.objects.count(), successes)

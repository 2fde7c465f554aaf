"""Pinging by UUID: /ping/<uuid>[/start|/fail|/log|/<exit-status>] (spec ping-api.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from hc.api.models import Check, CheckStatus, Flip, Methods, Ping, PingKind
from hc.test import BaseTestCase, stored_body

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
RID = "5d2c7f0a-1b3e-4c9d-8a76-0e4f2b1c3d5a"


class PingTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup", slug="backup")
        self.url = f"/ping/{self.check.code}"

    def pings(self) -> list[Ping]:
        return list(Ping.objects.filter(owner=self.check).order_by("n"))

    def only_ping(self) -> Ping:
        pings = self.pings()
        self.assertEqual(len(pings), 1)
        return pings[0]

    def reload(self) -> Check:
        self.check.refresh_from_db()
        return self.check

    def assert_nothing_recorded(self) -> None:
        self.assertFalse(Ping.objects.exists())
        self.assertFalse(Flip.objects.exists())
        check = self.reload()
        self.assertEqual(check.n_pings, 0)
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertIsNone(check.last_start)


class MethodsTestCase(PingTestCase):
    @time_machine.travel(NOW, tick=False)
    def test_it_records_a_get_ping(self) -> None:
        r = self.client.get(self.url, HTTP_USER_AGENT="curl/8.5.0")
        self.assert_text(r, 200, "OK")

        ping = self.only_ping()
        self.assertEqual(ping.n, 1)
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(ping.method, "GET")
        self.assertEqual(ping.scheme, "http")
        self.assertEqual(ping.ua, "curl/8.5.0")
        self.assertEqual(ping.remote_addr, "127.0.0.1")
        self.assertEqual(ping.created, NOW)
        self.assertIsNone(ping.body_raw)
        self.assertIsNone(ping.exitstatus)
        self.assertIsNone(ping.rid)

        check = self.reload()
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.n_pings, 1)
        self.assertEqual(check.last_ping, NOW)
        self.assertEqual(check.alert_after, NOW + timedelta(days=1, hours=1))

    def test_it_answers_head_without_a_body(self) -> None:
        r = self.client.head(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content, b"")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        self.assertIn("no-store", r["Cache-Control"])
        self.assertEqual(self.only_ping().method, "HEAD")
        self.assertEqual(self.reload().status, CheckStatus.UP)

    def test_it_records_a_post_ping_with_its_body(self) -> None:
        r = self.client.post(self.url, "rsync: 2 files sent", content_type="text/plain")
        self.assert_text(r, 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.method, "POST")
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(stored_body(ping), b"rsync: 2 files sent")

    def test_it_accepts_any_method_and_records_its_name(self) -> None:
        calls = [
            ("PUT", self.client.put),
            ("DELETE", self.client.delete),
            ("PATCH", self.client.patch),
            ("OPTIONS", self.client.options),
        ]
        for method, call in calls:
            with self.subTest(method=method):
                r = call(self.url)
                self.assert_text(r, 200, "OK")
                self.assertEqual(r["Access-Control-Allow-Origin"], "*")
                latest = Ping.objects.filter(owner=self.check).latest("n")
                self.assertEqual(latest.method, method)
                self.assertEqual(latest.kind, PingKind.SUCCESS)
        self.assertEqual(self.reload().n_pings, 4)

    def test_it_records_an_options_request_instead_of_answering_a_preflight(self) -> None:
        r = self.client.options(
            self.url,
            HTTP_ORIGIN="https://example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        )
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.only_ping().method, "OPTIONS")
        self.assertEqual(self.reload().status, CheckStatus.UP)

    def test_it_records_an_unusual_method_name(self) -> None:
        r = self.client.generic("PROPFIND", self.url)
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.only_ping().method, "PROPFIND")

    def test_it_is_exempt_from_csrf_checks(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(self.url, "hello", content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.only_ping()), b"hello")

    def test_it_is_exempt_from_csrf_checks_on_action_urls(self) -> None:
        client = Client(enforce_csrf_checks=True)
        self.assert_text(client.post(self.url + "/fail", "x", content_type="text/plain"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.FAIL)

    def test_it_ignores_the_headers_the_python_client_sends(self) -> None:
        # healthchecks-io 0.4.4 sends its API key and a JSON content type on pings too.
        r = self.client.post(
            self.url + "?api_key=secret",
            "job output",
            content_type="application/json",
            HTTP_X_API_KEY="secret",
        )
        self.assert_text(r, 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(stored_body(ping), b"job output")


class ActionsTestCase(PingTestCase):
    @time_machine.travel(NOW, tick=False)
    def test_it_handles_start(self) -> None:
        self.assert_text(self.client.get(self.url + "/start"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.START)
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(check.last_start, NOW)
        self.assertIsNone(check.last_ping)

    @time_machine.travel(NOW, tick=False)
    def test_it_handles_fail(self) -> None:
        self.assert_text(self.client.get(self.url + "/fail"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertIsNone(ping.exitstatus)
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.DOWN)
        self.assertEqual(check.last_ping, NOW)
        self.assertIsNone(check.alert_after)

    def test_it_handles_log(self) -> None:
        r = self.client.post(
            self.url + "/log", "disk usage at 91 percent", content_type="text/plain"
        )
        self.assert_text(r, 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.LOG)
        self.assertEqual(stored_body(ping), b"disk usage at 91 percent")
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertEqual(check.n_pings, 1)

    def test_it_handles_exit_status_zero_as_success(self) -> None:
        self.assert_text(self.client.get(self.url + "/0"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(ping.exitstatus, 0)
        self.assertEqual(self.reload().status, CheckStatus.UP)

    def test_it_handles_exit_status_one_as_failure(self) -> None:
        self.assert_text(self.client.post(self.url + "/1"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertEqual(ping.exitstatus, 1)
        self.assertEqual(self.reload().status, CheckStatus.DOWN)

    def test_it_accepts_exit_status_255(self) -> None:
        self.assert_text(self.client.get(self.url + "/255"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertEqual(ping.exitstatus, 255)

    def test_it_rejects_exit_status_256(self) -> None:
        self.assert_text(self.client.get(self.url + "/256"), 400, "invalid url format")
        self.assert_nothing_recorded()

    def test_it_reads_exit_status_with_leading_zeros(self) -> None:
        self.assert_text(self.client.get(self.url + "/007"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertEqual(ping.exitstatus, 7)

    def test_it_reads_zero_with_leading_zeros_as_success(self) -> None:
        self.assert_text(self.client.get(self.url + "/000"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(ping.exitstatus, 0)

    def test_it_treats_a_negative_exit_status_as_a_slug_url(self) -> None:
        # /ping/<uuid>/-1 is the slug route with ping key <uuid>: no such project.
        self.assert_text(self.client.get(self.url + "/-1"), 404, "not found")
        self.assert_nothing_recorded()

    def test_it_treats_an_unknown_action_as_a_slug_url(self) -> None:
        self.assert_text(self.client.get(self.url + "/foo"), 404, "not found")
        self.assert_nothing_recorded()

    def test_it_checks_the_uuid_before_the_exit_status(self) -> None:
        r = self.client.get(f"/ping/{uuid.uuid4()}/256")
        self.assert_text(r, 404, "not found")

    def test_it_checks_the_exit_status_before_the_rid(self) -> None:
        r = self.client.get(self.url + "/256?rid=42")
        self.assert_text(r, 400, "invalid url format")
        self.assert_nothing_recorded()


class RunIdTestCase(PingTestCase):
    def test_it_stores_a_lowercase_rid(self) -> None:
        self.assert_text(self.client.get(f"{self.url}?rid={RID}"), 200, "OK")
        self.assertEqual(self.only_ping().rid, uuid.UUID(RID))

    def test_it_accepts_an_uppercase_rid_and_stores_it_normalised(self) -> None:
        self.assert_text(self.client.get(f"{self.url}/start?rid={RID.upper()}"), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.rid, uuid.UUID(RID))
        self.assertEqual(str(ping.rid), RID)
        self.assertEqual(self.reload().last_start_rid, uuid.UUID(RID))

    def test_it_rejects_bad_rids(self) -> None:
        bad = [
            "42",
            "",
            RID.replace("-", ""),
            RID + "0",
            "{" + RID + "}",
            "x" + RID[1:],
            RID[:-1],
        ]
        for rid in bad:
            with self.subTest(rid=rid):
                r = self.client.get(f"{self.url}?rid={rid}")
                self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_rejects_a_bad_rid_on_every_action(self) -> None:
        for suffix in ["", "/", "/start", "/fail", "/log", "/0", "/1"]:
            with self.subTest(suffix=suffix):
                r = self.client.post(f"{self.url}{suffix}?rid=42", "x", content_type="text/plain")
                self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_uses_the_last_of_repeated_rids(self) -> None:
        r = self.client.get(f"{self.url}?rid=42&rid={RID}")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.only_ping().rid, uuid.UUID(RID))

    def test_it_rejects_repeated_rids_when_the_last_is_bad(self) -> None:
        r = self.client.get(f"{self.url}?rid={RID}&rid=42")
        self.assert_text(r, 400, "invalid uuid format")
        self.assert_nothing_recorded()

    def test_it_ignores_unknown_query_parameters(self) -> None:
        self.assert_text(self.client.get(f"{self.url}?foo=bar&create=1"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)


class RoutingTestCase(PingTestCase):
    def test_it_answers_not_found_for_an_unknown_uuid(self) -> None:
        for suffix in ["", "/", "/start", "/fail", "/log", "/0", "/1"]:
            with self.subTest(suffix=suffix):
                r = self.client.get(f"/ping/{uuid.uuid4()}{suffix}")
                self.assert_text(r, 404, "not found")
        self.assert_nothing_recorded()

    def test_it_checks_the_uuid_before_the_rid(self) -> None:
        self.assert_text(self.client.get(f"/ping/{uuid.uuid4()}?rid=42"), 404, "not found")

    def test_it_has_no_route_for_an_uppercase_uuid(self) -> None:
        r = self.client.get(f"/ping/{str(self.check.code).upper()}")
        self.assertEqual(r.status_code, 404)
        self.assertNotEqual(r.content, b"not found")  # the framework's page
        self.assert_nothing_recorded()

    def test_it_sends_an_uppercase_uuid_with_action_to_the_slug_route(self) -> None:
        r = self.client.get(f"/ping/{str(self.check.code).upper()}/fail")
        self.assert_text(r, 404, "not found")
        self.assert_nothing_recorded()

    def test_it_has_no_route_for_a_uuid_without_hyphens(self) -> None:
        r = self.client.get(f"/ping/{self.check.code.hex}")
        self.assertEqual(r.status_code, 404)
        self.assert_nothing_recorded()

    def test_it_has_no_route_for_a_uuid_in_braces(self) -> None:
        r = self.client.get("/ping/{" + str(self.check.code) + "}")
        self.assertEqual(r.status_code, 404)
        self.assert_nothing_recorded()

    def test_it_accepts_a_trailing_slash_on_the_success_url(self) -> None:
        self.assert_text(self.client.get(self.url + "/"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)

    def test_it_has_no_route_for_a_trailing_slash_after_an_action(self) -> None:
        for suffix in ["/start/", "/fail/", "/log/", "/0/", "/1/"]:
            with self.subTest(suffix=suffix):
                r = self.client.get(self.url + suffix)
                self.assertEqual(r.status_code, 404)
                self.assertNotEqual(r.content, b"not found")
        self.assert_nothing_recorded()

    def test_it_has_no_route_for_a_double_slash(self) -> None:
        self.assertEqual(self.client.get(self.url + "//").status_code, 404)
        self.assert_nothing_recorded()


class ResponseHeadersTestCase(PingTestCase):
    def test_it_sends_the_documented_headers(self) -> None:
        r = self.client.get(self.url)
        self.assert_text(r, 200, "OK")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        directives = {d.strip() for d in r["Cache-Control"].split(",")}
        for directive in ["no-cache", "no-store", "must-revalidate", "private", "max-age=0"]:
            self.assertIn(directive, directives)
        self.assertTrue(r.has_header("Expires"))

    def test_it_sends_the_same_headers_on_every_action(self) -> None:
        for suffix in ["/start", "/fail", "/log", "/0", "/3"]:
            with self.subTest(suffix=suffix):
                r = self.client.post(self.url + suffix)
                self.assert_text(r, 200, "OK")
                self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
                self.assertEqual(r["Access-Control-Allow-Origin"], "*")
                self.assertEqual(r["Ping-Body-Limit"], "10000")
                self.assertIn("no-cache", r["Cache-Control"])

    @override_settings(PING_BODY_LIMIT=100)
    def test_it_advertises_the_configured_limit(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r["Ping-Body-Limit"], "100")

    @override_settings(PING_BODY_LIMIT=None)
    def test_it_omits_the_limit_header_when_unlimited(self) -> None:
        r = self.client.get(self.url)
        self.assert_text(r, 200, "OK")
        self.assertFalse(r.has_header("Ping-Body-Limit"))
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")

    def test_error_bodies_are_plain_text(self) -> None:
        r = self.client.get(self.url + "/256")
        self.assert_text(r, 400, "invalid url format")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
        r = self.client.get(f"/ping/{uuid.uuid4()}")
        self.assert_text(r, 404, "not found")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")


class BodyTestCase(PingTestCase):
    def test_it_stores_the_body_verbatim(self) -> None:
        body = bytes(range(256))
        r = self.client.post(self.url, body, content_type="application/octet-stream")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.only_ping()), body)

    def test_it_stores_a_form_encoded_body_raw(self) -> None:
        r = self.client.post(
            self.url, "a=1&b=two", content_type="application/x-www-form-urlencoded"
        )
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.only_ping()), b"a=1&b=two")

    def test_it_stores_a_multipart_body_raw(self) -> None:
        r = self.client.post(self.url, {"field": "value"}, content_type=MULTIPART_CONTENT)
        self.assert_text(r, 200, "OK")
        expected = encode_multipart(BOUNDARY, {"field": "value"})
        self.assertEqual(stored_body(self.only_ping()), expected)

    def test_it_truncates_the_body_to_the_default_limit(self) -> None:
        body = b"0123456789" * 1200
        r = self.client.post(self.url, body, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        self.assertEqual(stored_body(self.only_ping()), body[:10000])

    @override_settings(PING_BODY_LIMIT=5)
    def test_it_truncates_the_body_to_the_configured_limit(self) -> None:
        r = self.client.post(self.url, "hello world", content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.only_ping()), b"hello")

    @override_settings(PING_BODY_LIMIT=None)
    def test_it_stores_the_whole_body_when_unlimited(self) -> None:
        body = b"x" * 12000
        r = self.client.post(self.url, body, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(stored_body(self.only_ping()), body)

    def test_it_records_an_empty_body_as_no_body(self) -> None:
        self.assert_text(self.client.post(self.url, "", content_type="text/plain"), 200, "OK")
        self.assertFalse(self.only_ping().body_raw)


class RequestFactsTestCase(PingTestCase):
    def test_it_takes_the_scheme_from_x_forwarded_proto(self) -> None:
        self.client.get(self.url, HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(self.only_ping().scheme, "https")

    def test_it_uses_the_actual_scheme_without_x_forwarded_proto(self) -> None:
        self.client.get(self.url, secure=True)
        self.client.get(self.url)
        self.assertEqual([p.scheme for p in self.pings()], ["https", "http"])

    def test_it_prefers_x_forwarded_proto_over_the_actual_scheme(self) -> None:
        self.client.get(self.url, secure=True, HTTP_X_FORWARDED_PROTO="http")
        self.assertEqual(self.only_ping().scheme, "http")

    def test_it_truncates_a_long_scheme(self) -> None:
        self.client.get(self.url, HTTP_X_FORWARDED_PROTO="https-but-much-longer")
        self.assertEqual(self.only_ping().scheme, "https-but-")

    def test_it_uses_the_peer_address_without_x_forwarded_for(self) -> None:
        self.client.get(self.url, REMOTE_ADDR="10.1.2.3")
        self.assertEqual(self.only_ping().remote_addr, "10.1.2.3")

    def test_it_takes_the_first_hop_of_x_forwarded_for(self) -> None:
        self.client.get(self.url, HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3")
        self.assertEqual(self.only_ping().remote_addr, "1.1.1.1")

    def test_it_reads_x_forwarded_for_forms(self) -> None:
        cases = [
            ("1.1.1.1:1234", "1.1.1.1"),
            ("::ffff:1.1.1.1", "::ffff:1.1.1.1"),
            ("2001::1", "2001::1"),
            (" 1.1.1.1 , 2.2.2.2", "1.1.1.1"),
            ("1.1.1.1:1234, 2.2.2.2", "1.1.1.1"),
        ]
        for header, expected in cases:
            with self.subTest(header=header):
                self.client.get(self.url, HTTP_X_FORWARDED_FOR=header)
                latest = Ping.objects.filter(owner=self.check).latest("n")
                self.assertEqual(latest.remote_addr, expected)

    def test_it_falls_back_to_the_peer_address_for_a_garbage_x_forwarded_for(self) -> None:
        for header in ["garbage", "unknown, 1.1.1.1", "1.1.1", "300.1.1.1", "[2001::1]:80"]:
            with self.subTest(header=header):
                r = self.client.get(self.url, HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.9")
                self.assert_text(r, 200, "OK")
                latest = Ping.objects.filter(owner=self.check).latest("n")
                self.assertEqual(latest.remote_addr, "10.0.0.9")

    def test_it_truncates_the_user_agent_to_200_characters(self) -> None:
        ua = "a" * 150 + "b" * 150
        self.client.get(self.url, HTTP_USER_AGENT=ua)
        self.assertEqual(self.only_ping().ua, ua[:200])

    def test_it_stores_an_empty_user_agent_when_absent(self) -> None:
        self.client.get(self.url)
        self.assertEqual(self.only_ping().ua, "")


class AllowedMethodsTestCase(PingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check.methods = Methods.POST
        self.check.save()

    def test_it_ignores_get_on_a_post_only_check(self) -> None:
        self.assert_text(self.client.get(self.url), 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.IGNORED)
        self.assertEqual(ping.method, "GET")
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)
        self.assertEqual(check.n_pings, 1)
        self.assertFalse(Flip.objects.exists())

    def test_it_ignores_head_and_other_methods_on_a_post_only_check(self) -> None:
        self.assertEqual(self.client.head(self.url + "/fail").status_code, 200)
        self.assert_text(self.client.put(self.url + "/start"), 200, "OK")
        self.assertEqual([p.kind for p in self.pings()], [PingKind.IGNORED] * 2)
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_start)

    def test_it_accepts_post_on_a_post_only_check(self) -> None:
        self.assert_text(self.client.post(self.url), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)
        self.assertEqual(self.reload().status, CheckStatus.UP)

    def test_the_method_rule_beats_keyword_filtering(self) -> None:
        self.check.filter_http_body = True
        self.check.success_kw = "OK"
        self.check.save()
        r = self.client.generic("PUT", self.url, b"all OK", content_type="text/plain")
        self.assert_text(r, 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.IGNORED)


class KeywordFilteringTestCase(PingTestCase):
    """Spec ping-api §7 step 3 and the examples of §17.9."""

    def setUp(self) -> None:
        super().setUp()
        self.check.filter_http_body = True
        self.check.success_kw = "Backup OK"
        self.check.failure_kw = "ERROR, FATAL"
        self.check.filter_default_fail = True
        self.check.save()

    def post(self, suffix: str, body: bytes | str) -> PingKind:
        r = self.client.post(self.url + suffix, body, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        return PingKind(Ping.objects.filter(owner=self.check).latest("n").kind)

    def test_a_success_keyword_overrides_log(self) -> None:
        self.assertEqual(self.post("/log", "… Backup OK …"), PingKind.SUCCESS)
        self.assertEqual(self.reload().status, CheckStatus.UP)

    def test_failure_keywords_win_over_success_keywords(self) -> None:
        self.assertEqual(self.post("", "ERROR: disk full … Backup OK"), PingKind.FAIL)
        self.assertEqual(self.reload().status, CheckStatus.DOWN)

    def test_a_get_without_body_falls_back_to_default_fail(self) -> None:
        self.assert_text(self.client.get(self.url), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.FAIL)
        self.assertEqual(self.reload().status, CheckStatus.DOWN)

    def test_it_trims_keywords(self) -> None:
        self.assertEqual(self.post("", "FATAL: out of memory"), PingKind.FAIL)

    def test_it_matches_keywords_case_sensitively(self) -> None:
        self.check.filter_default_fail = False
        self.check.save()
        self.assertEqual(self.post("", "backup ok, error"), PingKind.IGNORED)

    def test_it_matches_substrings_without_word_boundaries(self) -> None:
        self.assertEqual(self.post("", "NoBackup OKAY"), PingKind.SUCCESS)

    def test_it_ignores_an_unmatched_body_without_default_fail(self) -> None:
        self.check.filter_default_fail = False
        self.check.save()
        self.assertEqual(self.post("", "nothing to see"), PingKind.IGNORED)
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertIsNone(check.last_ping)

    def test_it_classifies_start_keywords_last(self) -> None:
        self.check.start_kw = "Starting"
        self.check.save()
        self.assertEqual(self.post("", "Starting backup"), PingKind.START)
        self.assertEqual(self.post("", "Starting backup… Backup OK"), PingKind.SUCCESS)
        self.assertEqual(self.post("", "Starting backup… ERROR"), PingKind.FAIL)

    def test_empty_keyword_items_never_match(self) -> None:
        self.check.success_kw = " , ,"
        self.check.failure_kw = ""
        self.check.filter_default_fail = False
        self.check.save()
        self.assertEqual(self.post("", "anything at all"), PingKind.IGNORED)

    def test_keywords_override_start_and_fail_urls(self) -> None:
        self.assertEqual(self.post("/start", "Backup OK"), PingKind.SUCCESS)
        self.assertEqual(self.post("/fail", "Backup OK"), PingKind.SUCCESS)
        self.assertEqual(self.post("/log", "nothing"), PingKind.FAIL)

    def test_keywords_override_exit_status_which_is_still_stored(self) -> None:
        self.assertEqual(self.post("/3", "Backup OK"), PingKind.SUCCESS)
        self.assertEqual(self.post("/0", "ERROR"), PingKind.FAIL)
        self.assertEqual([p.exitstatus for p in self.pings()], [3, 0])

    @override_settings(PING_BODY_LIMIT=10)
    def test_it_only_looks_at_the_stored_part_of_the_body(self) -> None:
        self.assertEqual(self.post("", "0123456789 Backup OK"), PingKind.FAIL)

    def test_it_decodes_a_non_utf8_body_leniently(self) -> None:
        body = b"Hello \xe9 World, Backup OK"
        r = self.client.post(self.url, body, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(stored_body(ping), body)

    @override_settings(PING_BODY_LIMIT=7)
    def test_it_survives_truncation_inside_a_multibyte_character(self) -> None:
        body = "ERROR é".encode()  # "é" is two bytes; the limit cuts it in half
        r = self.client.post(self.url, body, content_type="text/plain")
        self.assert_text(r, 200, "OK")
        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.FAIL)
        self.assertEqual(stored_body(ping), body[:7])

    def test_it_does_not_filter_when_filtering_is_off(self) -> None:
        self.check.filter_http_body = False
        self.check.save()
        self.assertEqual(self.post("", "ERROR everywhere"), PingKind.SUCCESS)
        self.assertEqual(self.post("/log", "Backup OK"), PingKind.LOG)

    def test_email_filters_do_not_affect_http_pings(self) -> None:
        self.check.filter_http_body = False
        self.check.filter_subject = True
        self.check.filter_body = True
        self.check.save()
        self.assertEqual(self.post("", "ERROR everywhere"), PingKind.SUCCESS)


class StickyPauseTestCase(PingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check.status = CheckStatus.PAUSED
        self.check.manual_resume = True
        self.check.save()

    def test_it_ignores_every_kind_of_ping(self) -> None:
        suffixes = ["", "/", "/start", "/fail", "/log", "/0", "/1"]
        for suffix in suffixes:
            with self.subTest(suffix=suffix):
                self.assert_text(self.client.post(self.url + suffix), 200, "OK")
        self.assertEqual([p.kind for p in self.pings()], [PingKind.IGNORED] * len(suffixes))
        self.assertEqual([p.exitstatus for p in self.pings()][-2:], [0, 1])
        check = self.reload()
        self.assertEqual(check.status, CheckStatus.PAUSED)
        self.assertEqual(check.n_pings, len(suffixes))
        self.assertIsNone(check.last_ping)
        self.assertIsNone(check.last_start)
        self.assertIsNone(check.alert_after)
        self.assertFalse(Flip.objects.exists())

    def test_it_beats_keyword_filtering(self) -> None:
        self.check.filter_http_body = True
        self.check.failure_kw = "ERROR"
        self.check.save()
        self.client.post(self.url, "ERROR", content_type="text/plain")
        self.assertEqual(self.only_ping().kind, PingKind.IGNORED)
        self.assertEqual(self.reload().status, CheckStatus.PAUSED)

    def test_it_does_not_apply_without_manual_resume(self) -> None:
        self.check.manual_resume = False
        self.check.save()
        self.client.get(self.url)
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)
        self.assertEqual(self.reload().status, CheckStatus.UP)


class ConfirmationLinkTestCase(PingTestCase):
    def test_it_sets_and_resets_has_confirmation_link(self) -> None:
        self.client.post(self.url, "Please Confirm your subscription", content_type="text/plain")
        self.assertTrue(self.reload().has_confirmation_link)
        self.client.post(self.url, "all done", content_type="text/plain")
        self.assertFalse(self.reload().has_confirmation_link)

    def test_it_resets_it_on_a_ping_without_body(self) -> None:
        self.check.has_confirmation_link = True
        self.check.save()
        self.client.head(self.url + "/log")
        self.assertFalse(self.reload().has_confirmation_link)

    def test_it_sets_it_on_log_and_ignored_pings_too(self) -> None:
        self.client.post(self.url + "/log", b"CONFIRM \xff", content_type="text/plain")
        self.assertTrue(self.reload().has_confirmation_link)

    @override_settings(PING_BODY_LIMIT=10)
    def test_it_only_looks_at_the_stored_part_of_the_body(self) -> None:
        self.client.post(self.url, "0123456789 confirm", content_type="text/plain")
        self.assertFalse(self.reload().has_confirmation_link)

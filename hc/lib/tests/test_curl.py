"""hc.lib.curl: the outbound HTTP client, against a real loopback receiver (integrations §2.5)."""

from __future__ import annotations

import os
from unittest import mock

from django.test import SimpleTestCase, override_settings

from hc.lib import curl
from hc.test_receiver import Answer, Receiver, Request, SharedReceiver, free_port

LOOPBACK_OK = override_settings(
    INTEGRATIONS_ALLOW_PRIVATE_IPS=True, INTEGRATIONS_HTTP_TIMEOUT=10, INTEGRATIONS_HTTP_TRIES=3
)


@LOOPBACK_OK
class CurlTestCase(SharedReceiver, SimpleTestCase):
    def received(self, count: int = 1) -> list[Request]:
        return self.receiver.wait(count)

    def assert_attempts(self, count: int) -> None:
        # The receiver records a request just after answering it, so the
        # client can be done before the last one is on the list: wait.
        self.assertEqual(len(self.receiver.wait(count)), count)

    # Requests on the wire -----------------------------------------------------

    def test_get_sends_our_user_agent_and_no_body(self) -> None:
        curl.request("GET", self.receiver.url("/hook"))
        request = self.received()[0]
        self.assertEqual(request.method, "GET")
        self.assertEqual(request.path, "/hook")
        self.assertEqual(request.header("User-Agent"), "Mychecks")
        self.assertEqual(request.header("Accept"), "*/*")
        self.assertIsNone(request.header("Content-Type"))
        self.assertIsNone(request.header("Content-Length"))
        self.assertEqual(request.body, b"")

    def test_callers_user_agent_wins_in_any_case(self) -> None:
        curl.request("GET", self.receiver.url(), headers={"user-agent": "Mine/1.0"})
        request = self.received()[0]
        self.assertEqual(request.header("User-Agent"), "Mine/1.0")
        self.assertEqual(
            [k for k, _ in request.headers if k.lower() == "user-agent"], ["user-agent"]
        )

    def test_it_sends_caller_headers_as_given(self) -> None:
        curl.request("GET", self.receiver.url(), headers={"X-Token": "a½b", "X-Empty": ""})
        request = self.received()[0]
        self.assertEqual(request.header("X-Token"), "a½b".encode("latin-1").decode("latin-1"))
        self.assertEqual(request.header("X-Empty"), "")

    def test_line_breaks_cannot_inject_headers(self) -> None:
        curl.request("GET", self.receiver.url(), headers={"X-A": "one\r\nX-Injected: yes"})
        request = self.received()[0]
        self.assertEqual(request.header("X-A"), "one X-Injected: yes")
        self.assertIsNone(request.header("X-Injected"))

    def test_params_start_a_query(self) -> None:
        curl.request("GET", self.receiver.url("/p"), params={"a": "1 2", "b": "é&"})
        self.assertEqual(self.received()[0].path, "/p?a=1+2&b=%C3%A9%26")

    def test_params_extend_an_existing_query(self) -> None:
        curl.request("GET", self.receiver.url("/p?x=0#frag"), params={"a": "1"})
        self.assertEqual(self.received()[0].path, "/p?x=0&a=1")

    def test_non_ascii_paths_are_percent_encoded(self) -> None:
        curl.request("GET", self.receiver.url("/Zürich/a b"))
        self.assertEqual(self.received()[0].path, "/Z%C3%BCrich/a%20b")

    def test_a_form_body_is_labelled_as_a_form(self) -> None:
        curl.request("POST", self.receiver.url(), data={"text": "a b", "n": "1"})
        request = self.received()[0]
        self.assertEqual(request.header("Content-Type"), "application/x-www-form-urlencoded")
        self.assertEqual(request.form(), {"text": ["a b"], "n": ["1"]})

    def test_a_raw_body_gets_no_content_type(self) -> None:
        curl.request("POST", self.receiver.url(), data="Grüße {}")
        request = self.received()[0]
        self.assertIsNone(request.header("Content-Type"))
        self.assertIsNone(request.header("Expect"))
        self.assertEqual(request.body, "Grüße {}".encode())
        self.assertEqual(request.header("Content-Length"), str(len("Grüße {}".encode())))

    def test_a_raw_body_keeps_the_callers_content_type(self) -> None:
        curl.request("PUT", self.receiver.url(), data=b"<x/>", headers={"content-type": "text/xml"})
        request = self.received()[0]
        self.assertEqual(request.method, "PUT")
        self.assertEqual(request.header("Content-Type"), "text/xml")
        self.assertEqual(request.body, b"<x/>")

    def test_a_large_raw_body_is_sent_without_waiting_for_100_continue(self) -> None:
        body = b"x" * 100_000
        curl.request("POST", self.receiver.url(), data=body)
        request = self.received()[0]
        self.assertIsNone(request.header("Expect"))
        self.assertEqual(request.body, body)

    def test_json_is_ascii_escaped_and_labelled(self) -> None:
        curl.request("POST", self.receiver.url(), json={"name": "Zürich"})
        request = self.received()[0]
        self.assertEqual(request.header("Content-Type"), "application/json")
        self.assertEqual(request.body, b'{"name": "Z\\u00fcrich"}')

    def test_an_empty_post_has_no_content_length(self) -> None:
        for count, method in enumerate(("POST", "PUT"), start=1):
            with self.subTest(method=method):
                curl.request(method, self.receiver.url(f"/{method}"))
                request = self.received(count)[-1]
                self.assertEqual(request.method, method)
                self.assertIsNone(request.header("Content-Length"))
                self.assertIsNone(request.header("Content-Type"))

    def test_basic_auth(self) -> None:
        curl.request("POST", self.receiver.url(), auth=("api:user", "sécret"), data={"a": "b"})
        # base64 of "api:user:sécret" in UTF-8
        self.assertEqual(
            self.received()[0].header("Authorization"), "Basic YXBpOnVzZXI6c8OpY3JldA=="
        )

    def test_it_refuses_other_methods(self) -> None:
        with self.assertRaises(ValueError):
            curl.request("DELETE", self.receiver.url())

    # Responses ------------------------------------------------------------------

    def test_it_returns_status_headers_and_body(self) -> None:
        self.receiver.script(
            Answer(
                201,
                '{"ok": "grün"}'.encode(),
                {"Content-Type": "application/json; charset=utf-8", "X-Id": "7"},
            )
        )
        response = curl.request("POST", self.receiver.url(), json={})
        self.assertEqual(response.status, 201)
        self.assertTrue(response.ok)
        self.assertEqual(response.headers["x-id"], "7")
        self.assertEqual(response.text, '{"ok": "grün"}')
        self.assertEqual(response.json(), {"ok": "grün"})

    def test_text_uses_the_declared_charset(self) -> None:
        self.receiver.script(
            Answer(
                200, "Grüße".encode("latin-1"), {"Content-Type": "text/plain; charset=iso-8859-1"}
            )
        )
        self.assertEqual(curl.request("GET", self.receiver.url()).text, "Grüße")

    def test_only_200_201_202_204_are_ok(self) -> None:
        for status, ok in ((200, True), (202, True), (204, True), (203, False), (404, False)):
            with self.subTest(status=status):
                self.receiver.script(Answer(status, b""))
                self.assertEqual(curl.request("GET", self.receiver.url(), tries=1).ok, ok)

    def test_an_oversized_response_is_an_error(self) -> None:
        self.receiver.script(Answer(200, b"x" * 100))
        with (
            mock.patch.object(curl, "MAX_RESPONSE_BYTES", 50),
            self.assertRaises(curl.CurlError) as cm,
        ):
            curl.request("GET", self.receiver.url(), tries=1)
        self.assertEqual(cm.exception.message, "Response too large")

    def test_it_goes_through_the_proxy_from_the_environment(self) -> None:
        # The receiver plays the proxy: it gets the absolute URL, host IDNA-encoded.
        proxy = {"http_proxy": self.receiver.url(), "no_proxy": ""}
        with mock.patch.dict(os.environ, proxy):
            curl.request("GET", "http://bücher.example/ü?x=1")
        self.assertEqual(self.received()[0].path, "http://xn--bcher-kva.example/%C3%BC?x=1")

    # Redirects ------------------------------------------------------------------

    def test_it_follows_up_to_three_redirects(self) -> None:
        for n in range(3):
            self.receiver.route("GET", f"/r{n}", Answer(302, headers={"Location": f"/r{n + 1}"}))
        self.receiver.route("GET", "/r3", Answer(200, b"done", {"X-Final": "yes"}))
        response = curl.request("GET", self.receiver.url("/r0"))
        self.assertEqual((response.status, response.content), (200, b"done"))
        self.assertEqual(response.headers.get("X-Final"), "yes")
        self.assertNotIn("Location", response.headers)
        self.assertEqual([r.path for r in self.received(4)], ["/r0", "/r1", "/r2", "/r3"])

    def test_a_fourth_redirect_is_too_many(self) -> None:
        self.receiver.route("GET", "/loop", Answer(302, headers={"Location": "/loop"}))
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", self.receiver.url("/loop"), tries=1)
        self.assertEqual(cm.exception.message, "Too many redirects")
        self.assert_attempts(4)

    def test_redirects_only_go_to_http_and_https(self) -> None:
        self.receiver.route("GET", "/away", Answer(302, headers={"Location": "file:///etc/passwd"}))
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", self.receiver.url("/away"), tries=1)
        self.assertTrue(cm.exception.message.startswith("HTTP request failed, code: "))

    def test_other_schemes_are_refused(self) -> None:
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", f"ftp://127.0.0.1:{free_port()}/", tries=1)
        self.assertEqual(cm.exception.message, "HTTP request failed, code: 1")

    # Retries ------------------------------------------------------------------

    def test_it_makes_up_to_three_attempts_and_returns_the_last_answer(self) -> None:
        self.receiver.script(500, 502, 503)
        response = curl.request("POST", self.receiver.url(), data="x")
        self.assertEqual(response.status, 503)
        self.assert_attempts(3)
        self.assertEqual([r.body for r in self.receiver.requests], [b"x"] * 3)

    def test_it_stops_retrying_on_success(self) -> None:
        self.receiver.script(500, 204)
        self.assertEqual(curl.request("GET", self.receiver.url()).status, 204)
        self.assert_attempts(2)

    @override_settings(INTEGRATIONS_HTTP_TRIES=2)
    def test_the_number_of_tries_is_read_at_call_time(self) -> None:
        self.receiver.script(500, 500, 500)
        self.assertEqual(curl.request("GET", self.receiver.url()).status, 500)
        self.assert_attempts(2)

    def test_one_try_is_one_attempt(self) -> None:
        self.receiver.script(500, 500)
        self.assertEqual(curl.request("GET", self.receiver.url(), tries=1).status, 500)
        self.assert_attempts(1)

    def test_retry_if_decides_which_answers_are_retried(self) -> None:
        self.receiver.script(404, 500)
        response = curl.request("GET", self.receiver.url(), retry_if=lambda r: r.status >= 500)
        self.assertEqual(response.status, 404)
        self.assert_attempts(1)

    def test_network_errors_are_retried(self) -> None:
        # Its own receiver: the slow answer's request is recorded late.
        with Receiver() as receiver:
            receiver.script(Answer(delay=0.5), Answer(202))
            response = curl.request("GET", receiver.url(), timeout=0.2)
            self.assertEqual(response.status, 202)
            self.assertEqual(len(receiver.wait(2)), 2)

    # Network errors -----------------------------------------------------------

    def test_a_slow_answer_times_out(self) -> None:
        with Receiver() as receiver, self.assertRaises(curl.CurlError) as cm:
            receiver.script(Answer(delay=2))
            curl.request("GET", receiver.url(), tries=1, timeout=1)
        self.assertEqual(cm.exception.message, "Connection timed out")

    def test_a_closed_port_fails_to_connect(self) -> None:
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", f"http://127.0.0.1:{free_port()}/", tries=1)
        self.assertEqual(cm.exception.message, "Connection failed")

    def test_an_unknown_host_does_not_resolve(self) -> None:
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", "http://no-such-host.invalid/", tries=1)
        self.assertEqual(cm.exception.message, "Could not resolve host")

    def test_tls_to_a_plain_http_server_fails_the_handshake(self) -> None:
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", self.receiver.url().replace("http://", "https://"), tries=1)
        self.assertEqual(cm.exception.message, "TLS handshake failed")


class PrivateAddressGuardTestCase(SimpleTestCase):
    """The default settings: INTEGRATIONS_ALLOW_PRIVATE_IPS=False."""

    def test_it_refuses_loopback_without_connecting(self) -> None:
        with Receiver() as receiver:
            with self.assertRaises(curl.CurlError) as cm:
                curl.request("GET", receiver.url())
            self.assertEqual(len(receiver.requests), 0)
        self.assertEqual(
            cm.exception.message, "Connections to private IP addresses are not allowed"
        )
        self.assertFalse(cm.exception.retryable)

    def test_it_checks_the_addresses_a_name_resolves_to(self) -> None:
        with self.assertRaises(curl.CurlError) as cm:
            curl.request("GET", f"http://localhost:{free_port()}/")
        self.assertEqual(
            cm.exception.message, "Connections to private IP addresses are not allowed"
        )

    def test_it_checks_the_proxy_address_too(self) -> None:
        with Receiver() as receiver:
            proxy = {"http_proxy": receiver.url(), "no_proxy": ""}
            with mock.patch.dict(os.environ, proxy), self.assertRaises(curl.CurlError) as cm:
                curl.request("GET", "http://example.org/")
            self.assertEqual(len(receiver.requests), 0)
        self.assertEqual(
            cm.exception.message, "Connections to private IP addresses are not allowed"
        )

    def test_which_addresses_are_public(self) -> None:
        public = ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
        private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",  # carrier-grade NAT
            "169.254.169.254",  # cloud metadata
            "0.0.0.0",  # noqa: S104 - an address to judge, not to bind
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1%eth0",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",  # IPv4-mapped
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
            "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        ]
        for address in public:
            with self.subTest(address=address):
                self.assertTrue(curl.is_public_ip(address))
        for address in private:
            with self.subTest(address=address):
                self.assertFalse(curl.is_public_ip(address))

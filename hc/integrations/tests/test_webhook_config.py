"""WebhookConfig validation and the headers textarea (integrations spec §3.2.2-§3.2.3)."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase
from pydantic import ValidationError

from hc.integrations import registry
from hc.integrations.webhook.config import (
    WebhookConfig,
    format_headers,
    parse_headers,
)
from hc.integrations.webhook.transport import WebhookTransport

HOOK = "https://example.org/hook"


class WebhookConfigTestCase(SimpleTestCase):
    def errors(self, **fields: Any) -> dict[str, str]:
        """Field name -> message of the validation errors for these fields."""
        with self.assertRaises(ValidationError) as cm:
            WebhookConfig.model_validate(fields)
        return {".".join(map(str, e["loc"])): e["msg"] for e in cm.exception.errors()}

    def test_it_stores_every_field_under_sorted_keys(self) -> None:
        config = WebhookConfig(url_down=HOOK).model_dump()
        self.assertEqual(
            config,
            {
                "body_down": "",
                "body_up": "",
                "headers_down": {},
                "headers_up": {},
                "method_down": "GET",
                "method_up": "GET",
                "url_down": HOOK,
                "url_up": "",
            },
        )
        self.assertEqual(list(config), sorted(config))

    def test_the_registry_knows_the_kind(self) -> None:
        integration = registry.get("webhook")
        self.assertEqual(integration.label, "Webhook")
        self.assertIs(integration.transport, WebhookTransport)
        self.assertIs(integration.config, WebhookConfig)
        with self.settings(WEBHOOKS_ENABLED=False):
            self.assertFalse(integration.enabled())
        with self.settings(WEBHOOKS_ENABLED=True):
            self.assertTrue(integration.enabled())

    def test_it_accepts_the_seed_003_recipe(self) -> None:
        headers = {"Check-Status": "$STATUS", "Content-Type": "application/json"}
        config = WebhookConfig(
            method_down="POST",
            url_down=HOOK,
            body_down="$JSON",
            headers_down=headers,
            method_up="POST",
            url_up=HOOK,
            body_up="$JSON",
            headers_up=headers,
        )
        self.assertEqual(config.headers_up, headers)

    def test_it_needs_at_least_one_url(self) -> None:
        self.assertEqual(self.errors(), {"url_down": "Enter a valid URL."})
        self.assertEqual(self.errors(url_down="  ", url_up=""), {"url_down": "Enter a valid URL."})

    def test_either_url_is_enough(self) -> None:
        self.assertEqual(WebhookConfig(url_up=HOOK).url_down, "")

    def test_it_rejects_unknown_keys(self) -> None:
        self.assertIn("colour", self.errors(url_down=HOOK, colour="red"))

    def test_it_tolerates_a_copied_name_when_reading_a_stored_value(self) -> None:
        stored = {**WebhookConfig(url_down=HOOK).model_dump(), "name": "ilert"}
        self.assertEqual(WebhookConfig.from_stored(stored).url_down, HOOK)

    def test_a_stored_body_next_to_get_is_ignored(self) -> None:
        stored = {"url_down": HOOK, "body_down": "$JSON", "method_up": "POST", "body_up": "x"}
        config = WebhookConfig.from_stored(stored)
        self.assertEqual((config.body_down, config.body_up), ("", "x"))

    def test_a_broken_stored_value_still_fails(self) -> None:
        with self.assertRaises(ValidationError):
            WebhookConfig.from_stored({"url_down": "ftp://example.org/"})

    def test_methods(self) -> None:
        config = WebhookConfig.model_validate({"url_down": HOOK, "method_down": "put"})
        self.assertEqual(config.method_down, "PUT")
        self.assertEqual(
            self.errors(url_down=HOOK, method_down="DELETE"),
            {"method_down": "Input should be 'GET', 'POST' or 'PUT'"},
        )

    # URLs ------------------------------------------------------------------------

    def test_urls_it_accepts(self) -> None:
        cases = {
            "https://example.org/hook": "https://example.org/hook",
            "  http://example.org  ": "http://example.org",
            "example.org/hook?x=1": "https://example.org/hook?x=1",
            "http://nas:8080/hook": "http://nas:8080/hook",
            "http://my_service/hook": "http://my_service/hook",
            "http://127.0.0.1:9000/": "http://127.0.0.1:9000/",
            "http://[::1]:8080/x": "http://[::1]:8080/x",
            "https://bücher.example/": "https://bücher.example/",
            "https://user:pa$$@example.org/": "https://user:pa$$@example.org/",
            "https://example.org/$CODE/$NAME?tags=$TAGS&s=$STATUS": (
                "https://example.org/$CODE/$NAME?tags=$TAGS&s=$STATUS"
            ),
            "HTTPS://EXAMPLE.ORG/": "HTTPS://EXAMPLE.ORG/",
        }
        for given, stored in cases.items():
            with self.subTest(url=given):
                self.assertEqual(WebhookConfig(url_down=given).url_down, stored)

    def test_urls_it_rejects(self) -> None:
        cases = {
            "ftp://example.org/": "Only http:// and https:// URLs are supported.",
            "javascript://x": "Only http:// and https:// URLs are supported.",
            "https://": "Enter a valid URL.",
            "https:///path": "Enter a valid URL.",
            "https://exa mple.org/": "Enter a valid URL.",
            "https://example.org/a b": "Enter a valid URL.",
            "https://example.org/a\x00b": "Enter a valid URL.",
            "https://example.org:99999/": "Enter a valid URL.",
            "https://example.org:port/": "Enter a valid URL.",
            "https://-bad-.example/": "Enter a valid URL.",
            "https://[nope]/": "Enter a valid URL.",
            "https://$NAME.example.org/": "Placeholders are not allowed in the host name.",
            "https://example.org:$CODE/": "Placeholders are not allowed in the host name.",
            "https://example.org/" + "x" * 1000: "at most 1000 characters",
        }
        for given, message in cases.items():
            with self.subTest(url=given):
                errors = self.errors(url_up=given)
                self.assertEqual(list(errors), ["url_up"])
                self.assertIn(message, errors["url_up"])

    def test_non_strings_are_not_urls(self) -> None:
        self.assertIn("url_down", self.errors(url_down=42))

    # Bodies ---------------------------------------------------------------------

    def test_a_body_needs_post_or_put(self) -> None:
        self.assertEqual(
            self.errors(url_down=HOOK, body_down="$JSON", url_up=HOOK, body_up="x"),
            {
                "body_down": "A request body is sent only with POST or PUT.",
                "body_up": "A request body is sent only with POST or PUT.",
            },
        )
        for method in ("POST", "PUT"):
            config = WebhookConfig(url_down=HOOK, method_down=method, body_down="$JSON")
            self.assertEqual(config.body_down, "$JSON")

    def test_a_body_has_at_most_1000_characters(self) -> None:
        WebhookConfig(url_down=HOOK, method_down="POST", body_down="x" * 1000)
        errors = self.errors(url_down=HOOK, method_down="POST", body_down="x" * 1001)
        self.assertEqual(list(errors), ["body_down"])
        self.assertIn("at most 1000 characters", errors["body_down"])

    # Headers ----------------------------------------------------------------------

    def test_header_names_and_values_are_trimmed(self) -> None:
        config = WebhookConfig(url_down=HOOK, headers_down={" X-Token ": "  abc  "})
        self.assertEqual(config.headers_down, {"X-Token": "abc"})

    def test_headers_it_rejects(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"X-A": " "}, 'Use "Header-Name: value" pairs, one per line.'),
            ({" ": "x"}, 'Use "Header-Name: value" pairs, one per line.'),
            ({"X-Ā": "x"}, 'Header name "X-Ā" must not contain special characters.'),
            ({"X A": "x"}, 'Header name "X A" must not contain special characters.'),
            ({"X:A": "x"}, 'Header name "X:A" must not contain special characters.'),
            ({"X-A": "one\ntwo"}, 'The value of header "X-A" must not contain control characters.'),
            ({"X" * 1001: "x"}, "at most 1000 characters"),
            ({"X-A": "x" * 1001}, "at most 1000 characters"),
            ({"X-A": 1}, "must be strings"),
        ]
        for headers, message in cases:
            with self.subTest(headers=headers):
                errors = self.errors(url_down=HOOK, headers_up=headers)
                self.assertEqual(list(errors), ["headers_up"])
                self.assertIn(message, errors["headers_up"])

    def test_header_values_may_hold_any_printable_text(self) -> None:
        config = WebhookConfig(url_down=HOOK, headers_down={"X-Latin": "½", "X-Other": "ā $NAME"})
        self.assertEqual(config.headers_down, {"X-Latin": "½", "X-Other": "ā $NAME"})

    def test_header_names_may_be_latin_1(self) -> None:
        config = WebhookConfig(url_down=HOOK, headers_down={"X-Größe": "1"})
        self.assertEqual(config.headers_down, {"X-Größe": "1"})


class HeadersTextareaTestCase(SimpleTestCase):
    def test_it_parses_one_header_per_line(self) -> None:
        text = "Check-Status: $STATUS\r\n\n  Content-Type:application/json  \nX-Url: http://a:b\n"
        self.assertEqual(
            parse_headers(text),
            {
                "Check-Status": "$STATUS",
                "Content-Type": "application/json",
                "X-Url": "http://a:b",
            },
        )

    def test_the_last_duplicate_wins(self) -> None:
        self.assertEqual(parse_headers("X-A: 1\nX-A: 2"), {"X-A": "2"})

    def test_blank_text_is_no_headers(self) -> None:
        self.assertEqual(parse_headers(""), {})
        self.assertEqual(parse_headers(" \n \n"), {})

    def test_it_rejects_malformed_lines(self) -> None:
        for text in ("no colon here", ": value", "X-A:", "X-A:   "):
            with (
                self.subTest(text=text),
                self.assertRaisesMessage(
                    ValueError, 'Use "Header-Name: value" pairs, one per line.'
                ),
            ):
                parse_headers(text)

    def test_it_formats_stored_headers_back(self) -> None:
        headers = {"Check-Status": "$STATUS", "Content-Type": "application/json"}
        text = format_headers(headers)
        self.assertEqual(text, "Check-Status: $STATUS\nContent-Type: application/json")
        self.assertEqual(parse_headers(text), headers)

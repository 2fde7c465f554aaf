"""The webhook integration's add and edit forms (integrations spec §3.2.2, §3.2.7)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from hc.api.models import Channel, Check
from hc.test import BaseTestCase

ILERT = "https://api.ilert.com/api/v1/events/checks/il1hc0123"


def form(**fields: str) -> dict[str, str]:
    """A complete POST body: both columns GET with nothing filled in, then `fields`."""
    data = {"name": ""}
    for status in ("down", "up"):
        data.update({f"method_{status}": "GET", f"url_{status}": "", f"body_{status}": ""})
        data[f"headers_{status}"] = ""
    data.update(fields)
    return data


class WebhookFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_a = Check.objects.create(project=self.project, name="a")
        self.url = f"/projects/{self.project.code}/add_webhook/"

    def post(self, data: dict[str, str], url: str | None = None, user: Any = None) -> Any:
        self.client.force_login(user or self.alice)
        return self.client.post(url or self.url, data)

    def assert_error(self, data: dict[str, str], field: str, message: str) -> None:
        response = self.post(data)
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertIn(field, errors, errors)
        self.assertIn(message, " ".join(errors[field]))
        self.assertContains(response, "field-error", status_code=400)
        self.assertFalse(Channel.objects.exists())


class AddWebhookTestCase(WebhookFormTestCase):
    def test_it_shows_the_form_with_the_labels_of_the_recipe(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        for label in ("Name", "URL", "Request Body", "Request Headers", "Save Integration"):
            self.assertContains(response, label)
        # Both body textareas are always there.
        self.assertContains(response, 'name="body_down"')
        self.assertContains(response, 'name="body_up"')
        self.assertContains(response, "$NAME_JSON")

    def test_the_ilert_recipe_works_as_written(self) -> None:
        headers = "Check-Status: $STATUS\nContent-Type: application/json"
        data = form(name="ilert", url_down=ILERT, url_up=ILERT, body_down="$JSON")
        data.update(body_up="$JSON", headers_down=headers, headers_up=headers)
        # Typing a body switches the method to POST in the browser.
        data.update(method_down="POST", method_up="POST")
        response = self.post(data)
        self.assertRedirects(response, f"/projects/{self.project.code}/integrations/")
        channel = Channel.objects.get()
        self.assertEqual(channel.kind, "webhook")
        self.assertEqual(channel.name, "ilert")
        expected_headers = {"Check-Status": "$STATUS", "Content-Type": "application/json"}
        self.assertEqual(
            channel.config,
            {
                "body_down": "$JSON",
                "body_up": "$JSON",
                "headers_down": expected_headers,
                "headers_up": expected_headers,
                "method_down": "POST",
                "method_up": "POST",
                "url_down": ILERT,
                "url_up": ILERT,
            },
        )
        self.assertEqual(list(channel.checks.all()), [self.check_a])

    def test_one_url_is_enough(self) -> None:
        response = self.post(form(url_up="http://nas:8080/hook?s=$STATUS"))
        self.assertEqual(response.status_code, 302)
        config = Channel.objects.get().config
        self.assertEqual(config["url_down"], "")
        self.assertEqual(config["url_up"], "http://nas:8080/hook?s=$STATUS")

    def test_a_missing_scheme_means_https(self) -> None:
        self.post(form(url_down="example.org/hook"))
        self.assertEqual(Channel.objects.get().config["url_down"], "https://example.org/hook")

    def test_headers_ignore_blank_lines_and_the_last_duplicate_wins(self) -> None:
        self.post(form(url_down="https://example.org", headers_down="A: 1\n\n  B :  2 \nA: 3\n"))
        self.assertEqual(Channel.objects.get().config["headers_down"], {"A": "3", "B": "2"})

    def test_both_urls_empty(self) -> None:
        self.assert_error(form(), "url_down", "Enter a valid URL.")

    def test_bad_urls(self) -> None:
        for url, message in (
            ("ftp://example.org", "Only http:// and https://"),
            ("http://exa mple.org", "Enter a valid URL."),
            ("http://$NAME.example.org/", "not allowed in the host"),
            ("http://example.org:99999/", "Enter a valid URL."),
            ("https://" + "a" * 1000, "at most 1000 characters"),
        ):
            with self.subTest(url=url):
                self.assert_error(form(url_down=url), "url_down", message)
        self.assert_error(form(url_up="http:///x"), "url_up", "Enter a valid URL.")

    def test_bad_header_lines(self) -> None:
        url = "https://example.org"
        for headers in ("no colon here", ": value", "Name:", "Name:   "):
            with self.subTest(headers=headers):
                self.assert_error(
                    form(url_down=url, headers_down=headers), "headers_down", "Header-Name: value"
                )
        self.assert_error(
            form(url_down=url, headers_up="Nāme: x"), "headers_up", "must not contain special"
        )
        self.assert_error(
            form(url_down=url, headers_down="Bad Name: x"), "headers_down", "special characters"
        )

    def test_a_body_needs_post_or_put(self) -> None:
        data = form(url_down="https://example.org", body_down="hello")
        self.assert_error(data, "body_down", "POST or PUT")
        data = form(method_up="PUT", url_up="https://example.org", body_up="hello")
        self.assertEqual(self.post(data).status_code, 302)

    def test_long_values(self) -> None:
        url = "https://example.org"
        self.assert_error(form(name="n" * 101), "name", "at most 100")
        data = form(method_down="POST", url_down=url, body_down="b" * 1001)
        self.assert_error(data, "body_down", "at most 1000")
        self.assert_error(
            form(url_down=url, headers_down="X: " + "v" * 1001), "headers_down", "at most 1000"
        )

    def test_an_unknown_method(self) -> None:
        self.assert_error(form(method_down="DELETE", url_down="https://x.org"), "method_down", "")

    def test_missing_fields_are_errors_not_crashes(self) -> None:
        response = self.post({"url_down": "https://example.org"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Channel.objects.exists())

    @override_settings(WEBHOOKS_ENABLED=False)
    def test_it_is_not_found_when_webhooks_are_off(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post(form(url_down="https://example.org")).status_code, 404)
        self.assertFalse(Channel.objects.exists())

    def test_read_only_members_cannot_add(self) -> None:
        response = self.post(form(url_down="https://example.org"), user=self.rose)
        self.assertEqual(response.status_code, 403)


class EditWebhookTestCase(WebhookFormTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.channel = Channel.objects.create(
            project=self.project,
            kind="webhook",
            name="Deploys",
            config={
                "method_down": "POST",
                "url_down": "https://example.org/down",
                "body_down": "$NAME",
                "headers_down": {"X-A": "1", "X-B": "$STATUS"},
                "method_up": "GET",
                "url_up": "",
                "body_up": "",
                "headers_up": {},
            },
            disabled=True,
        )
        self.edit_url = f"/integrations/{self.channel.code}/edit/"

    def test_it_shows_the_stored_request_with_flattened_headers(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.edit_url)
        self.assertContains(response, 'value="Deploys"')
        self.assertContains(response, 'value="https://example.org/down"')
        self.assertContains(response, "X-A: 1\nX-B: $STATUS</textarea>")
        self.assertContains(response, '<option value="POST" selected>POST</option>')

    def test_it_saves_and_clears_disabled(self) -> None:
        data = form(name="Renamed", url_up="https://example.org/up", headers_up="X-C: 2")
        response = self.post(data, url=self.edit_url)
        self.assertEqual(response.status_code, 302)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.name, "Renamed")
        self.assertFalse(self.channel.disabled)
        self.assertEqual(self.channel.config["url_down"], "")
        self.assertEqual(self.channel.config["headers_up"], {"X-C": "2"})
        self.assertEqual(self.channel.config["body_down"], "")

    def test_errors_change_nothing(self) -> None:
        response = self.post(form(name="Renamed"), url=self.edit_url)
        self.assertEqual(response.status_code, 400)
        self.channel.refresh_from_db()
        self.assertEqual(self.channel.name, "Deploys")
        self.assertTrue(self.channel.disabled)

    def test_a_legacy_value_opens(self) -> None:
        Channel.objects.filter(id=self.channel.id).update(
            config={"url_down": "https://example.org", "name": "old copy", "headers_down": "x"}
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.edit_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="https://example.org"')

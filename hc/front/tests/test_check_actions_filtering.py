"""The Filtering Rules dialog's POST (web spec §7.5, §16)."""

from __future__ import annotations

from django.template.loader import render_to_string

from hc.api.models import Check
from hc.test import BaseTestCase


class FilteringRulesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, start_kw="old")
        self.url = f"/checks/{self.check_.code}/filtering_rules/"
        self.client.force_login(self.alice)

    def test_it_saves_every_field(self) -> None:
        data = {
            "methods": "POST",
            "filter_http_body": "1",
            "filter_subject": "1",
            "filter_body": "1",
            "start_kw": "START",
            "success_kw": "OK, Done",
            "failure_kw": "ERROR",
            "filter_default_fail": "1",
            "manual_resume": "1",
        }
        response = self.client.post(self.url, data)
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.methods, "POST")
        self.assertTrue(self.check_.filter_http_body)
        self.assertTrue(self.check_.filter_subject)
        self.assertTrue(self.check_.filter_body)
        self.assertEqual(self.check_.start_kw, "START")
        self.assertEqual(self.check_.success_kw, "OK, Done")
        self.assertEqual(self.check_.failure_kw, "ERROR")
        self.assertTrue(self.check_.filter_default_fail)
        self.assertTrue(self.check_.manual_resume)

    def test_absent_fields_turn_things_off(self) -> None:
        Check.objects.filter(id=self.check_.id).update(
            methods="POST", filter_body=True, filter_default_fail=True, manual_resume=True
        )
        self.client.post(self.url, {"manual_resume": "0", "filter_default_fail": "0"})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.methods, "")
        self.assertFalse(self.check_.filter_body)
        self.assertEqual(self.check_.start_kw, "")
        self.assertFalse(self.check_.filter_default_fail)
        self.assertFalse(self.check_.manual_resume)

    def test_keywords_may_have_200_characters(self) -> None:
        self.client.post(self.url, {"filter_body": "1", "success_kw": "k" * 200})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.success_kw, "k" * 200)

    def test_bad_input_is_a_400(self) -> None:
        cases = [
            ({"start_kw": "k" * 201}, "start_kw"),
            ({"success_kw": "k" * 201}, "success_kw"),
            ({"failure_kw": "k" * 201}, "failure_kw"),
            ({"methods": "GET"}, "methods"),
            ({"manual_resume": "yes"}, "manual_resume"),
            ({"filter_default_fail": "2"}, "filter_default_fail"),
            ({"start_kw": "a\0b"}, "start_kw"),
        ]
        for data, field in cases:
            with self.subTest(data=data):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.content.decode())
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.start_kw, "old")

    def test_read_only_members_get_403(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.post(self.url, {"methods": "POST"}).status_code, 403)

    def test_the_dialog_shows_the_saved_values(self) -> None:
        Check.objects.filter(id=self.check_.id).update(
            methods="POST", filter_subject=True, failure_kw="ERR", manual_resume=True
        )
        self.check_.refresh_from_db()
        html = render_to_string("front/check_modals/filtering_rules.html", {"check": self.check_})
        self.assertIn(f'action="{self.url}"', html)
        self.assertIn('value="POST" id="filter-methods-post" checked', html)
        self.assertIn('id="filter-subject" checked', html)
        self.assertNotIn('id="filter-body" checked', html)
        self.assertIn('value="ERR"', html)
        self.assertIn('id="filter-resume-manual" checked', html)
        self.assertIn('id="filter-default-ignore" checked', html)

"""The Name & Tags dialog's endpoint (web spec §6.9, §16)."""

from __future__ import annotations

from typing import Any

from hc.api.models import Check
from hc.test import BaseTestCase


class UpdateNameTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project, name="old", slug="old", tags="a", desc="old desc"
        )
        self.url = f"/checks/{self.check_.code}/name/"

    def post(self, data: dict[str, Any], user: str = "bob", referer: str = "") -> Any:
        self.client.force_login(getattr(self, user))
        headers = {"referer": referer} if referer else {}
        return self.client.post(self.url, data, headers=headers)

    def full(self, **fields: str) -> dict[str, str]:
        return {
            "name": "New name",
            "slug": "new-name",
            "tags": "x  y",
            "desc": "Line 1\nLine 2",
        } | fields

    def test_it_saves_name_slug_tags_and_description(self) -> None:
        response = self.post(self.full())
        self.assertRedirects(
            response, f"/projects/{self.project.code}/checks/", fetch_redirect_response=False
        )
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.name, "New name")
        self.assertEqual(self.check_.slug, "new-name")
        self.assertEqual(self.check_.tags, "x y")
        self.assertEqual(self.check_.desc, "Line 1\nLine 2")

    def test_empty_values_clear_the_fields(self) -> None:
        self.post({"name": "", "slug": "", "tags": "", "desc": ""})
        self.check_.refresh_from_db()
        self.assertEqual((self.check_.name, self.check_.slug, self.check_.tags), ("", "", ""))
        self.assertEqual(self.check_.desc, "")

    def test_fields_left_out_keep_their_values(self) -> None:
        self.post({"desc": "only the description"})
        self.check_.refresh_from_db()
        self.assertEqual(
            (self.check_.name, self.check_.slug, self.check_.tags), ("old", "old", "a")
        )
        self.assertEqual(self.check_.desc, "only the description")

    def test_it_goes_back_to_the_details_page(self) -> None:
        referer = f"http://testserver/checks/{self.check_.code}/details/"
        response = self.post(self.full(), referer=referer)
        self.assertRedirects(
            response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
        )

    def test_it_goes_back_to_the_checks_page_with_its_filters(self) -> None:
        referer = f"http://testserver/projects/{self.project.code}/checks/?tag=a&sort=name&x=1"
        response = self.post(self.full(), referer=referer)
        self.assertRedirects(
            response,
            f"/projects/{self.project.code}/checks/?tag=a&sort=name",
            fetch_redirect_response=False,
        )

    def test_a_foreign_referer_is_not_followed(self) -> None:
        response = self.post(self.full(), referer="https://evil.example.com/checks/x/details/")
        self.assertEqual(response["Location"], f"/projects/{self.project.code}/checks/")

    def test_invalid_input_gets_400_and_changes_nothing(self) -> None:
        cases = {
            "name": "x" * 101,
            "slug": "Not A Slug",
            "tags": " ".join(f"tag{i:02}" for i in range(100)),
        }
        for field, value in cases.items():
            with self.subTest(field=field):
                response = self.post(self.full(**{field: value}))
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "The check was not changed", status_code=400)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.name, "old")

    def test_read_only_members_get_403(self) -> None:
        self.assertEqual(self.post(self.full(), user="rose").status_code, 403)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.name, "old")

    def test_non_members_get_404(self) -> None:
        self.assertEqual(self.post(self.full(), user="charlie").status_code, 404)

    def test_unknown_checks_get_404(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post("/checks/00000000-0000-0000-0000-000000000000/name/", {})
        self.assertEqual(response.status_code, 404)

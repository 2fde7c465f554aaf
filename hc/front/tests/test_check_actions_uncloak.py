"""Cloaked links from notifications (web spec §7.8)."""

from __future__ import annotations

from hc.accounts.models import Project
from hc.api.models import Check
from hc.test import BaseTestCase


class UncloakTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project)
        self.url = f"/cloaked/{self.check_.unique_key}/"

    def test_members_go_to_the_details_page(self) -> None:
        for user in (self.alice, self.bob, self.rose):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(self.url)
                self.assertRedirects(
                    response, f"/checks/{self.check_.code}/details/", fetch_redirect_response=False
                )

    def test_other_users_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_searches_every_accessible_project(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        self.client.force_login(self.charlie)
        response = self.client.get(f"/cloaked/{other.unique_key}/")
        self.assertRedirects(
            response, f"/checks/{other.code}/details/", fetch_redirect_response=False
        )

    def test_superusers_find_any_check(self) -> None:
        sam = self.make_user("sam")
        sam.is_superuser = True
        sam.save()
        Project.objects.create(owner=sam, badge_key="sam")
        self.client.force_login(sam)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)

    def test_unknown_and_malformed_keys_get_404(self) -> None:
        self.client.force_login(self.alice)
        for key in ("0" * 40, "abc", self.check_.unique_key.upper(), self.check_.unique_key + "0"):
            with self.subTest(key=key):
                self.assertEqual(self.client.get(f"/cloaked/{key}/").status_code, 404)

    def test_anonymous_visitors_log_in_first_and_come_back(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"/accounts/login/?next={self.url}", fetch_redirect_response=False
        )

"""GET /api/v{1,2,3}/badges/: badge URLs per tag plus "*" (management-api §6.12)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import override_settings

from hc.accounts.services import do_issue_api_key
from hc.api.models import Check, CheckStatus
from hc.lib.badges import badge_signature, badge_urls
from hc.test import BaseTestCase

KEYS = {"svg", "svg3", "json", "json3", "shields", "shields3"}


class ListBadgesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.write_key = do_issue_api_key(self.project, readonly=False)
        self.read_key = do_issue_api_key(self.project, readonly=True)
        Check.objects.create(project=self.project, tags="prod web")
        Check.objects.create(project=self.project, tags="web  db@dc1 ")
        Check.objects.create(project=self.project, tags="")
        Check.objects.create(project=self.charlies_project, tags="charlies-tag")

    def get(self, key: str = "", version: int = 3) -> Any:
        return self.client.get(f"/api/v{version}/badges/", HTTP_X_API_KEY=key or self.read_key)

    def badges(self, **kwargs: Any) -> Any:
        r = self.get(**kwargs)
        self.assertEqual(r.status_code, 200)
        return self.json(r)["badges"]

    def test_it_lists_every_tag_of_the_project_and_all_checks(self) -> None:
        self.assertEqual(set(self.badges()), {"prod", "web", "db@dc1", "*"})

    def test_both_key_kinds_may_read_it(self) -> None:
        self.assertEqual(self.badges(key=self.read_key), self.badges(key=self.write_key))

    def test_every_entry_has_six_absolute_urls(self) -> None:
        for tag, urls in self.badges().items():
            with self.subTest(tag=tag):
                self.assertEqual(set(urls), KEYS)
                for url in urls.values():
                    self.assertTrue(url.startswith(f"{settings.SITE_ROOT}/badge/alice/"))

    @override_settings(SITE_ROOT="https://hc.example.org")
    def test_urls_carry_the_signature_and_the_state_count(self) -> None:
        badges = self.badges()
        signature = badge_signature("alice", "prod")
        base = f"https://hc.example.org/badge/alice/{signature}"
        self.assertEqual(badges["prod"]["svg"], f"{base}-2/prod.svg")
        self.assertEqual(badges["prod"]["svg3"], f"{base}/prod.svg")
        self.assertEqual(badges["prod"]["json"], f"{base}-2/prod.json")
        self.assertEqual(badges["prod"]["json3"], f"{base}/prod.json")
        self.assertEqual(badges["prod"]["shields"], f"{base}-2/prod.shields")
        self.assertEqual(badges["prod"]["shields3"], f"{base}/prod.shields")

    def test_the_all_checks_entry_has_no_tag_segment(self) -> None:
        signature = badge_signature("alice", "*")
        urls = self.badges()["*"]
        self.assertEqual(urls["svg"], f"{settings.SITE_ROOT}/badge/alice/{signature}-2.svg")
        self.assertEqual(urls["shields3"], f"{settings.SITE_ROOT}/badge/alice/{signature}.shields")

    def test_tags_are_double_percent_encoded(self) -> None:
        self.assertTrue(self.badges()["db@dc1"]["json3"].endswith("/db%2540dc1.json"))

    def test_every_listed_url_serves_a_badge(self) -> None:
        Check.objects.filter(tags="prod web").update(status=CheckStatus.DOWN)
        for tag, urls in self.badges().items():
            for key, url in urls.items():
                with self.subTest(tag=tag, key=key):
                    r = self.client.get(url.removeprefix(settings.SITE_ROOT))
                    self.assertEqual(r.status_code, 200)

    def test_all_three_versions_answer_the_same(self) -> None:
        expected = self.badges(version=3)
        self.assertEqual(expected, {t: badge_urls("alice", t) for t in expected})
        for version in (1, 2):
            with self.subTest(version=version):
                self.assertEqual(self.badges(version=version), expected)

    def test_a_project_without_checks_lists_only_all_checks(self) -> None:
        key = do_issue_api_key(self.charlies_project, readonly=True)
        Check.objects.filter(project=self.charlies_project).delete()
        self.assertEqual(set(self.badges(key=key)), {"*"})
        self.assertIn("/badge/charlie/", self.badges(key=key)["*"]["svg"])

    def test_it_needs_an_api_key(self) -> None:
        r = self.client.get("/api/v3/badges/")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.json(r), {"error": "missing api key"})
        r = self.get(key="x" * 32)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.json(r), {"error": "wrong api key"})

    def test_post_is_not_allowed(self) -> None:
        r = self.client.post("/api/v3/badges/", HTTP_X_API_KEY=self.write_key)
        self.assertEqual(r.status_code, 405)
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")

    def test_options_is_a_cors_preflight_without_a_key(self) -> None:
        r = self.client.options("/api/v3/badges/")
        self.assertEqual(r.status_code, 204)
        self.assertEqual(r["Access-Control-Allow-Headers"], "X-Api-Key")

    def test_a_missing_slash_redirects(self) -> None:
        r = self.client.get("/api/v3/badges", HTTP_X_API_KEY=self.read_key)
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/api/v3/badges/")

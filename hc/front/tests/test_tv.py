"""The TV dashboard (web spec §11.5)."""

from __future__ import annotations

from hc.test import BaseTestCase


class TvTestCase(BaseTestCase):
    def test_it_is_served_anonymously_without_the_app_layout(self) -> None:
        response = self.client.get("/tv/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("<title>Mychecks TV</title>", html)
        self.assertNotIn("navbar", html)
        self.assertNotIn("/static/CACHE/", html)
        # Configuration comes from the URL fragment and goes to the API only.
        self.assertIn("location.hash", html)
        self.assertIn('"../api/v3/checks/"', html)
        self.assertIn('"X-Api-Key"', html)
        self.assertIn("minmax(160px, 1fr)", html)

    def test_it_keeps_its_referrer_to_itself(self) -> None:
        response = self.client.get("/tv/")
        self.assertContains(response, '<meta name="referrer" content="no-referrer">')

    def test_logged_in_users_get_the_same_page(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/tv/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "alice@example.org")

    def test_only_safe_methods_are_allowed(self) -> None:
        self.assertEqual(self.client.post("/tv/").status_code, 405)

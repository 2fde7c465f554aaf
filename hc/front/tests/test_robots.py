from __future__ import annotations

from django.test import SimpleTestCase


class RobotsTestCase(SimpleTestCase):
    def test_robots_txt_disallows_everything(self) -> None:
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertIn(b"Disallow: /", response.content)

    def test_favicon_ico_points_to_the_svg_icon(self) -> None:
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("/img/favicon.svg"))

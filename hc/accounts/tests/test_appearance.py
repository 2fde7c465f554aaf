"""/accounts/profile/appearance/: the theme choice (web spec §4.2)."""

from __future__ import annotations

from django.test import Client

from hc.accounts.models import Theme
from hc.test import BaseTestCase

URL = "/accounts/profile/appearance/"


class AppearanceTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    def test_it_shows_three_themes_with_previews(self) -> None:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<title>Appearance - ")
        self.assertContains(
            r, 'aria-current="page" href="/accounts/profile/appearance/">Appearance</a>'
        )
        self.assertContains(r, 'value="" checked>')
        self.assertContains(r, 'value="dark">')
        self.assertContains(r, 'value="system">')
        for name in ("light", "dark", "system"):
            self.assertContains(r, f'theme-{name}.svg" alt="Preview of the {name} theme"')
        self.assertContains(r, 'id="theme-form"')
        self.assertNotContains(r, "data-bs-theme=")

    def test_it_saves_the_dark_theme(self) -> None:
        r = self.client.post(URL, {"theme": "dark"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<section class="panel panel-success" id="theme-panel"')
        self.assertContains(r, "Your theme has been updated.")
        # The page that confirms it is already dark.
        self.assertContains(r, '<html lang="en" data-bs-theme="dark">')
        self.assertContains(r, 'value="dark" checked>')
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.theme, Theme.DARK)

    def test_it_saves_the_system_theme(self) -> None:
        r = self.client.post(URL, {"theme": "system"})
        self.assertContains(r, "prefers-color-scheme: dark")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.theme, Theme.SYSTEM)

    def test_it_goes_back_to_light(self) -> None:
        self.profile.theme = Theme.DARK
        self.profile.save()
        r = self.client.post(URL, {"theme": ""})
        self.assertContains(r, "Your theme has been updated.")
        self.assertNotContains(r, "data-bs-theme=")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.theme, Theme.LIGHT)

    def test_it_ignores_other_values(self) -> None:
        self.profile.theme = Theme.DARK
        self.profile.save()
        for data in ({"theme": "purple"}, {"theme": "DARK"}, {}):
            with self.subTest(data=str(data)):
                r = self.client.post(URL, data)
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(r, "Your theme has been updated.")
                self.profile.refresh_from_db()
                self.assertEqual(self.profile.theme, Theme.DARK)

    def test_it_requires_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        r = client.post(URL, {"theme": "dark"})
        self.assertEqual(r.status_code, 403)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.theme, Theme.LIGHT)

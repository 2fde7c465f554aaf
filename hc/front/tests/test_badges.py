"""The badges page and its preview (web spec §10)."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from django.test import override_settings

from hc.api.models import Check
from hc.lib.badges import badge_urls
from hc.test import BaseTestCase

ROOT = "http://hc.example.org"


@override_settings(SITE_ROOT=ROOT, MASTER_BADGE_LABEL="Acme")
class BadgesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/badges/"
        self.backup = Check.objects.create(project=self.project, name="Backup", tags="db prod")
        self.web = Check.objects.create(project=self.project, name="", tags="web")

    def preview(self, user: Any = None, **fields: str) -> Any:
        data = {"target": "all", "fmt": "svg", "states": "2", **fields}
        self.client.force_login(user or self.alice)
        return self.client.post(self.url, data)

    def assert_preview(self, response: Any, url: str, label: str, *, image: bool = True) -> None:
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn(f'value="{html.escape(url)}"', text)
        if image:
            self.assertIn(f'<img src="{html.escape(url)}" alt="{label}">', text)
            self.assertIn(html.escape(f"![{label}]({url})"), text)
            self.assertIn("Markdown code", text)
            self.assertIn("HTML code", text)
        else:
            self.assertIn(f'data-json-url="{url}"', text)
            self.assertIn("JSON endpoint URL", text)
            self.assertNotIn("<img", text)

    def test_the_page(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.get(self.url)
        self.assertContains(response, "Status Badges")
        self.assertContains(response, "Badge Generator")
        # Tags in alphabetical order, checks by name (unnamed ones by UUID).
        text = response.content.decode()
        self.assertLess(text.index('value="db"'), text.index('value="prod"'))
        self.assertLess(text.index('value="prod"'), text.index('value="web"'))
        self.assertIn(f'value="{self.backup.code}">Backup<', text)
        self.assertIn(f'value="{self.web.code}">{self.web.code}<', text)
        # The default preview: all checks, SVG, two states.
        self.assertIn(badge_urls("alice", "*")["svg"], text)

    def test_the_details_page_link_preselects_its_check(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"{self.url}?check={self.backup.code}")
        text = response.content.decode()
        self.assertIn('id="target-check" value="check" checked', text)
        self.assertIn(f'value="{self.backup.code}" selected>Backup<', text)
        self.assertIn(f"/b/2/{self.backup.badge_key}.svg", text)

    def test_an_unknown_check_parameter_is_ignored(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"{self.url}?check=not-a-uuid")
        self.assertContains(response, 'id="target-all" value="all" checked')

    def test_a_project_without_checks_offers_only_all(self) -> None:
        Check.objects.all().delete()
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'id="target-tag"')
        self.assertNotContains(response, 'id="target-check"')
        self.assertContains(response, 'id="target-all"')

    def test_all_checks_in_each_format_and_state(self) -> None:
        urls = badge_urls("alice", "*")
        for states, suffix in (("2", ""), ("3", "3")):
            with self.subTest(states=states):
                self.assert_preview(self.preview(states=states), urls["svg" + suffix], "Acme")
                self.assert_preview(
                    self.preview(fmt="json", states=states),
                    urls["json" + suffix],
                    "Acme",
                    image=False,
                )
                shields = "https://img.shields.io/endpoint?url=" + quote(
                    urls["shields" + suffix], safe=""
                )
                self.assert_preview(self.preview(fmt="shields", states=states), shields, "Acme")
        self.assertTrue(urls["svg"].startswith(f"{ROOT}/badge/alice/"))
        self.assertTrue(urls["svg"].endswith("-2.svg"))

    def test_a_tag(self) -> None:
        urls = badge_urls("alice", "prod")
        self.assert_preview(self.preview(target="tag", tag="prod"), urls["svg"], "prod")
        self.assert_preview(
            self.preview(target="tag", tag="prod", fmt="json", states="3"),
            urls["json3"],
            "prod",
            image=False,
        )
        self.assertTrue(urls["json3"].endswith("/prod.json"))

    def test_a_check(self) -> None:
        key = self.backup.badge_key
        self.assert_preview(
            self.preview(target="check", check=str(self.backup.code)),
            f"{ROOT}/b/2/{key}.svg",
            "Backup",
        )
        self.assert_preview(
            self.preview(target="check", check=str(self.backup.code), fmt="json", states="3"),
            f"{ROOT}/b/3/{key}.json",
            "Backup",
            image=False,
        )
        shields = "https://img.shields.io/endpoint?url=" + quote(
            f"{ROOT}/b/2/{key}.shields", safe=""
        )
        self.assert_preview(
            self.preview(target="check", check=str(self.backup.code), fmt="shields"),
            shields,
            "Backup",
        )
        unnamed = self.preview(target="check", check=str(self.web.code))
        self.assert_preview(unnamed, f"{ROOT}/b/2/{self.web.badge_key}.svg", str(self.web.code))

    def test_the_target_decides_which_choice_counts(self) -> None:
        urls = badge_urls("alice", "*")
        response = self.preview(target="all", tag="prod", check=str(self.backup.code))
        self.assert_preview(response, urls["svg"], "Acme")

    def test_labels_are_escaped(self) -> None:
        Check.objects.filter(id=self.backup.id).update(name='<b>"x"</b>')
        response = self.preview(target="check", check=str(self.backup.code))
        text = response.content.decode()
        self.assertNotIn("<b>", text)
        self.assertIn("&lt;b&gt;", text)

    def test_bad_options(self) -> None:
        foreign = Check.objects.create(project=self.charlies_project)
        for fields in (
            {"target": "everything"},
            {"fmt": "png"},
            {"states": "4"},
            {"states": ""},
            {"target": "tag"},
            {"target": "tag", "tag": "two words"},
            {"target": "tag", "tag": "t" * 101},
            {"target": "check"},
            {"target": "check", "check": "not-a-uuid"},
            {"target": "check", "check": str(foreign.code)},
        ):
            with self.subTest(fields=fields):
                self.assertEqual(self.preview(**fields).status_code, 400)

    def test_read_only_members_may_preview(self) -> None:
        self.assertEqual(self.preview(user=self.rose).status_code, 200)

    def test_non_members_get_404(self) -> None:
        self.assertEqual(self.preview(user=self.charlie).status_code, 404)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_shown_urls_work(self) -> None:
        self.client.logout()
        url = badge_urls("alice", "prod")["json3"].removeprefix(ROOT)
        response = self.client.get(url)
        self.assertEqual(response.json(), {"status": "up", "total": 1, "grace": 0, "down": 0})
        response = self.client.get(f"/b/2/{self.backup.badge_key}.svg")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Backup", response.content)

"""The project settings page: viewing, renaming and the API keys (web spec §5.3)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.test import Client

from hc.accounts import api_keys
from hc.accounts.models import Project
from hc.test import PING_KEY, BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class ProjectSettingsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/settings/"

    def reload(self) -> Project:
        return Project.objects.get(id=self.project.id)

    # Viewing -------------------------------------------------------------------

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"/accounts/login/?next={self.url}", fetch_redirect_response=False
        )

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, {"create_key": "api_key"}).status_code, 404)

    def test_the_owner_sees_every_panel(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        for heading in (
            "Project Name",
            "API Access",
            "Team Access",
            "Transfer Ownership",
            "Remove Project",
        ):
            self.assertContains(response, f'<h2 class="h5">{heading}</h2>')
        self.assertContains(response, "Change Project Name")
        self.assertContains(response, 'class="nav-link active"')

    def test_read_only_members_see_name_and_team_without_buttons(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.get(self.url)
        self.assertContains(response, '<h2 class="h5">Project Name</h2>')
        self.assertContains(response, '<h2 class="h5">Team Access</h2>')
        self.assertNotContains(response, "API Access")
        self.assertNotContains(response, PING_KEY[:4] + "*")
        self.assertNotContains(response, "Change Project Name")
        self.assertNotContains(response, "Invite a Team Member")
        self.assertNotContains(response, "Transfer Ownership")

    def test_regular_members_see_keys_but_not_owner_panels(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "API Access")
        self.assertNotContains(response, "Transfer Ownership")
        self.assertNotContains(response, 'id="remove-project"')
        self.assertNotContains(response, "Invite a Team Member")

    def test_unknown_actions_are_rejected(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url, {"bogus": "1"}).status_code, 400)

    def test_posts_need_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(self.url, {"set_project_name": "1", "name": "Forged"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.reload().name, "Alice's Project")

    # Renaming ------------------------------------------------------------------

    def test_rw_members_rename_the_project(self) -> None:
        for user in (self.alice, self.mike, self.bob):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                name = f"Renamed by {user.username}"
                response = self.client.post(self.url, {"set_project_name": "1", "name": name})
                self.assertContains(response, "Project name updated")
                self.assertContains(response, "panel panel-success")
                self.assertEqual(self.reload().name, name)

    def test_read_only_members_cannot_rename(self) -> None:
        self.client.force_login(self.rose)
        response = self.client.post(self.url, {"set_project_name": "1", "name": "Mine"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.reload().name, "Alice's Project")

    def test_rename_validates_the_name(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"set_project_name": "1", "name": ""})
        self.assertContains(response, "Please enter a project name.", status_code=400)
        response = self.client.post(self.url, {"set_project_name": "1", "name": "x" * 61})
        self.assertContains(response, "at most 60 characters", status_code=400)
        self.assertEqual(self.reload().name, "Alice's Project")
        response = self.client.post(self.url, {"set_project_name": "1", "name": "x" * 60})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.reload().name, "x" * 60)

    def test_the_name_is_escaped(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url, {"set_project_name": "1", "name": "<script>x</script>"}
        )
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(response, "&lt;script&gt;x&lt;/script&gt;")

    # Keys ------------------------------------------------------------------------

    def new_key(self, response: TestResponse) -> str:
        match = re.search(r'id="new-key" value="([^"]+)"', response.content.decode())
        assert match is not None, "no new key shown"
        return match.group(1)

    def test_creating_an_api_key_shows_it_once_and_stores_a_hash(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"create_key": "api_key"})
        self.assertContains(response, "API Key Created!")
        self.assertContains(response, "OK, I copied the key")
        self.assertContains(response, "Key created")
        key = self.new_key(response)
        self.assertRegex(key, r"^hcw_[A-Za-z0-9]{28}$")
        stored = self.reload().api_key
        self.assertNotIn(key, stored)
        self.assertTrue(api_keys.key_matches(key, stored))
        # The masked form: prefix, four characters, 24 asterisks.
        self.assertContains(response, key[:8] + "*" * 24)

        response = self.client.get(self.url)
        self.assertNotContains(response, key)
        self.assertContains(response, key[:8] + "*" * 24)

    def test_creating_a_read_only_key(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"create_key": "api_key_readonly"})
        key = self.new_key(response)
        self.assertRegex(key, r"^hcr_[A-Za-z0-9]{28}$")
        self.assertTrue(api_keys.key_matches(key, self.reload().api_key_readonly))
        self.assertEqual(self.reload().api_key, "")

    def test_creating_a_key_replaces_the_old_one(self) -> None:
        self.client.force_login(self.alice)
        first = self.new_key(self.client.post(self.url, {"create_key": "api_key"}))
        second = self.new_key(self.client.post(self.url, {"create_key": "api_key"}))
        self.assertNotEqual(first, second)
        stored = self.reload().api_key
        self.assertFalse(api_keys.key_matches(first, stored))
        self.assertTrue(api_keys.key_matches(second, stored))

    def test_creating_a_ping_key(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"create_key": "ping_key"})
        self.assertContains(response, "Ping Key Created!")
        key = self.new_key(response)
        self.assertRegex(key, r"^[a-z0-9]{22}$")
        self.assertEqual(self.reload().ping_key, key)

    def test_the_ping_key_is_masked_and_revealable(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, PING_KEY[:4] + "*" * 18)
        self.assertContains(response, f'title="Click to reveal" data-key="{PING_KEY}"')

    def test_unset_keys_offer_create(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "not set", count=2)
        self.assertContains(response, 'name="create_key" value="api_key"')
        self.assertContains(response, 'name="create_key" value="api_key_readonly"')
        self.assertContains(response, 'data-bs-target="#revoke-ping_key-modal"')
        self.assertContains(response, "Revoke Ping key?")

    def test_legacy_plain_text_keys_are_masked_and_revealable(self) -> None:
        legacy = "abcdefghijklmnopqrstuvwxyz012345"
        Project.objects.filter(id=self.project.id).update(api_key=legacy)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "abcd" + "*" * 28)
        self.assertContains(response, f'data-key="{legacy}"')

    def test_revoking_keys(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(self.url, {"create_key": "api_key"})
        response = self.client.post(self.url, {"revoke_key": "api_key"})
        self.assertContains(response, "Key revoked")
        self.assertEqual(self.reload().api_key, "")
        response = self.client.post(self.url, {"revoke_key": "ping_key"})
        self.assertContains(response, "Key revoked")
        self.assertIsNone(self.reload().ping_key)
        self.assertContains(response, "not set", count=3)

    def test_read_only_members_cannot_touch_keys(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.post(self.url, {"create_key": "api_key"}).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"revoke_key": "ping_key"}).status_code, 403)
        project = self.reload()
        self.assertEqual(project.api_key, "")
        self.assertEqual(project.ping_key, PING_KEY)

    def test_unknown_key_kinds_are_rejected(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"create_key": "badge_key"})
        self.assertContains(response, "Unknown key type.", status_code=400)
        response = self.client.post(self.url, {"revoke_key": "owner"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.reload().ping_key, PING_KEY)

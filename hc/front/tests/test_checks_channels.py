"""Switching one integration on or off for one check (web spec §6.2 column 4)."""

from __future__ import annotations

from typing import Any

from hc.api.models import Channel, Check
from hc.api.services.check_edits import do_set_channel_link
from hc.test import BaseTestCase


class SwitchChannelTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project)
        self.channel = Channel.objects.create(project=self.project, kind="email")

    def url(self, channel: Channel | None = None) -> str:
        code = (channel or self.channel).code
        return f"/checks/{self.check_.code}/channels/{code}/enabled"

    def post(self, state: str | None, user: str = "bob", channel: Channel | None = None) -> Any:
        self.client.force_login(getattr(self, user))
        data = {} if state is None else {"state": state}
        return self.client.post(self.url(channel), data)

    def assigned(self) -> bool:
        return self.channel.checks.filter(id=self.check_.id).exists()

    def test_it_turns_an_integration_on_and_off(self) -> None:
        response = self.post("on")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        self.assertTrue(self.assigned())
        self.assertEqual(self.post("on").status_code, 200)  # idempotent
        self.assertTrue(self.assigned())
        self.assertEqual(self.post("off").status_code, 200)
        self.assertFalse(self.assigned())
        self.assertEqual(self.post("off").status_code, 200)
        self.assertFalse(self.assigned())

    def test_other_states_get_400(self) -> None:
        for state in (None, "", "ON", "1", "true"):
            with self.subTest(state=state):
                self.assertEqual(self.post(state).status_code, 400)
        self.assertFalse(self.assigned())

    def test_an_integration_of_another_project_gets_404(self) -> None:
        foreign = Channel.objects.create(project=self.charlies_project, kind="email")
        self.assertEqual(self.post("on", channel=foreign).status_code, 404)
        self.assertFalse(foreign.checks.exists())

    def test_an_unknown_integration_gets_404(self) -> None:
        self.client.force_login(self.bob)
        url = f"/checks/{self.check_.code}/channels/00000000-0000-0000-0000-000000000000/enabled"
        self.assertEqual(self.client.post(url, {"state": "on"}).status_code, 404)

    def test_read_only_members_get_403(self) -> None:
        self.assertEqual(self.post("on", user="rose").status_code, 403)
        self.assertFalse(self.assigned())

    def test_non_members_get_404(self) -> None:
        self.assertEqual(self.post("on", user="charlie").status_code, 404)

    def test_the_service_refuses_to_link_across_projects(self) -> None:
        foreign = Channel.objects.create(project=self.charlies_project, kind="email")
        with self.assertRaises(ValueError):
            do_set_channel_link(self.check_, foreign, enabled=True)
        self.assertFalse(foreign.checks.exists())

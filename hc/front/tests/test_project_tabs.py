from __future__ import annotations

from hc.api.models import Channel
from hc.test import BaseTestCase


class ProjectTabsTestCase(BaseTestCase):
    """The Integrations tab warns when alerts cannot reach anyone (web spec §1.1)."""

    def tab(self) -> str:
        self.client.force_login(self.alice)
        response = self.client.get(f"/projects/{self.project.code}/settings/")
        html = response.content.decode()
        start = html.index(f'href="/projects/{self.project.code}/integrations/"')
        return html[start : html.index("</a>", start)]

    def test_warns_without_integrations(self) -> None:
        self.assertIn("bi-exclamation-triangle-fill", self.tab())

    def test_quiet_when_integrations_work(self) -> None:
        Channel.objects.create(project=self.project, kind="email")
        self.assertNotIn("bi-exclamation-triangle-fill", self.tab())

    def test_warns_when_a_delivery_failed(self) -> None:
        Channel.objects.create(project=self.project, kind="email")
        Channel.objects.create(project=self.project, kind="webhook", last_error="HTTP 500")
        self.assertIn("need attention", self.tab())

"""The danger-zone dialogs render from `check` alone (web spec §7.6)."""

from __future__ import annotations

from django.template.loader import render_to_string

from hc.api.models import Check
from hc.test import BaseTestCase


class CheckModalsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="db <backup>")
        self.base = f"/checks/{self.check_.code}"

    def render(self, name: str) -> str:
        return render_to_string(f"front/check_modals/{name}.html", {"check": self.check_})

    def test_copy(self) -> None:
        html = self.render("copy")
        self.assertIn('id="copy-modal"', html)
        self.assertIn(f'action="{self.base}/copy/"', html)
        self.assertIn("Create a Copy of This Check", html)
        self.assertIn(">Create a Copy</button>", html)

    def test_transfer_loads_its_body_later(self) -> None:
        html = self.render("transfer")
        self.assertIn('id="transfer-modal"', html)
        self.assertIn(f'data-url="{self.base}/transfer/"', html)
        self.assertIn("Transfer to Another Project", html)
        self.assertNotIn("<form", html)

    def test_clear_events(self) -> None:
        html = self.render("clear_events")
        self.assertIn('id="clear-events-modal"', html)
        self.assertIn(f'action="{self.base}/clear_events/"', html)
        self.assertIn("Clear Events for db &lt;backup&gt;", html)

    def test_remove(self) -> None:
        html = self.render("remove")
        self.assertIn('id="remove-check-modal"', html)
        self.assertIn(f'action="{self.base}/remove/"', html)
        self.assertIn("Remove Check db &lt;backup&gt;", html)
        self.assertIn('class="btn btn-danger">Remove</button>', html)

    def test_every_form_carries_a_csrf_field_when_rendered_for_a_request(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(f"{self.base}/transfer/")
        self.assertContains(response, 'name="csrfmiddlewaretoken"')

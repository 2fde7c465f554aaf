"""A base test case for the admin: a logged-in superuser and action helpers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Model

from hc.accounts.models import Profile
from hc.test import BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class AdminTestCase(BaseTestCase):
    operator: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.operator = User.objects.create_superuser("operator", "operator@example.org", "password")
        Profile.objects.create(user=cls.operator)

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.operator)

    def act(self, url: str, action: str, objects: Iterable[Model]) -> TestResponse:
        """Run a changelist action on `objects` and follow its redirect."""
        data = {"action": action, "_selected_action": [str(o.pk) for o in objects]}
        return self.client.post(url, data, follow=True)

    def assert_login_required(self, url: str) -> None:
        """Non-staff users are sent to the (admin) login page."""
        self.client.force_login(self.alice)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/?next="))

    def messages_of(self, response: TestResponse) -> list[str]:
        return [str(m) for m in response.context["messages"]]

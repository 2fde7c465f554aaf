"""The shared base test case: named actors and small assertion helpers.

Actors (all share `self.project`, owned by Alice):
- alice: the owner;
- bob: a regular (read-write) member;
- mike: a manager;
- rose: a read-only member;
- charlie: a user with a project of his own and no access to Alice's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.test import TestCase

from hc.accounts.models import Member, Profile, Project, Role
from hc.api.models import Ping

if TYPE_CHECKING:
    # The test client's response type exists only in django-stubs.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PING_KEY = "abcdefghij0123456789ab"


def stored_body(ping: Ping) -> bytes | None:
    """A ping's stored body as bytes (some drivers return a memoryview)."""
    return None if ping.body_raw is None else bytes(ping.body_raw)


class BaseTestCase(TestCase):
    alice: User
    bob: User
    mike: User
    rose: User
    charlie: User
    project: Project
    charlies_project: Project
    profile: Profile

    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = cls.make_user("alice")
        cls.profile = Profile.objects.get(user=cls.alice)
        cls.project = Project.objects.create(
            owner=cls.alice, name="Alice's Project", badge_key="alice", ping_key=PING_KEY
        )
        cls.bob = cls.make_user("bob")
        Member.objects.create(user=cls.bob, project=cls.project, role=Role.REGULAR)
        cls.mike = cls.make_user("mike")
        Member.objects.create(user=cls.mike, project=cls.project, role=Role.MANAGER)
        cls.rose = cls.make_user("rose")
        Member.objects.create(user=cls.rose, project=cls.project, role=Role.READONLY)
        cls.charlie = cls.make_user("charlie")
        cls.charlies_project = Project.objects.create(owner=cls.charlie, badge_key="charlie")

    @staticmethod
    def make_user(name: str) -> User:
        user = User.objects.create_user(name, f"{name}@example.org", "password")
        Profile.objects.create(user=user)
        return user

    def assert_text(self, response: TestResponse, status: int, text: str) -> None:
        """The response has this status and exactly this plain-text body."""
        self.assertEqual(response.status_code, status)
        self.assertEqual(response.content.decode(), text)

    def json(self, response: TestResponse) -> Any:
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

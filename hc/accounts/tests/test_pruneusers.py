"""`manage.py pruneusers` (monitoring §8.4)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from hc.accounts.models import Member, Profile, Project
from hc.api.models import Check
from hc.test import BaseTestCase

NOW = datetime(2020, 6, 1, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class PruneUsersTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The shared actors are active users.
        User.objects.update(date_joined=NOW - timedelta(days=365), last_login=NOW)

    def make(self, name: str, *, joined_days_ago: int, last_login: datetime | None = None) -> User:
        user = self.make_user(name)
        User.objects.filter(id=user.id).update(
            date_joined=NOW - timedelta(days=joined_days_ago), last_login=last_login
        )
        return user

    def prune(self) -> str:
        out = io.StringIO()
        call_command("pruneusers", stdout=out)
        return out.getvalue()

    def exists(self, user: User) -> bool:
        return User.objects.filter(id=user.id).exists()

    def test_it_deletes_old_accounts_that_never_logged_in(self) -> None:
        stale = self.make("stale", joined_days_ago=31)
        project = Project.objects.create(owner=stale, badge_key="stale")
        check = Check.objects.create(project=project)
        recent = self.make("recent", joined_days_ago=29)
        output = self.prune()
        self.assertIn("Pruned 1 accounts that never logged in", output)
        self.assertTrue(output.endswith("Done!\n"))
        self.assertFalse(self.exists(stale))
        self.assertFalse(Profile.objects.filter(user_id=stale.id).exists())
        self.assertFalse(Check.objects.filter(id=check.id).exists())
        self.assertTrue(self.exists(recent))
        for actor in (self.alice, self.bob, self.charlie):
            self.assertTrue(self.exists(actor))

    def test_it_keeps_accounts_that_logged_in(self) -> None:
        user = self.make("user", joined_days_ago=100, last_login=NOW - timedelta(days=99))
        self.prune()
        self.assertTrue(self.exists(user))

    def test_it_keeps_team_members_who_never_logged_in(self) -> None:
        invited = self.make("invited", joined_days_ago=60)
        Member.objects.create(user=invited, project=self.project)
        self.assertIn("Pruned 0 accounts that never logged in", self.prune())
        self.assertTrue(self.exists(invited))

    def test_it_keeps_api_only_accounts_whose_checks_get_pings(self) -> None:
        robot = self.make("robot", joined_days_ago=60)
        project = Project.objects.create(owner=robot, badge_key="robot")
        Check.objects.create(project=project, last_ping=NOW - timedelta(hours=1))
        self.prune()
        self.assertTrue(self.exists(robot))

    def test_it_keeps_staff(self) -> None:
        admin = self.make("admin", joined_days_ago=60)
        User.objects.filter(id=admin.id).update(is_superuser=True, is_staff=True)
        self.prune()
        self.assertTrue(self.exists(admin))

    def test_it_deletes_accounts_warned_over_30_days_ago(self) -> None:
        warned = self.make("warned", joined_days_ago=900, last_login=NOW - timedelta(days=400))
        Profile.objects.filter(user=warned).update(deletion_notice_date=NOW - timedelta(days=31))
        output = self.prune()
        self.assertIn("Pruned 1 accounts after a deletion notice", output)
        self.assertFalse(self.exists(warned))

    def test_it_waits_30_days_after_the_notice(self) -> None:
        warned = self.make("warned", joined_days_ago=900, last_login=NOW - timedelta(days=400))
        Profile.objects.filter(user=warned).update(deletion_notice_date=NOW - timedelta(days=29))
        self.assertIn("Pruned 0 accounts after a deletion notice", self.prune())
        self.assertTrue(self.exists(warned))

    def test_it_keeps_warned_accounts_that_logged_in_after_the_notice(self) -> None:
        came_back = self.make("back", joined_days_ago=900, last_login=NOW - timedelta(days=20))
        Profile.objects.filter(user=came_back).update(deletion_notice_date=NOW - timedelta(days=40))
        self.prune()
        self.assertTrue(self.exists(came_back))

    def test_it_deletes_warned_accounts_that_never_logged_in(self) -> None:
        never = self.make("never", joined_days_ago=10)
        Member.objects.create(user=never, project=self.project)
        Profile.objects.filter(user=never).update(deletion_notice_date=NOW - timedelta(days=40))
        self.assertIn("Pruned 1 accounts after a deletion notice", self.prune())
        self.assertFalse(self.exists(never))

"""Create a Copy and Transfer to Another Project (web spec §7.6; monitoring §4.7)."""

from __future__ import annotations

from datetime import timedelta

from hc.accounts.models import Member, Profile, Project, Role
from hc.api.models import Channel, Check, CheckKind, CheckStatus
from hc.api.services.checks import copy_name, copy_slug
from hc.test import BaseTestCase


class CopyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project,
            name="nightly backup",
            slug="nightly-backup",
            tags="db prod",
            desc="Runs at two",
            kind=CheckKind.CRON,
            schedule="0 2 * * *",
            tz="Europe/Riga",
            timeout=timedelta(hours=2),
            grace=timedelta(minutes=30),
            filter_subject=True,
            filter_body=True,
            filter_http_body=True,
            filter_default_fail=True,
            start_kw="start",
            success_kw="ok",
            failure_kw="fail",
            methods="POST",
            manual_resume=True,
            status=CheckStatus.UP,
            n_pings=5,
        )
        self.on = Channel.objects.create(project=self.project, kind="email")
        self.off = Channel.objects.create(project=self.project, kind="webhook")
        self.on.checks.add(self.check_)
        self.url = f"/checks/{self.check_.code}/copy/"
        self.client.force_login(self.bob)

    def test_it_copies_settings_and_integrations(self) -> None:
        response = self.client.post(self.url)
        copy = Check.objects.exclude(id=self.check_.id).get()
        self.assertRedirects(
            response, f"/checks/{copy.code}/details/?copied=1", fetch_redirect_response=False
        )
        self.assertEqual(copy.project, self.project)
        self.assertEqual(copy.name, "nightly backup (copy)")
        self.assertEqual(copy.slug, "nightly-backup-copy")
        same = [
            "tags",
            "desc",
            "kind",
            "schedule",
            "tz",
            "timeout",
            "grace",
            "filter_subject",
            "filter_body",
            "filter_http_body",
            "filter_default_fail",
            "start_kw",
            "success_kw",
            "failure_kw",
            "methods",
            "manual_resume",
        ]
        for name in same:
            self.assertEqual(getattr(copy, name), getattr(self.check_, name), name)
        self.assertNotEqual(copy.code, self.check_.code)
        self.assertEqual(copy.status, CheckStatus.NEW)
        self.assertEqual(copy.n_pings, 0)
        self.assertEqual(list(copy.channel_set.all()), [self.on])

    def test_long_names_are_cut_to_100_characters(self) -> None:
        self.assertEqual(copy_name("a" * 93), "a" * 93 + " (copy)")
        self.assertEqual(copy_name("a" * 94), "a" * 90 + "... (copy)")
        self.assertEqual(len(copy_name("b" * 100)), 100)
        self.assertEqual(copy_name(""), " (copy)")

    def test_long_slugs_are_dropped(self) -> None:
        self.assertEqual(copy_slug("s" * 95), "s" * 95 + "-copy")
        self.assertEqual(copy_slug("s" * 96), "")
        self.assertEqual(copy_slug(""), "")

    def test_the_view_applies_the_cut(self) -> None:
        Check.objects.filter(id=self.check_.id).update(name="n" * 100, slug="s" * 100)
        self.client.post(self.url)
        copy = Check.objects.exclude(id=self.check_.id).get()
        self.assertEqual(copy.name, "n" * 90 + "... (copy)")
        self.assertEqual(copy.slug, "")

    def test_it_needs_a_free_slot(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"no free check slots", response.content)
        self.assertEqual(Check.objects.count(), 1)

    def test_read_only_members_cannot_copy(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertEqual(Check.objects.count(), 1)


class TransferTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(project=self.project, name="backup")
        self.old_channel = Channel.objects.create(project=self.project, kind="email")
        self.old_channel.checks.add(self.check_)
        # A second project of Alice's, with two integrations.
        self.target = Project.objects.create(owner=self.alice, name="Zeta", badge_key="zeta")
        self.new_channels = [
            Channel.objects.create(project=self.target, kind="email"),
            Channel.objects.create(project=self.target, kind="webhook"),
        ]
        self.url = f"/checks/{self.check_.code}/transfer/"
        self.client.force_login(self.alice)

    def test_it_moves_the_check_and_resets_its_integrations(self) -> None:
        code = self.check_.code
        response = self.client.post(self.url, {"project": str(self.target.code)})
        self.assertRedirects(response, f"/checks/{code}/details/", fetch_redirect_response=False)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.project, self.target)
        self.assertEqual(self.check_.code, code)
        self.assertEqual(
            sorted(c.id for c in self.check_.channel_set.all()),
            sorted(c.id for c in self.new_channels),
        )
        response = self.client.get(f"/checks/{code}/details/")
        self.assertContains(response, "Check transferred to Zeta.")

    def test_the_target_owners_check_limit_applies(self) -> None:
        Member.objects.create(project=self.charlies_project, user=self.alice, role=Role.REGULAR)
        Profile.objects.filter(user=self.charlie).update(check_limit=1)
        Check.objects.create(project=self.charlies_project)
        response = self.client.post(self.url, {"project": str(self.charlies_project.code)})
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"no free check slots", response.content)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.project, self.project)

    def test_the_limit_does_not_apply_between_one_owners_projects(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        self.client.post(self.url, {"project": str(self.target.code)})
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.project, self.target)

    def test_it_needs_write_access_to_the_target(self) -> None:
        Member.objects.create(project=self.charlies_project, user=self.alice, role=Role.READONLY)
        response = self.client.post(self.url, {"project": str(self.charlies_project.code)})
        self.assertEqual(response.status_code, 403)
        other = Project.objects.create(owner=self.charlie, badge_key="other")
        response = self.client.post(self.url, {"project": str(other.code)})
        self.assertEqual(response.status_code, 404)
        self.check_.refresh_from_db()
        self.assertEqual(self.check_.project, self.project)

    def test_bad_targets_are_bad_requests(self) -> None:
        for data in ({}, {"project": "nope"}, {"project": str(self.project.code)}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 400)

    def test_the_form_lists_writable_projects(self) -> None:
        Member.objects.create(project=self.charlies_project, user=self.alice, role=Role.READONLY)
        full = Project.objects.create(owner=self.charlie, name="Full", badge_key="full")
        Member.objects.create(project=full, user=self.alice, role=Role.REGULAR)
        Profile.objects.filter(user=self.charlie).update(check_limit=0)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="project"')
        self.assertContains(response, "Alice&#x27;s Project (current project)")
        self.assertContains(response, f'<option value="{self.target.code}">Zeta</option>')
        self.assertContains(response, "Full (at check limit)")
        self.assertNotContains(response, str(self.charlies_project.code))
        self.assertContains(response, "Integrations will be reset")
        self.assertContains(response, "disabled>Transfer</button>")

    def test_read_only_members_cannot_transfer(self) -> None:
        self.client.force_login(self.rose)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        response = self.client.post(self.url, {"project": str(self.target.code)})
        self.assertEqual(response.status_code, 403)

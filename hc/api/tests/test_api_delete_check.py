"""DELETE /api/vN/checks/<uuid> (management-api §6.7)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import time_machine
from django.db import IntegrityError
from django.db.models import QuerySet

from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    CheckStatus,
    Flip,
    Notification,
    NotificationStatus,
    Ping,
)
from hc.api.services.checks import do_delete_check
from hc.api.tests.api_checks_helpers import VERSIONS, ChecksApiTestCase

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class DeleteCheckTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project,
            name="Backup",
            slug="backup",
            status=CheckStatus.UP,
            last_ping=NOW,
            n_pings=1,
        )
        self.channel = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.channel.checks.add(self.check)
        self.path = f"checks/{self.check.code}"

    def test_it_deletes_the_check_and_returns_it_as_it_was(self) -> None:
        r = self.delete(self.path)
        self.assertEqual(r.status_code, 200)
        data = self.json(r)
        self.assertEqual(data["uuid"], str(self.check.code))
        self.assertEqual((data["name"], data["slug"]), ("Backup", "backup"))
        self.assertTrue(data["update_url"].endswith(f"/api/v3/{self.path}"))
        self.assertTrue(data["ping_url"].endswith(str(self.check.code)))
        self.assertEqual(data["status"], "up")
        self.assertFalse(Check.objects.exists())

    def test_a_later_get_is_404(self) -> None:
        self.delete(self.path)
        self.assert_empty(self.get(self.path), 404)
        self.assert_empty(self.delete(self.path), 404)

    def test_it_deletes_pings_flips_and_notifications_but_not_channels(self) -> None:
        Ping.objects.create(owner=self.check, n=1, created=NOW)
        Flip.objects.create(owner=self.check, created=NOW, old_status="new", new_status="up")
        Notification.objects.create(
            owner=self.check, channel=self.channel, check_status=NotificationStatus.UP
        )
        self.assertEqual(self.delete(self.path).status_code, 200)
        self.assertFalse(Ping.objects.exists())
        self.assertFalse(Flip.objects.exists())
        self.assertFalse(Notification.objects.exists())
        self.assertTrue(Channel.objects.filter(id=self.channel.id).exists())

    def test_pings_to_a_deleted_check_are_404(self) -> None:
        self.delete(self.path)
        self.assertEqual(self.client.get(f"/ping/{self.check.code}").status_code, 404)

    def test_it_leaves_other_checks_alone(self) -> None:
        other = Check.objects.create(project=self.project, name="Other")
        self.delete(self.path)
        self.assertEqual(list(Check.objects.all()), [other])

    def test_every_version_deletes(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                check = Check.objects.create(project=self.project)
                r = self.delete(f"checks/{check.code}", version=version)
                self.assertEqual(r.status_code, 200)
                self.assertIn(f"/api/v{version}/", self.json(r)["update_url"])
                self.assertFalse(Check.objects.filter(id=check.id).exists())

    def test_an_unknown_check_is_404(self) -> None:
        self.assert_empty(self.delete(f"checks/{uuid.uuid4()}"), 404)

    def test_another_projects_check_is_403_and_kept(self) -> None:
        other = Check.objects.create(project=self.charlies_project)
        self.assert_empty(self.delete(f"checks/{other.code}"), 403)
        self.assertTrue(Check.objects.filter(id=other.id).exists())

    def test_a_read_only_key_cannot_delete(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.delete(self.path, key=self.read_key, version=version)
                self.assert_error(r, 401, "wrong api key")
        self.assertTrue(Check.objects.filter(id=self.check.id).exists())

    def test_the_key_is_read_from_the_header_only(self) -> None:
        r = self.client.delete(
            f"/api/v3/{self.path}", f'{{"api_key": "{self.write_key}"}}', "application/json"
        )
        self.assert_error(r, 401, "missing api key")
        self.assertTrue(Check.objects.filter(id=self.check.id).exists())

    def test_deleting_by_unique_key_is_not_allowed(self) -> None:
        self.assert_empty(self.delete(f"checks/{self.check.unique_key}"), 405)
        self.assertTrue(Check.objects.filter(id=self.check.id).exists())


class DeleteServiceTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, slug="backup")

    def test_it_renames_code_and_slug_before_deleting(self) -> None:
        seen: list[tuple[uuid.UUID, str]] = []
        original = QuerySet.delete

        def spy(qs: QuerySet[Check]) -> tuple[int, dict[str, int]]:
            row = Check.objects.get(id=self.check.id)
            seen.append((row.code, row.slug))
            return original(qs)

        with patch.object(QuerySet, "delete", spy):
            self.assertTrue(do_delete_check(self.check))
        [(code, slug)] = seen
        self.assertNotEqual(code, self.check.code)
        self.assertEqual(slug, str(code))

    def test_it_retries_the_delete_once_after_an_integrity_error(self) -> None:
        original = QuerySet.delete
        calls = []

        def flaky(qs: QuerySet[Check]) -> tuple[int, dict[str, int]]:
            calls.append(1)
            if len(calls) == 1:
                raise IntegrityError("a ping arrived")
            return original(qs)

        with patch.object(QuerySet, "delete", flaky):
            self.assertTrue(do_delete_check(self.check))
        self.assertEqual(len(calls), 2)
        self.assertFalse(Check.objects.exists())

    def test_a_check_deleted_meanwhile_is_reported(self) -> None:
        Check.objects.filter(id=self.check.id).delete()
        self.assertFalse(do_delete_check(self.check))

    def test_an_old_check_with_a_long_history_is_deleted(self) -> None:
        Ping.objects.bulk_create(
            Ping(owner=self.check, n=n, created=NOW - timedelta(minutes=n)) for n in range(1, 301)
        )
        self.assertTrue(do_delete_check(self.check))
        self.assertFalse(Ping.objects.exists())

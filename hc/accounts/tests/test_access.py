from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from hc.accounts.access import access_to, accessible_projects, get_channel, get_check, get_project
from hc.api.models import Channel, Check
from hc.test import BaseTestCase


class AccessTestCase(BaseTestCase):
    def request_as(self, user: User) -> HttpRequest:
        request = RequestFactory().get("/")
        request.user = user
        return request

    def test_levels(self) -> None:
        expected = {"alice": "owner", "mike": "m", "bob": "w", "rose": "r"}
        for name, level in expected.items():
            with self.subTest(name):
                access = access_to(getattr(self, name), self.project)
                assert access is not None
                self.assertEqual(access.level, level)
        self.assertIsNone(access_to(self.charlie, self.project))

    def test_capabilities_follow_the_permission_matrix(self) -> None:
        # (rw, manages team, is owner) per web spec §5.4.
        expected = {
            "alice": (True, True, True),
            "mike": (True, True, False),
            "bob": (True, False, False),
            "rose": (False, False, False),
        }
        for name, flags in expected.items():
            with self.subTest(name):
                access = access_to(getattr(self, name), self.project)
                assert access is not None
                self.assertEqual((access.rw, access.manages_team, access.is_owner), flags)

    def test_superuser_is_owner_equivalent_but_not_the_owner(self) -> None:
        self.charlie.is_superuser = True
        self.charlie.save()
        access = access_to(self.charlie, self.project)
        assert access is not None
        self.assertTrue(access.rw)
        self.assertTrue(access.manages_team)
        self.assertFalse(access.is_owner)

    def test_non_member_gets_404_and_read_only_write_gets_403(self) -> None:
        with self.assertRaises(Http404):
            get_project(self.request_as(self.charlie), self.project.code)
        with self.assertRaises(PermissionDenied):
            get_project(self.request_as(self.rose), self.project.code, rw=True)
        access = get_project(self.request_as(self.rose), self.project.code)
        self.assertEqual(access.project, self.project)

    def test_unknown_and_malformed_codes_are_404(self) -> None:
        for code in (str(uuid.uuid4()), "not-a-uuid"):
            with self.subTest(code), self.assertRaises(Http404):
                get_project(self.request_as(self.alice), code)

    def test_checks_and_channels_follow_their_project(self) -> None:
        check = Check.objects.create(project=self.project, name="db")
        channel = Channel.objects.create(project=self.project, kind="email")
        found, access = get_check(self.request_as(self.bob), check.code, rw=True)
        self.assertEqual((found, access.level), (check, "w"))
        with self.assertRaises(Http404):
            get_check(self.request_as(self.charlie), check.code)
        with self.assertRaises(PermissionDenied):
            get_channel(self.request_as(self.rose), channel.code, rw=True)

    def test_accessible_projects(self) -> None:
        self.assertEqual(accessible_projects(self.rose), [self.project])
        self.assertEqual(accessible_projects(self.charlie), [self.charlies_project])

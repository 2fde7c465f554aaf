"""Every browser-facing view, as every kind of user (web spec §5.4, §5.8, §15.1).

The cases live next to each app's tests (`permission_cases.py`); this module
runs them. Each (case, actor) pair runs in a savepoint that is rolled back,
so a deletion by one actor does not change what the next one sees.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from hc.api.models import Channel, Check
from hc.test import BaseTestCase
from hc.test_matrix import ACTORS, Case, Expect

CASE_MODULES = [
    "hc.accounts.tests.permission_cases",
    "hc.front.tests.permission_cases",
    "hc.front.tests.permission_cases_checks",
    "hc.front.tests.permission_cases_schedules",
    "hc.front.tests.permission_cases_details",
    "hc.front.tests.permission_cases_integrations",
    "hc.front.tests.permission_cases_docs",
]


# Browser-facing routes outside the matrix, and why.
NOT_IN_MATRIX = {
    "robots.txt": "public, static text",
    "favicon.ico": "public redirect to a static file",
    "accounts/check_token/<slug:username>/<str:token>/": "anonymous by design: a signed login link",
    "accounts/change_email/<str:signed>/": "anonymous by design: a signed link",
    "integrations/<uuid:code>/verify/<str:token>/": "anonymous by design: a signed link",
    "integrations/<uuid:code>/unsub/<str:signed>/": "anonymous by design: a signed link",
}
# The API, pings, badges, metrics and the admin have their own access rules and tests.
OTHER_SURFACES = ("^api/", "api/", "^ping/", "ping/", "^b/", "^badge/", "admin/")


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def browser_routes() -> set[str]:
    """Every route of the web UI: what the matrix must cover."""
    routes = set(_routes(get_resolver().url_patterns))
    return {r for r in routes if not r.startswith(OTHER_SURFACES) and "metrics/" not in r} - set(
        NOT_IN_MATRIX
    )


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for name in CASE_MODULES:
        cases.extend(importlib.import_module(name).CASES)
    return cases


class PermissionMatrixTestCase(BaseTestCase):
    check_: Check
    sam: User
    channel: Channel

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.check_ = Check.objects.create(project=cls.project, name="db backup")
        cls.channel = Channel.objects.create(project=cls.project, kind="email")
        cls.sam = cls.make_user("sam")
        cls.sam.is_superuser = cls.sam.is_staff = True
        cls.sam.save()

    def actor(self, name: str) -> User | None:
        users = {
            "owner": self.alice,
            "manager": self.mike,
            "member": self.bob,
            "readonly": self.rose,
            "nonmember": self.charlie,
            "superuser": self.sam,
        }
        return users.get(name)

    def request(self, client: Client, case: Case, user: User | None) -> Any:
        if user is not None:
            client.force_login(user)
            if case.sudo:
                session = client.session
                session["sudo"] = signing.TimestampSigner(salt="sudo").sign("active")
                session.save()
        with override_settings(**case.settings):
            case.setup(self, user)
            url = case.url(self)
            if case.method == "GET":
                return client.get(url)
            return client.post(url, case.data(self))

    def assert_expected(self, response: Any, expect: Expect, where: str) -> None:
        status = response.status_code
        location = response.get("Location", "")
        to_login = status == 302 and location.startswith("/accounts/login/")
        if expect == "login":
            self.assertTrue(
                to_login, f"{where}: expected a login redirect, got {status} {location}"
            )
        elif expect == "ok":
            self.assertLess(status, 400, f"{where}: expected success, got {status}")
            self.assertFalse(to_login, f"{where}: expected success, got a login redirect")
        else:
            self.assertEqual(status, expect, f"{where}: expected {expect}, got {status} {location}")

    def test_every_case_as_every_actor(self) -> None:
        cases = all_cases()
        self.assertGreater(len(cases), 20)
        for case in cases:
            for actor in ACTORS:
                with self.subTest(f"{case.name} as {actor}"), transaction.atomic():
                    response = self.request(Client(), case, self.actor(actor))
                    self.assert_expected(response, case.expect[actor], f"{case.name} as {actor}")
                    transaction.set_rollback(True)

    def test_every_browser_route_has_a_case(self) -> None:
        covered = {resolve(case.url(self).split("?")[0]).route for case in all_cases()}
        self.assertEqual(sorted(browser_routes() - covered), [])

    def test_every_post_needs_a_csrf_token(self) -> None:
        for case in all_cases():
            if case.method != "POST" or not case.csrf:
                continue
            with self.subTest(case.name), transaction.atomic():
                client = Client(enforce_csrf_checks=True)
                response = self.request(client, case, self.alice)
                self.assertEqual(response.status_code, 403, case.name)
                self.assertIn(b"CSRF", response.content, case.name)
                transaction.set_rollback(True)

"""The accounts forms of the spec's validation summary (web spec §16), row by row.

Every bad input gets a 4xx or the form again with a message a person can act
on, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

from hc.accounts.models import Credential, Member, Profile, Project
from hc.test import BaseTestCase


@dataclass(frozen=True)
class Row:
    name: str
    url: str
    data: dict[str, Any]
    status: int
    message: str
    anonymous: bool = False


LONG_EMAIL = "a" * 250 + "@example.org"


class ValidationSummaryTestCase(BaseTestCase):
    def rows(self) -> list[Row]:
        settings_url = f"/projects/{self.project.code}/settings/"
        return [
            Row(
                "login link: not an email",
                "/accounts/login/",
                {"identity": "alice"},
                200,
                "Enter a valid email address",
                anonymous=True,
            ),
            Row(
                "password login: wrong password",
                "/accounts/login/",
                {"action": "login", "email": "alice@example.org", "password": "nope"},
                200,
                "Incorrect email or password",
                anonymous=True,
            ),
            Row(
                "sign-up: too long",
                "/accounts/signup/",
                {"identity": LONG_EMAIL, "tz": "UTC"},
                400,
                "254",
                anonymous=True,
            ),
            Row(
                "sign-up: not an email",
                "/accounts/signup/",
                {"identity": "bob", "tz": "UTC"},
                400,
                "valid email",
                anonymous=True,
            ),
            Row(
                "set password: too short",
                "/accounts/set_password/",
                {"password": "short"},
                200,
                "at least 8 characters",
            ),
            Row(
                "change email: invalid",
                "/accounts/change_email/",
                {"email": "not an email"},
                200,
                "Enter a valid email address",
            ),
            Row(
                "change email: taken",
                "/accounts/change_email/",
                {"email": "Bob@Example.org"},
                200,
                "bob@example.org is already registered",
            ),
            Row(
                "close account: wrong confirmation",
                "/accounts/close/",
                {"confirmation": "bob@example.org"},
                200,
                "not your email address",
            ),
            Row(
                "project name: empty",
                settings_url,
                {"set_project_name": "", "name": ""},
                400,
                "project name",
            ),
            Row(
                "project name: too long",
                settings_url,
                {"set_project_name": "", "name": "x" * 61},
                400,
                "at most 60 characters",
            ),
            Row(
                "invite: invalid email",
                settings_url,
                {"invite_team_member": "", "email": "friend", "role": "w"},
                400,
                "valid email address",
            ),
            Row(
                "invite: too long",
                settings_url,
                {"invite_team_member": "", "email": LONG_EMAIL, "role": "w"},
                400,
                "at most 254 characters",
            ),
            Row(
                "invite: unknown role",
                settings_url,
                {"invite_team_member": "", "email": "friend@example.org", "role": "x"},
                400,
                "role",
            ),
            Row(
                "reports: unknown frequency",
                "/accounts/profile/notifications/",
                {"reports": "yearly", "nag_period": "0"},
                200,
                "Choose how often to receive reports",
            ),
            Row(
                "reminders: unknown period",
                "/accounts/profile/notifications/",
                {"reports": "off", "nag_period": "60"},
                200,
                "reminder",
            ),
            Row(
                "security key name: too long",
                "/accounts/two_factor/webauthn/",
                {"name": "k" * 101, "response": "{}"},
                400,
                "",
            ),
            Row(
                "TOTP code: not six digits",
                "/accounts/two_factor/totp/",
                {"code": "12ab"},
                200,
                "6-digit code",
            ),
        ]

    def test_every_row(self) -> None:
        self.client.force_login(self.alice)
        session = self.client.session
        session["sudo"] = signing.TimestampSigner(salt="sudo").sign("active")
        session.save()
        before = self.snapshot()
        with self.settings(RP_ID="testserver"):
            for row in self.rows():
                with self.subTest(row.name):
                    client = self.client_class() if row.anonymous else self.client
                    response = client.post(row.url, row.data)
                    self.assertEqual(response.status_code, row.status, row.name)
                    if row.message:
                        self.assertContains(response, row.message, status_code=row.status)
        self.assertEqual(self.snapshot(), before)

    def test_ignored_values_change_nothing(self) -> None:
        # Time zone and theme come from pickers: a value outside them is ignored.
        self.client.force_login(self.alice)
        self.client.post("/accounts/profile/", {"set_tz": "", "tz": "Mars/Olympus_Mons"})
        self.client.post("/accounts/profile/appearance/", {"theme": "neon"})
        profile = Profile.objects.get(user=self.alice)
        self.assertEqual((profile.tz, profile.theme), ("UTC", ""))

    def snapshot(self) -> tuple[Any, ...]:
        self.alice.refresh_from_db()
        profile = Profile.objects.get(user=self.alice)
        return (
            self.alice.email,
            self.alice.password,
            profile.reports,
            profile.nag_period,
            profile.totp,
            Project.objects.get(id=self.project.id).name,
            Member.objects.count(),
            Credential.objects.count(),
        )

from __future__ import annotations

import json
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase

from hc.accounts.api_keys import key_matches
from hc.accounts.models import Profile, Project
from hc.api.models import Check


def bootstrap(*args: str) -> dict[str, str | None]:
    out = StringIO()
    call_command("bootstrap", *args, "--json", stdout=out)
    result: dict[str, str | None] = json.loads(out.getvalue())
    return result


class BootstrapTestCase(TestCase):
    def test_it_creates_user_project_and_keys(self) -> None:
        result = bootstrap(
            "--email", "Ops@Example.org", "--password", "s3cret!", "--project", "Prod"
        )
        self.assertEqual(
            set(result), {"user", "project", "api_key", "api_key_readonly", "ping_key"}
        )
        user = User.objects.get(email="ops@example.org")
        self.assertEqual(result["user"], "ops@example.org")
        self.assertTrue(user.check_password("s3cret!"))
        self.assertTrue(Profile.objects.filter(user=user).exists())
        project = Project.objects.get(code=str(result["project"]))
        self.assertEqual((project.owner, project.name), (user, "Prod"))

        api_key, readonly_key = result["api_key"], result["api_key_readonly"]
        assert api_key is not None and readonly_key is not None
        self.assertRegex(api_key, r"^hcw_[a-zA-Z0-9]{28}$")
        self.assertRegex(readonly_key, r"^hcr_[a-zA-Z0-9]{28}$")
        # Stored hashed, never in plain text.
        self.assertNotIn(api_key, project.api_key)
        self.assertTrue(key_matches(api_key, project.api_key))
        self.assertTrue(key_matches(readonly_key, project.api_key_readonly))
        self.assertFalse(key_matches(readonly_key, project.api_key))
        self.assertRegex(result["ping_key"] or "", r"^[a-z0-9]{22}$")
        self.assertEqual(project.ping_key, result["ping_key"])

    def test_it_is_idempotent_and_shows_keys_only_when_created(self) -> None:
        first = bootstrap("--email", "ops@example.org")
        second = bootstrap("--email", "ops@example.org")
        self.assertEqual(User.objects.count(), 1)
        self.assertEqual(Project.objects.count(), 1)
        self.assertEqual(second["project"], first["project"])
        self.assertIsNone(second["api_key"])
        self.assertIsNone(second["api_key_readonly"])
        self.assertEqual(second["ping_key"], first["ping_key"])

    def test_new_keys_replaces_every_key(self) -> None:
        first = bootstrap("--email", "ops@example.org")
        renewed = bootstrap("--email", "ops@example.org", "--new-keys")
        project = Project.objects.get()
        assert first["api_key"] and renewed["api_key"]
        self.assertNotEqual(renewed["api_key"], first["api_key"])
        self.assertFalse(key_matches(first["api_key"], project.api_key))
        self.assertTrue(key_matches(renewed["api_key"], project.api_key))
        self.assertNotEqual(renewed["ping_key"], first["ping_key"])

    def test_it_creates_a_pingable_check_once(self) -> None:
        first = bootstrap("--email", "ops@example.org", "--check", "Nightly Backup")
        again = bootstrap("--email", "ops@example.org", "--check", "Nightly Backup")
        check = Check.objects.get()
        self.assertEqual(first["check"], str(check.code))
        self.assertEqual(again["check"], first["check"])
        self.assertEqual(check.slug, "nightly-backup")
        self.assertEqual(first["ping_url"], f"http://localhost:8000/ping/{check.code}")
        self.assert_pings_ok(str(first["ping_url"]))

    def assert_pings_ok(self, url: str) -> None:
        response = self.client.get(url.removeprefix("http://localhost:8000"))
        self.assertEqual(response.content, b"OK")

    def test_it_can_make_an_admin(self) -> None:
        bootstrap("--email", "admin@example.org", "--superuser")
        user = User.objects.get()
        self.assertTrue(user.is_superuser and user.is_staff)

    def test_it_rejects_a_bad_email(self) -> None:
        with self.assertRaisesRegex(CommandError, "Not a valid email"):
            bootstrap("--email", "not-an-email")
        self.assertEqual(User.objects.count(), 0)

    def test_the_text_output_names_every_value(self) -> None:
        out = StringIO()
        call_command("bootstrap", "--email", "ops@example.org", stdout=out)
        self.assertRegex(out.getvalue(), r"api_key: hcw_")
        self.assertRegex(out.getvalue(), r"ping_key: [a-z0-9]{22}")


class EmailLoginTestCase(TestCase):
    def test_admin_logs_in_by_email_and_password(self) -> None:
        bootstrap("--email", "admin@example.org", "--password", "pw-12345", "--superuser")
        self.assertTrue(self.client.login(username="Admin@Example.org", password="pw-12345"))
        self.assertFalse(self.client.login(username="admin@example.org", password="wrong"))

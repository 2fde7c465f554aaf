"""manage.py createsuperuser (web §3.1, §3.4)."""

from __future__ import annotations

from io import StringIO
from unittest.mock import patch

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from hc.accounts.models import Profile, Project
from hc.api.models import Check
from hc.test import BaseTestCase


def run(*args: str) -> str:
    out = StringIO()
    call_command("createsuperuser", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class CreateSuperuserTestCase(BaseTestCase):
    def test_it_creates_an_administrator_with_the_starter_set(self) -> None:
        out = run("--email", "Root@Example.org", "--password", "a long password", "--noinput")
        self.assertIn("Superuser root@example.org created.", out)
        user = User.objects.get(email="root@example.org")
        self.assertTrue(user.is_superuser)
        self.assertTrue(user.is_staff)
        self.assertTrue(user.check_password("a long password"))
        self.assertEqual(len(user.username), 30)
        self.assertTrue(Profile.objects.filter(user=user).exists())
        project = Project.objects.get(owner=user)
        self.assertTrue(Check.objects.filter(project=project, name="My First Check").exists())

    def test_it_is_the_command_manage_py_runs(self) -> None:
        from django.core.management import get_commands

        self.assertEqual(get_commands()["createsuperuser"], "hc.accounts")

    def test_it_rejects_bad_input_without_prompting(self) -> None:
        cases = [
            (["--email", "not-an-email", "--password", "a long password"], "Not a valid email"),
            (
                ["--email", "ALICE@example.org", "--password", "a long password"],
                "already registered",
            ),
            (["--email", "root@example.org", "--password", "short"], "at least 8 characters"),
            (["--password", "a long password"], "--email is required"),
            (["--email", "root@example.org"], "--password is required"),
        ]
        for args, error in cases:
            with self.subTest(error=error), self.assertRaisesMessage(CommandError, error):
                run(*args, "--noinput")
        self.assertEqual(User.objects.filter(is_superuser=True).count(), 0)

    def test_it_prompts_for_what_is_missing(self) -> None:
        answers = iter(["not-an-email", "Root@example.org"])
        passwords = iter(
            ["short", "a long password", "a different one", "a long password", "a long password"]
        )
        with (
            patch("builtins.input", lambda _prompt: next(answers)),
            patch("getpass.getpass", lambda _prompt: next(passwords)),
        ):
            run()
        user = User.objects.get(email="root@example.org")
        self.assertTrue(user.is_superuser)
        self.assertTrue(user.check_password("a long password"))

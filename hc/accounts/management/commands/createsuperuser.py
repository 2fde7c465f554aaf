"""`manage.py createsuperuser`: an administrator identified by email (web spec §3.1).

Replaces django.contrib.auth's command, which asks for a username: here
usernames are random and internal. The new account gets a profile and the
starter set, like a signup. Prompts for what the options leave out.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from hc.accounts.services_auth import do_create_superuser

MIN_PASSWORD_LENGTH = 8


def email_problem(email: str) -> str | None:
    try:
        validate_email(email)
    except ValidationError:
        return f"Not a valid email address: {email!r}"
    if len(email) > 254:
        return "The email address is too long."
    if User.objects.filter(email__iexact=email).exists():
        return f"{email} is already registered."
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    try:
        validate_password(password)
    except ValidationError as e:
        return " ".join(e.messages)
    return None


class Command(BaseCommand):
    help = "Create an administrator account with an email address and a password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="the administrator's email address")
        parser.add_argument("--password", help="the password (prompted for when left out)")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never prompt: fail if --email or --password is missing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive: bool = options["interactive"]
        email = self._email(options["email"], interactive)
        password = self._password(options["password"], interactive)
        user = do_create_superuser(email, password)
        self.stdout.write(f"Superuser {user.email} created.")

    def _email(self, given: str | None, interactive: bool) -> str:
        while True:
            if given is None:
                if not interactive:
                    raise CommandError("--email is required with --noinput.")
                given = input("Email address: ")
            email = given.strip().lower()
            problem = email_problem(email)
            if problem is None:
                return email
            if not interactive:
                raise CommandError(problem)
            self.stderr.write(problem)
            given = None

    def _password(self, given: str | None, interactive: bool) -> str:
        if given is not None:
            problem = password_problem(given)
            if problem:
                raise CommandError(problem)
            return given
        if not interactive:
            raise CommandError("--password is required with --noinput.")
        while True:
            password = getpass.getpass("Password: ")
            problem = password_problem(password)
            if problem is None and password != getpass.getpass("Password (again): "):
                problem = "The passwords do not match."
            if problem is None:
                return password
            self.stderr.write(problem)

"""`manage.py bootstrap`: a user, a project and its keys, for automated setups.

Idempotent for the user and the project. API keys are stored hashed, so they
can be shown only when created: an existing key is reported as null unless
`--new-keys` replaces it.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from hc.accounts.models import Profile, Project
from hc.accounts.services import (
    do_create_project,
    do_create_user,
    do_issue_api_key,
    do_issue_ping_key,
)
from hc.api.models import Check
from hc.api.services.checks import do_create_check


class Command(BaseCommand):
    help = "Create a user, a project and its API and ping keys if they are missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the user's email address")
        parser.add_argument("--password", help="set this password (optional)")
        parser.add_argument("--project", default="My Project", help="project name")
        parser.add_argument("--superuser", action="store_true", help="make the user an admin")
        parser.add_argument("--check", help="also make sure a check with this name exists")
        parser.add_argument("--new-keys", action="store_true", help="replace existing keys")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not a valid email address: {email!r}") from None

        with transaction.atomic():
            result = self._bootstrap(email, options)

        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for name, value in result.items():
            shown = value if value is not None else "(exists; shown only when created)"
            self.stdout.write(f"{name}: {shown}")

    def _bootstrap(self, email: str, options: dict[str, Any]) -> dict[str, str | None]:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = do_create_user(email, options["password"])
        else:
            Profile.objects.get_or_create(user=user)
            if options["password"]:
                user.set_password(options["password"])
                user.save(update_fields=["password"])
        if options["superuser"] and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])

        name = options["project"]
        project = Project.objects.filter(owner=user, name=name).order_by("id").first()
        if project is None:
            project = do_create_project(user, name)

        renew = options["new_keys"]
        api_key = api_key_readonly = None
        if renew or not project.api_key:
            api_key = do_issue_api_key(project, readonly=False)
        if renew or not project.api_key_readonly:
            api_key_readonly = do_issue_api_key(project, readonly=True)
        if renew or not project.ping_key:
            do_issue_ping_key(project)

        result: dict[str, str | None] = {
            "user": user.email,
            "project": str(project.code),
            "api_key": api_key,
            "api_key_readonly": api_key_readonly,
            # Ping keys are not secret at rest (they are part of ping URLs).
            "ping_key": project.ping_key,
        }
        if options["check"]:
            check = Check.objects.filter(project=project, name=options["check"]).first()
            if check is None:
                check = do_create_check(project, name=options["check"])
            result["check"] = str(check.code)
            result["ping_url"] = f"{settings.PING_ENDPOINT}{check.code}"
        return result

"""State changes of accounts: creating users and projects, issuing keys."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db import transaction

from hc.accounts import api_keys
from hc.accounts.models import Profile, Project


def random_username() -> str:
    # Usernames are internal (login links); 30 characters from a UUID4.
    return uuid.uuid4().hex[:30]


@transaction.atomic
def do_create_user(email: str, password: str | None = None) -> User:
    user = User(username=random_username(), email=email.strip().lower())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user)
    return user


@transaction.atomic
def do_create_project(owner: User, name: str) -> Project:
    return Project.objects.create(owner=owner, name=name, badge_key=str(uuid.uuid4()))


@transaction.atomic
def do_issue_api_key(project: Project, *, readonly: bool) -> str:
    """Replace the project's key of that kind; the key is returned only now."""
    key, stored = api_keys.new_api_key(readonly=readonly)
    field = "api_key_readonly" if readonly else "api_key"
    setattr(project, field, stored)
    project.save(update_fields=[field])
    return key


@transaction.atomic
def do_issue_ping_key(project: Project) -> str:
    while True:
        key = api_keys.new_ping_key()
        if not Project.objects.filter(ping_key=key).exists():
            break
    project.ping_key = key
    project.save(update_fields=["ping_key"])
    return key

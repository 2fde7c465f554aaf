"""State changes of accounts: creating users and projects, issuing keys."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hc.accounts import api_keys
from hc.accounts.models import Member, Profile, Project
from hc.api.models import Check, CheckStatus


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
    # The badge key is the project's own code, as upstream does (web spec §5.2).
    code = uuid.uuid4()
    return Project.objects.create(code=code, owner=owner, name=name, badge_key=str(code))


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


@transaction.atomic
def do_update_nag_dates(project: Project) -> None:
    """Start or stop reminders for the people who see the project (monitoring §6.1).

    Covers the owner and the members whose reminders are on. A reminder
    already scheduled is not postponed.
    """
    user_ids = [
        project.owner_id,
        *Member.objects.filter(project=project).values_list("user_id", flat=True),
    ]
    profiles = (
        Profile.objects.select_for_update()
        .filter(user_id__in=user_ids)
        .exclude(nag_period=timedelta())
        .order_by("id")
    )
    now = timezone.now()
    for profile in profiles:
        user_id = profile.user_id
        accessible = Q(project__owner_id=user_id) | Q(project__member__user_id=user_id)
        any_down = Check.objects.filter(accessible, status=CheckStatus.DOWN).exists()
        if any_down and profile.next_nag_date is None:
            profile.next_nag_date = now + profile.nag_period
            profile.save(update_fields=["next_nag_date"])
        elif not any_down and profile.next_nag_date is not None:
            profile.next_nag_date = None
            profile.save(update_fields=["next_nag_date"])

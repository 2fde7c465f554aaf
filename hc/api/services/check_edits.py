"""Edits made from the "My Checks" dashboard (web spec §6.4, §6.7, §6.9, §6.11).

Each function is one state change in one transaction. Creating the check
itself is `hc.api.services.checks.do_create_check`; `do_add_check` only adds
the owner's check allowance around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction

from hc.accounts.models import Profile, Project
from hc.api.models import Channel, Check, CheckKind
from hc.api.services.checks import CheckLimitReached, do_create_check

__all__ = [
    "CheckLimitReached",
    "NewCheck",
    "checks_used",
    "do_add_check",
    "do_set_channel_link",
    "do_set_show_slugs",
    "do_set_sort",
    "do_update_name",
]


@dataclass(frozen=True)
class NewCheck:
    """The validated fields of the Add Check form."""

    name: str
    slug: str
    tags: str
    kind: CheckKind
    timeout: timedelta
    grace: timedelta
    schedule: str
    tz: str


def checks_used(owner_id: int) -> int:
    """How many checks count against the owner's allowance (all their projects)."""
    return Check.objects.filter(project__owner_id=owner_id).count()


def do_add_check(project: Project, fields: NewCheck) -> Check:
    """Create a check in the project, with every integration assigned.

    Raises CheckLimitReached, writing nothing, when the owner has no free slot.
    """
    with transaction.atomic():
        # The owner's row serialises creations, as the API does, so two
        # concurrent adds cannot both take the last free slot.
        list(User.objects.select_for_update().filter(id=project.owner_id).values_list("id"))
        limit = (
            Profile.objects.filter(user_id=project.owner_id)
            .values_list("check_limit", flat=True)
            .first()
        )
        if limit is not None and checks_used(project.owner_id) >= limit:
            raise CheckLimitReached
        return do_create_check(
            project,
            name=fields.name,
            slug=fields.slug,
            tags=fields.tags,
            kind=fields.kind,
            timeout=fields.timeout,
            grace=fields.grace,
            schedule=fields.schedule,
            tz=fields.tz,
        )


def do_update_name(check: Check, *, name: str, slug: str, tags: str, desc: str) -> Check | None:
    """Save the Name & Tags dialog; None if the check no longer exists.

    These fields play no part in the check's deadlines, so the row is
    updated without the lock that schedule changes and pings take.
    """
    with transaction.atomic():
        updated = Check.objects.filter(id=check.id).update(
            name=name, slug=slug, tags=tags, desc=desc
        )
    if not updated:
        return None
    check.name, check.slug, check.tags, check.desc = name, slug, tags, desc
    return check


def do_set_channel_link(check: Check, channel: Channel, *, enabled: bool) -> None:
    """Assign the integration to the check, or take it off.

    Both directions are idempotent: adding an existing link or removing a
    missing one changes nothing.
    """
    if check.project_id != channel.project_id:
        raise ValueError("the check and the integration belong to different projects")
    with transaction.atomic():
        if enabled:
            channel.checks.add(check)
        else:
            channel.checks.remove(check)


def do_set_sort(profile: Profile, sort: str) -> None:
    """Remember the viewer's sort order for the checks list."""
    if profile.sort == sort:
        return
    with transaction.atomic():
        Profile.objects.filter(id=profile.id).update(sort=sort)
    profile.sort = sort


def do_set_show_slugs(project: Project, show_slugs: bool) -> None:
    """Switch the project's ping URLs between UUID and slug style (for every member)."""
    if project.show_slugs == show_slugs:
        return
    with transaction.atomic():
        Project.objects.filter(id=project.id).update(show_slugs=show_slugs)
    project.show_slugs = show_slugs

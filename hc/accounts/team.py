"""State changes of projects and their teams (web spec §5.2, §5.3, §5.5, §5.7).

Each function is one transaction. Emails go out from `send_invitation` and
`send_transfer_request` after the change has committed, so a slow or failing
SMTP server never holds a row lock or undoes a change the user asked for.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hc.accounts import login_tokens, services
from hc.accounts.mail import send_templated
from hc.accounts.models import Member, Profile, Project, Role
from hc.api.models import Check
from hc.api.services.checks import do_delete_check

KeyKind = Literal["api_key", "api_key_readonly", "ping_key"]


# Project ----------------------------------------------------------------------


@transaction.atomic
def do_rename_project(project: Project, name: str) -> None:
    project.name = name
    project.save(update_fields=["name"])


def do_delete_project(project: Project) -> None:
    """Delete the checks one by one, safely against concurrent pings, then the project.

    Not one transaction on purpose: each check's new random code must be
    committed before the delete so that pings arriving meanwhile miss it
    (monitoring spec, check deletion). A failure half-way leaves a project
    with fewer checks, which deleting again finishes.
    """
    for check in Check.objects.filter(project=project).only("id"):
        do_delete_check(check)
    with transaction.atomic():
        Project.objects.filter(id=project.id).delete()


# Keys ---------------------------------------------------------------------------


def do_create_key(project: Project, kind: KeyKind) -> str:
    """Issue (or replace) a key; the returned full key is shown only once."""
    if kind == "ping_key":
        return services.do_issue_ping_key(project)
    return services.do_issue_api_key(project, readonly=kind == "api_key_readonly")


@transaction.atomic
def do_revoke_key(project: Project, kind: KeyKind) -> None:
    # No ping key is null, not "": the column is unique.
    setattr(project, kind, None if kind == "ping_key" else "")
    project.save(update_fields=[kind])


# Team ---------------------------------------------------------------------------


def suggested_users(project: Project) -> QuerySet[User]:
    """People in the owner's other projects who are not in this one yet."""
    return (
        User.objects.filter(memberships__project__owner_id=project.owner_id)
        .exclude(memberships__project=project)
        .exclude(id=project.owner_id)
        .distinct()
        .order_by("email")
    )


@transaction.atomic
def do_invite_member(project: Project, email: str, role: Role) -> tuple[User, bool]:
    """Add the person with this email, creating an account if there is none.

    Returns the user and whether they were added (False: already in the team).
    An account created here gets no starter project: the invitee joins ours.
    """
    user = User.objects.filter(email=email).order_by("id").first()
    if user is None:
        user = services.do_create_user(email)
    if user.id == project.owner_id:
        return user, False
    _, created = Member.objects.get_or_create(user=user, project=project, defaults={"role": role})
    return user, created


@transaction.atomic
def do_remove_member(project: Project, user: User) -> bool:
    """False if the user was not a member."""
    deleted, _ = Member.objects.filter(project=project, user=user).delete()
    return deleted > 0


# Ownership transfer -----------------------------------------------------------


@transaction.atomic
def do_start_transfer(project: Project, candidate: User) -> bool:
    """Offer the project to one member, withdrawing any earlier offer.

    False if the candidate is not a member.
    """
    members = Member.objects.filter(project=project)
    members.exclude(user=candidate).update(transfer_request_date=None)
    return members.filter(user=candidate).update(transfer_request_date=timezone.now()) == 1


@transaction.atomic
def do_cancel_transfer(project: Project) -> None:
    Member.objects.filter(project=project).update(transfer_request_date=None)


@transaction.atomic
def do_reject_transfer(project: Project, candidate: User) -> None:
    Member.objects.filter(project=project, user=candidate).update(transfer_request_date=None)


def free_check_slots(user: User) -> int:
    """How many more checks the user's own projects may hold."""
    limit = Profile.objects.filter(user=user).values_list("check_limit", flat=True).first() or 0
    return limit - Check.objects.filter(project__owner=user).count()


class TransferError(Exception):
    pass


@transaction.atomic
def do_accept_transfer(project: Project, candidate: User) -> None:
    """Make the candidate the owner; the previous owner takes their seat as a Member.

    Raises TransferError when no transfer is offered to the candidate any more,
    or when the project's checks would not fit in the candidate's check limit.
    """
    # Locking the candidate serialises this with their check creations
    # (which take the same lock), so the capacity check cannot be raced.
    list(User.objects.select_for_update().filter(id=candidate.id).values_list("id"))
    locked = Project.objects.select_for_update().get(id=project.id)
    seat = (
        Member.objects.select_for_update()
        .filter(project=locked, user=candidate, transfer_request_date__isnull=False)
        .first()
    )
    if seat is None:
        raise TransferError("This transfer request is no longer valid.")
    if Check.objects.filter(project=locked).count() > free_check_slots(candidate):
        raise TransferError("The project's checks do not fit in your account's check limit.")

    previous_owner_id = locked.owner_id
    seat.user_id = previous_owner_id
    seat.role = Role.REGULAR
    seat.transfer_request_date = None
    seat.save(update_fields=["user", "role", "transfer_request_date"])
    Member.objects.filter(project=locked).update(transfer_request_date=None)
    locked.owner = candidate
    locked.save(update_fields=["owner"])
    project.owner = candidate


# Emails -------------------------------------------------------------------------


def send_invitation(project: Project, inviter: User, invitee: User, role: Role) -> None:
    """Email the invitee a login link to the project; raises EmailError."""
    next_path = reverse("hc-checks", args=[project.code])
    send_templated(
        invitee.email,
        "invitation",
        f"You have been invited to join {project} on {settings.SITE_NAME}",
        {
            "project": project,
            "inviter": inviter,
            "read_only": role == Role.READONLY,
            "login_url": login_tokens.login_url(invitee, next_path),
        },
    )


def send_transfer_request(project: Project, candidate: User) -> None:
    """Email the candidate a login link to the settings page; raises EmailError."""
    next_path = reverse("hc-project-settings", args=[project.code])
    send_templated(
        candidate.email,
        "transfer_request",
        "Ownership Transfer Request",
        {"project": project, "login_url": login_tokens.login_url(candidate, next_path)},
    )

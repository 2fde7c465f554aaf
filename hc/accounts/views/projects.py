"""Create, configure and delete projects (web spec §5.2, §5.3, §5.5, §5.7).

The settings page posts every action to its own URL, named by the submit
button; the page then re-renders in place with a footer line in the panel
that was acted on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hc.accounts import services, team
from hc.accounts.access import ProjectAccess, get_project
from hc.accounts.forms_projects import (
    CreateKeyForm,
    InviteForm,
    MemberEmailForm,
    ProjectNameForm,
    RevokeKeyForm,
)
from hc.accounts.key_display import masked_api_key, masked_ping_key
from hc.accounts.models import Member, Role
from hc.api.models import Check
from hc.lib import emails, ratelimit

Panel = Literal["request", "name", "keys", "team", "transfer"]
INVITES_PER_DAY = 20
NO_EMAIL = "Outgoing email is not configured on this site."


@dataclass
class Outcome:
    """The footer line an action leaves in one panel of the re-rendered page."""

    panel: Panel
    text: str
    level: Literal["success", "info", "danger"] = "success"
    status: int = 200
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def css(self) -> str:
        """The panel's border colour."""
        return {"success": "panel-success", "info": "panel-info", "danger": "border-danger"}[
            self.level
        ]


def _error(panel: Panel, text: str, status: int = 400) -> Outcome:
    return Outcome(panel, text, "danger", status)


def _first_error(form: Any) -> str:
    errors = form.errors.get_json_data()
    first = next(iter(errors.values()))
    return str(first[0]["message"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


@login_required
@require_POST
def add_project(request: HttpRequest) -> HttpResponse:
    form = ProjectNameForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_first_error(form))
    project = services.do_create_project(_user(request), form.cleaned_data["name"])
    return redirect("hc-checks", project.code)


@login_required
@require_POST
def remove_project(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_project(request, code)
    if not access.is_owner:
        raise Http404
    team.do_delete_project(access.project)
    return redirect("hc-index")


# Settings page actions ------------------------------------------------------------


def _set_name(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.rw:
        raise PermissionDenied
    form = ProjectNameForm(request.POST)
    if not form.is_valid():
        return _error("name", _first_error(form))
    team.do_rename_project(access.project, form.cleaned_data["name"])
    return Outcome("name", "Project name updated")


def _create_key(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.rw:
        raise PermissionDenied
    form = CreateKeyForm(request.POST)
    if not form.is_valid():
        return _error("keys", "Unknown key type.")
    kind = cast(team.KeyKind, form.cleaned_data["create_key"])
    key = team.do_create_key(access.project, kind)
    return Outcome("keys", "Key created", extra={"new_key": key, "new_key_kind": kind})


def _revoke_key(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.rw:
        raise PermissionDenied
    form = RevokeKeyForm(request.POST)
    if not form.is_valid():
        return _error("keys", "Unknown key type.")
    team.do_revoke_key(access.project, cast(team.KeyKind, form.cleaned_data["revoke_key"]))
    return Outcome("keys", "Key revoked")


def _invite(request: HttpRequest, access: ProjectAccess) -> Outcome | HttpResponse:
    if not access.manages_team:
        raise PermissionDenied
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _error("team", _first_error(form))
    email: str = form.cleaned_data["email"]
    role = Role(form.cleaned_data["role"])
    project, inviter = access.project, _user(request)

    # Bringing in someone from the owner's other projects is not limited:
    # only invitations to strangers could be abused to send mail.
    known = team.suggested_users(project).filter(email=email).exists()
    if not known and not ratelimit.authorize(f"invite-{inviter.id}", INVITES_PER_DAY, 86400):
        return render(request, "try_later.html")

    invitee, added = team.do_invite_member(project, email, role)
    if not added:
        return Outcome("team", f"{email} is already a member", "info")
    if emails.is_configured():
        try:
            team.send_invitation(project, inviter, invitee, role)
        except emails.EmailError:
            text = f"{email} added to team, but the invitation email could not be sent"
            return Outcome("team", text, "danger")
    return Outcome("team", f"{email} invited to team")


def _member_from_form(request: HttpRequest, access: ProjectAccess) -> Member | None:
    form = MemberEmailForm(request.POST)
    if not form.is_valid():
        return None
    return (
        Member.objects.filter(project=access.project, user__email=form.cleaned_data["email"])
        .select_related("user")
        .first()
    )


def _remove_member(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.manages_team:
        raise PermissionDenied
    member = _member_from_form(request, access)
    if member is None:
        return _error("team", "That person is not a member of this project.")
    if member.user_id == request.user.pk:
        return _error("team", "You cannot remove yourself: use “Leave” on the Account page.")
    team.do_remove_member(access.project, member.user)
    return Outcome("team", f"{member.user.email} removed from team")


def _transfer(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.is_owner:
        raise PermissionDenied
    member = _member_from_form(request, access)
    if member is None:
        return _error("transfer", "Please choose a member of this project.")
    if not emails.is_configured():
        # The candidate learns about the offer only by email (spec §12).
        return _error("transfer", NO_EMAIL + " The transfer request cannot be sent.", 200)
    team.do_start_transfer(access.project, member.user)
    try:
        team.send_transfer_request(access.project, member.user)
    except emails.EmailError:
        team.do_cancel_transfer(access.project)
        return _error("transfer", "The transfer request email could not be sent.", 200)
    return Outcome("transfer", f"Transfer initiated, {member.user.email} has been notified")


def _cancel_transfer(request: HttpRequest, access: ProjectAccess) -> Outcome:
    if not access.is_owner:
        raise PermissionDenied
    team.do_cancel_transfer(access.project)
    return Outcome("transfer", "Transfer cancelled")


def _offered_to_me(request: HttpRequest, access: ProjectAccess) -> bool:
    return Member.objects.filter(
        project=access.project, user=_user(request), transfer_request_date__isnull=False
    ).exists()


def _accept_transfer(request: HttpRequest, access: ProjectAccess) -> Outcome | None:
    if not _offered_to_me(request, access):
        raise PermissionDenied
    try:
        team.do_accept_transfer(access.project, _user(request))
    except team.TransferError as e:
        return _error("request", str(e))
    messages.success(request, f"Congratulations, you are now the owner of {access.project}!")
    return None


def _reject_transfer(request: HttpRequest, access: ProjectAccess) -> Outcome | None:
    if not _offered_to_me(request, access):
        raise PermissionDenied
    team.do_reject_transfer(access.project, _user(request))
    messages.info(request, f"You have declined the ownership of {access.project}.")
    return None


# An action returns its footer, a response of its own, or None (flash messages only).
Action = Callable[[HttpRequest, ProjectAccess], "Outcome | HttpResponse | None"]
ACTIONS: dict[str, Action] = {
    "set_project_name": _set_name,
    "create_key": _create_key,
    "revoke_key": _revoke_key,
    "invite_team_member": _invite,
    "remove_team_member": _remove_member,
    "transfer_project": _transfer,
    "cancel_transfer": _cancel_transfer,
    "accept_transfer": _accept_transfer,
    "reject_transfer": _reject_transfer,
}


# The page -----------------------------------------------------------------------------


def _page_context(request: HttpRequest, access: ProjectAccess) -> dict[str, Any]:
    project = access.project
    members = list(
        Member.objects.filter(project=project).select_related("user").order_by("user__email")
    )
    ctx: dict[str, Any] = {
        "project": project,
        "page": "settings",
        "access": access,
        "members": members,
        "transfer_pending": next((m for m in members if m.transfer_request_date), None),
        "suggestions": list(team.suggested_users(project)) if access.manages_team else [],
    }
    if access.rw:
        ctx["keys"] = [
            ("api_key", "API key", masked_api_key(project.api_key, readonly=False)),
            (
                "api_key_readonly",
                "API key (read-only)",
                masked_api_key(project.api_key_readonly, readonly=True),
            ),
            ("ping_key", "Ping key", masked_ping_key(project.ping_key)),
        ]
    mine = next((m for m in members if m.user_id == request.user.pk), None)
    if mine is not None and mine.transfer_request_date:
        n_checks = Check.objects.filter(project=project).count()
        free = team.free_check_slots(_user(request))
        ctx["offer"] = {"n_checks": n_checks, "free": free, "fits": n_checks <= free}
    return ctx


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # A just-created key is in the page.
def project_settings(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_project(request, code)
    outcome: Outcome | None = None
    if request.method == "POST":
        action = next((ACTIONS[name] for name in ACTIONS if name in request.POST), None)
        if action is None:
            return HttpResponseBadRequest("Unknown action.")
        result = action(request, access)
        if isinstance(result, HttpResponse):
            return result
        outcome = result
        # Re-read: the action may have changed the name, keys or team.
        access = get_project(request, code)

    ctx = _page_context(request, access)
    status = 200
    if outcome is not None:
        ctx["footer"] = outcome
        ctx.update(outcome.extra)
        status = outcome.status
    return render(request, "accounts/project_settings.html", ctx, status=status)

"""Who may see and change a project (web spec §5.4 and §5.8).

Every project, check and integration view resolves its object through these
functions: a non-member gets 404 (indistinguishable from "no such object"),
a read-only member asking for write access gets 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from hc.accounts.models import Member, Project, Role
from hc.api.models import Channel, Check

Level = Literal["owner", "superuser", "m", "w", "r"]


@dataclass(frozen=True)
class ProjectAccess:
    project: Project
    level: Level

    @property
    def rw(self) -> bool:
        """May change checks, integrations, keys and the project's name."""
        return self.level != Role.READONLY.value

    @property
    def manages_team(self) -> bool:
        return self.level in ("owner", "superuser", Role.MANAGER)

    @property
    def is_owner(self) -> bool:
        """Only the real owner transfers or deletes a project, not a superuser."""
        return self.level == "owner"


def _user(request: HttpRequest) -> User:
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        # Views call these behind login_required; reaching here is a bug.
        raise PermissionDenied
    return user


def _uuid(code: object) -> uuid.UUID:
    try:
        return code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except ValueError:
        raise Http404 from None


def access_to(user: User, project: Project) -> ProjectAccess | None:
    """The user's access to a project, or None for a non-member."""
    if project.owner_id == user.id:
        return ProjectAccess(project, "owner")
    if user.is_superuser:
        return ProjectAccess(project, "superuser")
    role = Member.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    return None if role is None else ProjectAccess(project, Role(role).value)  # type: ignore[arg-type]


def _check_level(access: ProjectAccess | None, *, rw: bool) -> ProjectAccess:
    if access is None:
        raise Http404
    if rw and not access.rw:
        raise PermissionDenied
    return access


def get_project(request: HttpRequest, code: object, *, rw: bool = False) -> ProjectAccess:
    project = Project.objects.select_related("owner").filter(code=_uuid(code)).first()
    if project is None:
        raise Http404
    return _check_level(access_to(_user(request), project), rw=rw)


def get_check(
    request: HttpRequest, code: object, *, rw: bool = False
) -> tuple[Check, ProjectAccess]:
    check = (
        Check.objects.select_related("project", "project__owner").filter(code=_uuid(code)).first()
    )
    if check is None:
        raise Http404
    return check, _check_level(access_to(_user(request), check.project), rw=rw)


def get_channel(
    request: HttpRequest, code: object, *, rw: bool = False
) -> tuple[Channel, ProjectAccess]:
    channel = (
        Channel.objects.select_related("project", "project__owner").filter(code=_uuid(code)).first()
    )
    if channel is None:
        raise Http404
    return channel, _check_level(access_to(_user(request), channel.project), rw=rw)


def accessible_projects(user: User) -> list[Project]:
    """Owned projects and memberships (not every project for superusers)."""
    owned = Project.objects.filter(owner=user)
    joined = Project.objects.filter(member__user=user)
    return list((owned | joined).distinct().select_related("owner"))

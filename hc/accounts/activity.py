"""What a visit to the dashboards records (web spec §5.1, §6.1, §15.4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from hc.accounts.models import Profile, Project

LAST_PROJECT_KEY = "last_project"
_ACTIVE_KEY = "last_active"
_ACTIVE_RESOLUTION = timedelta(days=1)


def _noted_recently(request: HttpRequest, stale: datetime) -> bool:
    noted = request.session.get(_ACTIVE_KEY)
    try:
        return isinstance(noted, str) and datetime.fromisoformat(noted) > stale
    except ValueError:
        return False


def do_note_visit(request: HttpRequest, user: User) -> None:
    """Refresh the profile's last-active date at most once a day.

    The session changes at the same moment, so its cookie is re-issued with a
    fresh expiry: active users stay logged in, without a write per request.
    The session's own note of the last refresh spares the query in between;
    the refresh is one UPDATE, atomic by itself.
    """
    now = timezone.now()
    stale = now - _ACTIVE_RESOLUTION
    if _noted_recently(request, stale):
        return
    refreshed = (
        Profile.objects.filter(user=user)
        .exclude(last_active_date__gt=stale)
        .update(last_active_date=now)
    )
    if refreshed:
        request.session[_ACTIVE_KEY] = now.isoformat()


def remember_project(request: HttpRequest, project: Project) -> None:
    """The overview highlights the project visited last in this session."""
    code = str(project.code)
    if request.session.get(LAST_PROJECT_KEY) != code:
        request.session[LAST_PROJECT_KEY] = code


def last_project_code(request: HttpRequest) -> str | None:
    value = request.session.get(LAST_PROJECT_KEY)
    return value if isinstance(value, str) else None

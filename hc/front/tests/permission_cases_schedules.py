"""Permission matrix cases for the schedules area of the dashboard (web spec §2)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib.auth.models import User

from hc.accounts.models import Member, Project, Role
from hc.api.models import Check, CheckStatus
from hc.test_matrix import LOGGED_IN, MEMBERS, READ_WRITE, Case, Expect, Fixture

# Open to everyone, anonymous visitors included.
ANYONE: dict[str, Expect] = {**LOGGED_IN, "anonymous": "ok"}


def _check_url(action: str) -> Callable[[Fixture], str]:
    return lambda f: f"/checks/{f.check_.code}/{action}/"


def _pause(f: Fixture, user: User | None) -> None:
    Check.objects.filter(id=f.check_.id).update(status=CheckStatus.PAUSED)


def _transfer_target(f: Fixture, user: User | None) -> None:
    """Alice's second project, where everyone but Rose may write."""
    target = Project.objects.create(owner=f.alice, name="target", badge_key=str(uuid.uuid4()))
    Member.objects.create(project=target, user=f.bob, role=Role.REGULAR)
    Member.objects.create(project=target, user=f.mike, role=Role.MANAGER)
    Member.objects.create(project=target, user=f.rose, role=Role.READONLY)


def _target_code(f: Fixture) -> dict[str, str]:
    return {"project": str(Project.objects.get(name="target").code)}


CASES: list[Case] = [
    Case(
        "cron preview",
        "POST",
        lambda f: "/checks/cron_preview/",
        ANYONE,
        data=lambda f: {"schedule": "0 2 * * *", "tz": "UTC"},
    ),
    Case(
        "oncalendar preview",
        "POST",
        lambda f: "/checks/oncalendar_preview/",
        LOGGED_IN,
        data=lambda f: {"schedule": "daily", "tz": "UTC"},
    ),
    Case(
        "validate schedule",
        "GET",
        lambda f: "/checks/validate_schedule/?kind=cron&schedule=*+*+*+*+*",
        ANYONE,
    ),
    Case(
        "update timeout",
        "POST",
        _check_url("timeout"),
        READ_WRITE,
        data=lambda f: {"kind": "simple", "timeout": "3600", "grace": "60"},
    ),
    Case("pause", "POST", _check_url("pause"), READ_WRITE),
    Case("resume", "POST", _check_url("resume"), READ_WRITE, setup=_pause),
    Case("remove check", "POST", _check_url("remove"), READ_WRITE),
    Case("clear events", "POST", _check_url("clear_events"), READ_WRITE),
    Case("transfer form", "GET", _check_url("transfer"), READ_WRITE),
    Case(
        "transfer",
        "POST",
        _check_url("transfer"),
        READ_WRITE,
        data=_target_code,
        setup=_transfer_target,
    ),
    Case("copy", "POST", _check_url("copy"), READ_WRITE),
    Case(
        "filtering rules",
        "POST",
        _check_url("filtering_rules"),
        READ_WRITE,
        data=lambda f: {"methods": "POST", "manual_resume": "1"},
    ),
    Case("uncloak", "GET", lambda f: f"/cloaked/{f.check_.unique_key}/", MEMBERS),
]

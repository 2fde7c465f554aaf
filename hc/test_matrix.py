"""The permission test matrix (web spec §5.4, §5.8, §15): data, not tests.

Each app lists its browser-facing views as `Case`s in
`hc/<app>/tests/permission_cases.py` (a `CASES` list); the matrix test in
hc/accounts/tests/test_permission_matrix.py runs every case as each actor and
checks the answer, and POSTs every POST case without a CSRF token.

Actors are the named users of hc.test.BaseTestCase: the owner (alice), a
manager (mike), a regular member (bob), a read-only member (rose), a
non-member (charlie), a superuser who is not a member (sam, added by the
matrix test) and an anonymous visitor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from django.contrib.auth.models import User

from hc.accounts.models import Project
from hc.api.models import Channel, Check

ACTORS = ("owner", "manager", "member", "readonly", "nonmember", "superuser", "anonymous")

# "ok": any answer below 400 that is not a redirect to the login page;
# "login": a redirect to the login page; an int: exactly that status.
Expect = Literal["ok", "login"] | int


class Fixture(Protocol):
    """What a case can build its URL and form data from."""

    project: Project
    check_: Check
    channel: Channel
    alice: User
    bob: User
    mike: User
    rose: User
    charlie: User


@dataclass(frozen=True)
class Case:
    name: str
    method: Literal["GET", "POST"]
    url: Callable[[Fixture], str]
    expect: dict[str, Expect]
    data: Callable[[Fixture], dict[str, Any]] = field(default=lambda f: {})
    # False only for the few views mail clients POST to without a token.
    csrf: bool = True
    # Prepares state for the acting user (None: anonymous) before the request,
    # inside the rolled-back savepoint: a transfer offered to them, say.
    setup: Callable[[Fixture, User | None], None] = field(default=lambda f, user: None)
    # Log the actor in with sudo mode already on, to reach the view behind it.
    sudo: bool = False
    # Settings to override for this case only (RP_ID for the security key views).
    settings: Mapping[str, Any] = field(default_factory=dict)


def _by_role(
    owner: Expect, manager: Expect, member: Expect, readonly: Expect, nonmember: Expect
) -> dict[str, Expect]:
    return {
        "owner": owner,
        "manager": manager,
        "member": member,
        "readonly": readonly,
        "nonmember": nonmember,
        # A superuser who is not a member may do what a manager may (web
        # spec §5.4): everything but transferring or deleting the project.
        "superuser": manager,
        "anonymous": "login",
    }


# The rows of the spec's matrix, as expectations per actor.
MEMBERS = _by_role("ok", "ok", "ok", "ok", 404)
READ_WRITE = _by_role("ok", "ok", "ok", 403, 404)
MANAGERS = _by_role("ok", "ok", 403, 403, 404)
OWNER_ONLY_HIDDEN = _by_role("ok", 404, 404, 404, 404)
OWNER_ONLY = _by_role("ok", 403, 403, 403, 404)
LOGGED_IN = _by_role("ok", "ok", "ok", "ok", "ok")

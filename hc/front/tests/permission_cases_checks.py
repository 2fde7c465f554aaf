"""Permission matrix cases for the checks area of the dashboard (web spec §2).

The page itself ("checks page") is listed in permission_cases.py.
"""

from __future__ import annotations

from hc.test_matrix import MEMBERS, READ_WRITE, Case, Expect


def _anonymous_403(expect: dict[str, Expect]) -> dict[str, Expect]:
    # A JSON endpoint: anonymous callers get 403, not a login redirect.
    return {**expect, "anonymous": 403}


CASES: list[Case] = [
    Case(
        "checks live status",
        "GET",
        lambda f: f"/projects/{f.project.code}/checks/status/",
        _anonymous_403(MEMBERS),
    ),
    Case(
        "checks live status since",
        "GET",
        lambda f: f"/projects/{f.project.code}/checks/status/?since=1741600000.5",
        _anonymous_403(MEMBERS),
    ),
    Case(
        "checks page url style switch",
        "GET",
        lambda f: f"/projects/{f.project.code}/checks/?urls=slug&sort=name",
        MEMBERS,
    ),
    Case(
        "add check",
        "POST",
        lambda f: f"/projects/{f.project.code}/checks/add/",
        READ_WRITE,
        data=lambda f: {"name": "x", "kind": "simple", "timeout": "3600", "grace": "3600"},
    ),
    Case(
        "check name and tags",
        "POST",
        lambda f: f"/checks/{f.check_.code}/name/",
        READ_WRITE,
        data=lambda f: {"name": "renamed", "tags": "a b"},
    ),
    Case(
        "switch a check's integration",
        "POST",
        lambda f: f"/checks/{f.check_.code}/channels/{f.channel.code}/enabled",
        READ_WRITE,
        data=lambda f: {"state": "on"},
    ),
]

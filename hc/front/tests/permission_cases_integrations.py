"""Permission matrix cases for the integrations and badges pages (web spec §2, §9, §10).

Covers hc/front/urls/integrations.py and the add forms in the email and
webhook packages. The fixture's channel is an email channel.
"""

from __future__ import annotations

from typing import Any

from hc.test_matrix import MEMBERS, READ_WRITE, Case, Fixture


def _project(path: str) -> Any:
    return lambda f: f"/projects/{f.project.code}/{path}"


def _channel(path: str) -> Any:
    return lambda f: f"/integrations/{f.channel.code}/{path}"


def _assignment(f: Fixture) -> dict[str, str]:
    return {"channel": str(f.channel.code), f"check-{f.check_.code}": "on"}


def _badge(f: Fixture) -> dict[str, str]:
    return {"target": "check", "check": str(f.check_.code), "fmt": "svg", "states": "3"}


def _webhook(f: Fixture) -> dict[str, str]:
    return {
        "name": "hook",
        "method_down": "GET",
        "url_down": "https://example.org/hook",
        "body_down": "",
        "headers_down": "",
        "method_up": "GET",
        "url_up": "",
        "body_up": "",
        "headers_up": "",
    }


CASES: list[Case] = [
    Case("integrations page", "GET", _project("integrations/"), MEMBERS),
    Case("assign checks", "POST", _project("integrations/"), READ_WRITE, data=_assignment),
    Case("assign checks dialog", "GET", _channel("checks/"), READ_WRITE),
    Case("rename integration", "POST", _channel("name/"), READ_WRITE, data=lambda f: {"name": "x"}),
    Case("edit integration form", "GET", _channel("edit/"), READ_WRITE),
    Case(
        "edit integration",
        "POST",
        _channel("edit/"),
        READ_WRITE,
        data=lambda f: {"value": "ops@example.org", "down": "on"},
    ),
    # The fixture's email channel has no address: the test fails, and says so.
    Case("test integration", "POST", _channel("test/"), MEMBERS),
    Case("remove integration", "POST", _channel("remove/"), READ_WRITE),
    Case("add email form", "GET", _project("add_email/"), READ_WRITE),
    Case(
        "add email",
        "POST",
        _project("add_email/"),
        READ_WRITE,
        data=lambda f: {"value": "ops@example.org", "down": "on", "up": "on"},
    ),
    Case("add webhook form", "GET", _project("add_webhook/"), READ_WRITE),
    Case("add webhook", "POST", _project("add_webhook/"), READ_WRITE, data=_webhook),
    Case("badges page", "GET", _project("badges/"), MEMBERS),
    Case("badge preview", "POST", _project("badges/"), MEMBERS, data=_badge),
]

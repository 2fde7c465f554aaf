"""Permission matrix cases for the details area of the dashboard (web spec §2)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from hc.api.models import Ping
from hc.test_matrix import MEMBERS, Case, Expect, Fixture

# The JSON and fragment endpoints polled by scripts answer 403, not a login
# redirect, to anonymous visitors (web spec §2, "403-json").
MEMBERS_403_JSON: dict[str, Expect] = {**MEMBERS, "anonymous": 403}


def _with_ping(f: Fixture, user: User | None) -> None:
    Ping.objects.create(owner=f.check_, n=1, created=timezone.now(), body_raw=b"hello")
    f.check_.n_pings = 1
    f.check_.save(update_fields=["n_pings"])


CASES: list[Case] = [
    Case("details page", "GET", lambda f: f"/checks/{f.check_.code}/details/", MEMBERS),
    Case("details status", "GET", lambda f: f"/checks/{f.check_.code}/status/", MEMBERS_403_JSON),
    Case("event log", "GET", lambda f: f"/checks/{f.check_.code}/log/", MEMBERS),
    Case(
        "event log rows",
        "GET",
        lambda f: f"/checks/{f.check_.code}/log_events/?success=on&flip=on",
        MEMBERS_403_JSON,
    ),
    Case(
        "last ping",
        "GET",
        lambda f: f"/checks/{f.check_.code}/last_ping/",
        MEMBERS,
        setup=_with_ping,
    ),
    Case(
        "ping details",
        "GET",
        lambda f: f"/checks/{f.check_.code}/pings/1/",
        MEMBERS,
        setup=_with_ping,
    ),
    Case(
        "ping body",
        "GET",
        lambda f: f"/checks/{f.check_.code}/pings/1/body/",
        MEMBERS,
        setup=_with_ping,
    ),
]

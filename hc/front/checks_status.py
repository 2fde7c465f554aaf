"""The live status of the checks page (web spec §6.6), whole or since a token.

`GET /projects/<code>/checks/status/` answers every row; with `?since=<token>`
(the `since` of a previous answer) it answers only the rows whose look may
have changed after that moment:

* a ping or a start arrived (`last_ping`, `last_start` are later), or
* a status change was recorded (a flip: pause, resume, down, up), or
* a deadline passed in between, turning the row late or down.

Tag pills and the title always come, as they summarise every check. Rows
that changed in ways that leave no timestamp (a schedule edit that moves a
deadline) are caught by the page's periodic full refresh.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from django.db.models import QuerySet

from hc.accounts.models import Project
from hc.api.models import Check, Flip, Status
from hc.front.checks_list import page_title, tag_pills
from hc.front.checks_rows import last_ping_cell

# A change committed just after an answer may carry a timestamp from just
# before it (a ping takes its time before its transaction commits), so each
# answer also covers this much time before its token: a few rows may come
# twice, none is missed.
SINCE_OVERLAP: Final = timedelta(seconds=2)
_EARLIEST: Final = datetime(2010, 1, 1, tzinfo=UTC)
# What the answer needs; the page itself loads whole rows.
_FIELDS: Final = (
    "id",
    "code",
    "status",
    "kind",
    "timeout",
    "grace",
    "schedule",
    "tz",
    "tags",
    "last_ping",
    "last_start",
    "last_duration",
    "has_confirmation_link",
)


class BadSince(ValueError):
    """A `since` value that is not one of ours."""


def since_token(moment: datetime) -> str:
    return f"{moment.timestamp():.6f}"


def parse_since(value: str, now: datetime) -> datetime:
    """The moment a `since` token stands for; BadSince if it cannot be ours."""
    try:
        seconds = float(value)
    except ValueError:
        raise BadSince("since must be a Unix timestamp") from None
    if not math.isfinite(seconds):
        raise BadSince("since must be a Unix timestamp")
    if not _EARLIEST.timestamp() <= seconds <= (now + timedelta(days=1)).timestamp():
        raise BadSince("since is out of range")
    return datetime.fromtimestamp(seconds, tz=UTC)


def _checks(project: Project) -> QuerySet[Check]:
    return Check.objects.filter(project=project).only(*_FIELDS).order_by("created", "id")


def _changed(check: Check, cutoff: datetime, status: Status, flipped: set[int]) -> bool:
    """Whether the row may look different now than it did at `cutoff`."""
    if check.id in flipped:
        return True
    for moment in (check.last_ping, check.last_start):
        if moment is not None and moment > cutoff:
            return True
    # Nothing was written since: the look changes only when a deadline passes.
    return check.get_status(now=cutoff) != status


def status_payload(project: Project, now: datetime, since: datetime | None) -> dict[str, Any]:
    checks = list(_checks(project))
    statuses = [check.get_status(now=now) for check in checks]
    flipped: set[int] = set()
    cutoff = None
    if since is not None:
        cutoff = min(since, now) - SINCE_OVERLAP
        flips = Flip.objects.filter(owner__project=project, created__gt=cutoff)
        flipped = set(flips.values_list("owner_id", flat=True))
    details = [
        {
            "code": str(check.code),
            "status": status.value,
            "last_ping": last_ping_cell(check, now),
            "started": check.last_start is not None,
        }
        for check, status in zip(checks, statuses, strict=True)
        if cutoff is None or _changed(check, cutoff, status, flipped)
    ]
    pills = tag_pills(
        (check.tags.split(), status) for check, status in zip(checks, statuses, strict=True)
    )
    n_down = sum(1 for status in statuses if status == Status.DOWN)
    return {
        "details": details,
        "tags": {pill.tag: [pill.status, pill.tooltip] for pill in pills},
        "title": page_title(n_down),
        "since": since_token(now),
    }

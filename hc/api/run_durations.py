"""Run durations: how long each job run took, from its start and completion pings.

A completion (success or failure) ends the run begun by the latest earlier
start, success or failure with the same run id (no id counts as an id), if
that one is a start less than 72 hours before (monitoring §4.6). Shared by
the Management API's ping listing and the dashboard's event lists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from hc.api.models import Check, Ping, PingKind
from hc.api.models.checks import MAX_DURATION

# Runs that started before the listed pings are looked up one by one, this
# many at most per list.
MAX_LOOKBACKS: Final = 10
# A filtered listing reads the run boundaries around its pings in one query
# of at most this many rows.
MAX_CONTEXT_ROWS: Final = 5000
_RUN_KINDS: Final = (PingKind.START, PingKind.SUCCESS, PingKind.FAIL)


@dataclass(frozen=True)
class _Signal:
    n: int
    kind: str
    created: datetime
    rid: uuid.UUID | None


def run_durations(
    check: Check, pings: Sequence[Ping], *, complete: bool, all_or_nothing: bool = False
) -> dict[int, timedelta]:
    """Durations of the success and fail pings among `pings` (newest first), by n.

    `complete` says `pings` holds every start, success and failure in its
    range; otherwise they are read again. Runs that began before the listing
    take one query each: the newest MAX_LOOKBACKS get one and the rest go
    without a duration, or, with `all_or_nothing` (the Management API's
    rule), more than that many leave the whole listing without durations.
    """
    completions = [p for p in pings if p.kind in (PingKind.SUCCESS, PingKind.FAIL, "")]
    if not completions:
        return {}
    if complete:
        sequence = [_Signal(p.n, p.kind or PingKind.SUCCESS, p.created, p.rid) for p in pings]
    else:
        sequence = _context(check, completions)
    sequence.sort(key=lambda s: s.n)
    found, unresolved = _pair(sequence, {p.n for p in completions})
    if all_or_nothing and len(unresolved) > MAX_LOOKBACKS:
        return {}
    for signal in unresolved[:MAX_LOOKBACKS]:
        duration = _look_back(check, signal)
        if duration is not None:
            found[signal.n] = duration
    return found


def _context(check: Check, completions: Sequence[Ping]) -> list[_Signal]:
    oldest = min(p.created for p in completions)
    newest_n = max(p.n for p in completions)
    rows = (
        Ping.objects.filter(
            owner=check,
            n__lte=newest_n,
            created__gte=oldest - MAX_DURATION,
            kind__in=(*_RUN_KINDS, ""),
        )
        .order_by("-n")
        .values_list("n", "kind", "created", "rid")[:MAX_CONTEXT_ROWS]
    )
    return [_Signal(n, kind or PingKind.SUCCESS, created, rid) for n, kind, created, rid in rows]


def _pair(
    sequence: Iterable[_Signal], wanted: set[int]
) -> tuple[dict[int, timedelta], list[_Signal]]:
    """Durations found within the (ascending) sequence, and the completions
    whose run may have started before it."""
    found: dict[int, timedelta] = {}
    unresolved: list[_Signal] = []
    signals = list(sequence)
    if not signals:
        return found, unresolved
    first = signals[0]
    previous: dict[uuid.UUID | None, _Signal] = {}
    for signal in signals:
        if signal.kind not in _RUN_KINDS:
            continue
        if signal.kind != PingKind.START and signal.n in wanted:
            before = previous.get(signal.rid)
            if before is not None:
                if before.kind == PingKind.START and signal.created - before.created < MAX_DURATION:
                    found[signal.n] = signal.created - before.created
            elif signal.n > 1 and signal.created - first.created < MAX_DURATION:
                unresolved.append(signal)
        previous[signal.rid] = signal
    # The newest first: those are the ones on screen at the top.
    unresolved.sort(key=lambda s: s.n, reverse=True)
    return found, unresolved


def _look_back(check: Check, signal: _Signal) -> timedelta | None:
    previous = (
        Ping.objects.filter(
            owner=check,
            n__lt=signal.n,
            rid=signal.rid,
            created__gte=signal.created - MAX_DURATION,
            kind__in=(*_RUN_KINDS, ""),
        )
        .order_by("-n")
        .values_list("kind", "created")
        .first()
    )
    if previous is None or previous[0] != PingKind.START:
        return None
    return signal.created - previous[1]


def ping_duration(check: Check, ping: Ping) -> timedelta | None:
    """One ping's run duration, for the ping details dialog."""
    if ping.kind not in (PingKind.SUCCESS, PingKind.FAIL, "") or ping.n <= 1:
        return None
    return _look_back(check, _Signal(ping.n, ping.kind, ping.created, ping.rid))

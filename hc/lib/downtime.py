"""Downtime statistics per calendar period (monitoring §7).

Pure functions: callers pass the check's creation time, its stored status and
its flips, and get one record per period. Periods are months, weeks (starting
Monday) or days in a time zone, so a viewer in Riga and one in New York see
different boundaries for the same check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DOWN = "down"


class FlipLike(Protocol):
    """What the algorithm needs of a Flip (a model instance fits)."""

    @property
    def created(self) -> datetime: ...

    @property
    def old_status(self) -> str: ...


@dataclass
class DowntimeRecord:
    """Downtime in the period that starts at `boundary`."""

    boundary: datetime
    no_data: bool
    duration: timedelta = timedelta()
    count: int = 0


def zone(name: str) -> tzinfo:
    """The named zone; UTC for a name this system does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _midnight(day: date, tz: tzinfo) -> datetime:
    # Built from the date so the zone picks the offset valid on that day.
    return datetime.combine(day, time(), tzinfo=tz)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_boundaries(now: datetime, tz: tzinfo, count: int) -> list[datetime]:
    """Local midnights on the 1st of this month and earlier ones, newest first."""
    first = now.astimezone(tz).date().replace(day=1)
    return [_midnight(_add_months(first, -i), tz) for i in range(count)]


def week_boundaries(now: datetime, tz: tzinfo, count: int) -> list[datetime]:
    """Local Monday midnights of this week and earlier ones, newest first."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return [_midnight(monday - timedelta(weeks=i), tz) for i in range(count)]


def day_boundaries(now: datetime, tz: tzinfo, count: int) -> list[datetime]:
    """Local midnights of today and earlier days, newest first."""
    today = now.astimezone(tz).date()
    return [_midnight(today - timedelta(days=i), tz) for i in range(count)]


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants.

    Python subtracts datetimes that share a tzinfo by wall clock, which is
    an hour off across a DST change, so subtract in UTC.
    """
    return end.astimezone(UTC) - start.astimezone(UTC)


def downtime_records(
    boundaries: Sequence[datetime],
    *,
    created: datetime,
    status: str,
    flips: Iterable[FlipLike],
    now: datetime,
) -> list[DowntimeRecord]:
    """One record per boundary (newest first, as given), newest first.

    `status` is the check's stored status now; `flips` need only cover the
    time after the oldest boundary. A downtime that spans a boundary counts
    as one event in each period it touches.
    """
    records = [
        # The current period always has data; an older one has none if the
        # check was created after it ended.
        DowntimeRecord(boundary=b, no_data=i > 0 and created > boundaries[i - 1])
        for i, b in enumerate(boundaries)
    ]
    if not records:
        return records

    # (moment, status before it or None for a boundary); newest first.
    events: list[tuple[datetime, str | None]] = [(b, None) for b in boundaries]
    oldest = boundaries[-1]
    events.extend((f.created, f.old_status) for f in flips if oldest < f.created <= now)
    events.sort(key=lambda event: event[0], reverse=True)

    cursor, current = now, status
    for moment, status_before in events:
        if current == DOWN and moment < cursor:
            record = _record_at(records, moment)
            if record is not None:
                record.duration += elapsed(moment, cursor)
                record.count += 1
        cursor = moment
        if status_before is not None:
            current = status_before
    return records


def _record_at(records: list[DowntimeRecord], moment: datetime) -> DowntimeRecord | None:
    """The record of the latest boundary at or before `moment`."""
    for record in records:
        if record.boundary <= moment:
            return record
    return None


def month_length(boundary: datetime) -> timedelta:
    """Real length of the month starting at `boundary` (743 h or 745 h in DST months)."""
    assert boundary.tzinfo is not None
    local = boundary.astimezone(boundary.tzinfo)
    following = _midnight(_add_months(local.date(), 1), boundary.tzinfo)
    return elapsed(boundary, following)


def uptime(record: DowntimeRecord) -> float:
    """The share of the record's month that was not downtime, from 0 to 1.

    The whole month is the denominator, also for the current month: time
    still to come counts as up.
    """
    length = month_length(record.boundary)
    return max(length - record.duration, timedelta()) / length


def format_uptime(record: DowntimeRecord) -> str:
    """Uptime as a percentage truncated (never rounded up) to two decimals."""
    length = month_length(record.boundary)
    up = max(length - record.duration, timedelta())
    hundredths = up * 10000 // length
    return f"{hundredths // 100}.{hundredths % 100:02}%"


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"


def format_duration(duration: timedelta) -> str:
    """A duration in its two largest units: "14 days 1 hour", "3 minutes"."""
    seconds = int(duration.total_seconds())
    if seconds < 60:
        return _plural(seconds, "second")
    parts: list[tuple[int, str]] = []
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        amount, seconds = divmod(seconds, size)
        if amount or parts:
            parts.append((amount, unit))
    shown = [_plural(amount, unit) for amount, unit in parts[:2] if amount]
    return " ".join(shown)

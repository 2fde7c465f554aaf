"""Validation and evaluation of cron and OnCalendar schedules.

Pure functions: no Django, no database. Every instant that leaves this module is
an aware UTC datetime, so callers can add grace periods without worrying about
DST (spec §3.3 step 3).

Cron follows Debian cron semantics through `cronsim`; OnCalendar follows
systemd.time(7) through `oncalendar`. Both libraries can return a match that
lies *before* the start instant when the start falls in the second pass of a
repeated (fall-back) hour, because they iterate on the local wall clock. We
therefore filter every result stream to be strictly increasing in UTC
(deviation D1, spec §3.6).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from oncalendar import OnCalendarError, TzIterator

ScheduleKind = Literal["cron", "oncalendar"]

MAX_SCHEDULE_LENGTH = 100
CRON_FIELDS = 5
MAX_ONCALENDAR_COMPONENTS = 4  # weekday, date, time, time zone

# Spec §3.1: a schedule must match at least once after this instant. Cron uses a
# naive start (as upstream does); OnCalendar needs an aware one.
_CRON_VALIDATION_START = datetime(2000, 1, 1)  # noqa: DTZ001 - naive on purpose, see above
_ONCALENDAR_VALIDATION_START = datetime(2000, 1, 1, tzinfo=UTC)


class InvalidSchedule(ValueError):
    """A schedule expression or time zone that cannot be evaluated."""


def infer_kind(schedule: str) -> ScheduleKind:
    """Guess the kind of an API-supplied schedule (spec §3.1)."""
    if _is_single_line(schedule) and len(schedule.split()) == CRON_FIELDS:
        return "cron"
    return "oncalendar"


def validate_cron(expr: str) -> None:
    it = _cron_iterator(expr, _CRON_VALIDATION_START)
    try:
        next(it)
    except StopIteration:
        raise InvalidSchedule("cron expression never matches") from None


def validate_oncalendar(expr: str) -> None:
    lines = _oncalendar_lines(expr)
    # Construct every iterator first so a parse error in a later line is not
    # hidden by an earlier line that matches.
    streams = [_oncalendar_line_runs(line, _ONCALENDAR_VALIDATION_START) for line in lines]
    for stream in streams:
        if next(stream, None) is not None:
            return
    raise InvalidSchedule("OnCalendar expression never matches")


def validate_schedule(kind: str, expr: str) -> None:
    if len(expr) > MAX_SCHEDULE_LENGTH:
        raise InvalidSchedule(f"schedule is longer than {MAX_SCHEDULE_LENGTH} characters")
    if kind == "cron":
        validate_cron(expr)
    elif kind == "oncalendar":
        validate_oncalendar(expr)
    else:
        raise InvalidSchedule(f"unknown schedule kind {kind!r}")


def next_run(kind: str, schedule: str, tz: str, after: datetime) -> datetime | None:
    """The first match strictly after `after`, in UTC, or None if there is none.

    None means the schedule is exhausted (an OnCalendar date in the past) or,
    for cron, that nothing matches within the library's 50-year horizon.
    """
    return next(_runs(kind, schedule, tz, after), None)


def next_runs(kind: str, schedule: str, tz: str, after: datetime, count: int) -> list[datetime]:
    """Up to `count` consecutive matches after `after`, in UTC, strictly increasing."""
    if count <= 0:
        return []
    return list(islice(_runs(kind, schedule, tz, after), count))


def _runs(kind: str, schedule: str, tz: str, after: datetime) -> Iterator[datetime]:
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("`after` must be a timezone-aware datetime")

    # astimezone() sets `fold`, which tells the libraries which pass of a
    # repeated hour the start instant is in.
    local_after = after.astimezone(_zone(tz))
    if kind == "cron":
        stream = (dt.astimezone(UTC) for dt in _cron_iterator(schedule, local_after))
    elif kind == "oncalendar":
        lines = _oncalendar_lines(schedule)
        per_line = [_oncalendar_line_runs(line, local_after) for line in lines]
        stream = heapq.merge(*(_strictly_after(s, after) for s in per_line))
    else:
        raise InvalidSchedule(f"unknown schedule kind {kind!r}")
    return _strictly_after(stream, after)


def _strictly_after(stream: Iterable[datetime], after: datetime) -> Iterator[datetime]:
    """Drop results that are not later than everything seen so far (D1).

    Also removes duplicates where two OnCalendar lines match the same instant.
    """
    last = after
    for dt in stream:
        if dt > last:
            yield dt
            last = dt


def _zone(tz: str) -> tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        # ValueError covers malformed keys such as absolute paths or "..".
        raise InvalidSchedule(f"unknown time zone {tz!r}") from None


def _is_single_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1


def _question_marks_as_stars(expr: str) -> str:
    """`?` ("no specific value") in the day fields, which cronsim lacks, is `*`."""
    fields = expr.split()
    for i in (2, 4):  # day-of-month, day-of-week
        if fields[i] == "?":
            fields[i] = "*"
    return " ".join(fields)


def explain_cron(expr: str) -> str | None:
    """cronsim's plain-English reading of a cron expression; None if it has none."""
    try:
        # explain() reads only the expression; any start instant will do.
        text: str = _cron_iterator(expr, datetime(2000, 1, 1, tzinfo=UTC)).explain()
    except (InvalidSchedule, NotImplementedError):
        return None
    return text or None


def _cron_iterator(expr: str, start: datetime) -> CronSim:
    # cronsim also accepts a leading seconds field; the service does not.
    if not _is_single_line(expr) or len(expr.split()) != CRON_FIELDS:
        raise InvalidSchedule("wrong number of fields")
    try:
        return CronSim(_question_marks_as_stars(expr), start)
    except CronSimError as e:
        raise InvalidSchedule(str(e).lower()) from None


def _oncalendar_lines(expr: str) -> list[str]:
    lines = expr.strip().splitlines()
    if not lines:
        raise InvalidSchedule("empty OnCalendar expression")
    result = []
    for line in lines:
        components = line.split()
        if not components:
            raise InvalidSchedule("empty line in OnCalendar expression")
        if len(components) > MAX_ONCALENDAR_COMPONENTS:
            raise InvalidSchedule("too many components in OnCalendar expression")
        # The library only recognises a trailing zone after a plain space.
        result.append(" ".join(components))
    return result


def _oncalendar_line_runs(line: str, start: datetime) -> Iterator[datetime]:
    """UTC matches of one OnCalendar line; raises InvalidSchedule at once if bad."""
    try:
        it = TzIterator(line, start)
    except OnCalendarError as e:
        raise InvalidSchedule(str(e).lower()) from None
    return (dt.astimezone(UTC) for dt in it)

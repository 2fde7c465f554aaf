"""What the schedule dialog's previews show (web spec §6.10.2, §6.10.3).

The upcoming runs come from hc.lib.schedules, the code monitoring uses, so the
preview never promises something the deadline computation disagrees with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from hc.lib.schedules import InvalidSchedule, explain_cron, next_runs, validate_schedule
from hc.lib.timezones import canonical_zone

CRON_RUNS = 6
ONCALENDAR_RUNS_UTC = 6
ONCALENDAR_RUNS_ZONED = 4


@dataclass(frozen=True)
class Run:
    when: datetime  # UTC, for relative times
    local: datetime  # in the preview's zone


@dataclass(frozen=True)
class Preview:
    """A valid preview has no `error`; `runs` may still be empty (exhausted)."""

    tz: str
    error: Literal["schedule", "tz"] | None = None
    description: str | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def is_utc(self) -> bool:
        return self.tz == "UTC"


def _zone_and_runs(
    kind: Literal["cron", "oncalendar"], schedule: str, tz: str, now: datetime, count: int
) -> Preview:
    try:
        validate_schedule(kind, schedule)
    except InvalidSchedule:
        return Preview(tz=tz, error="schedule")
    zone = canonical_zone(tz)
    if zone is None:
        return Preview(tz=tz, error="tz")
    info = ZoneInfo(zone)
    runs = [Run(dt, dt.astimezone(info)) for dt in next_runs(kind, schedule, zone, now, count)]
    return Preview(tz=zone, runs=runs)


def cron_preview(schedule: str, tz: str, now: datetime | None = None) -> Preview:
    now = now or datetime.now(UTC)
    preview = _zone_and_runs("cron", schedule, tz, now, CRON_RUNS)
    if not preview.valid:
        return preview
    return Preview(tz=preview.tz, description=explain_cron(schedule), runs=preview.runs)


def oncalendar_preview(schedule: str, tz: str, now: datetime | None = None) -> Preview:
    now = now or datetime.now(UTC)
    count = ONCALENDAR_RUNS_UTC if canonical_zone(tz) == "UTC" else ONCALENDAR_RUNS_ZONED
    return _zone_and_runs("oncalendar", schedule, tz, now, count)

"""The status of whole projects, for the overview and the project menu (web spec §5.1).

One aggregate query over all the projects' checks, grouped by project, instead
of computing every check's status in Python. It relies on the stored
`alert_after` (monitoring spec §3.5), which is G(include_running) + grace:

* down: stored down, or `alert_after` has passed. For a stored "up" check
  that is exactly "its deadline or its run's grace has passed"; for a new or
  paused check `alert_after` is set only while a run is outstanding, and
  then it is the run's deadline.
* late: stored up, not down, and `alert_after - grace` (the moment it turns
  late) has passed. When a run started before the regular deadline,
  `alert_after - grace` is the start instead, and the regular deadline is
  not stored: such a running check counts as up until it ends.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from hc.api.models import Channel, Check, CheckStatus, Status


@dataclass(frozen=True)
class ProjectStatus:
    status: Status  # UP, GRACE or DOWN
    started: bool = False
    n_checks: int = 0


NO_CHECKS = ProjectStatus(Status.UP)


def project_statuses(
    project_ids: Collection[int], now: datetime | None = None
) -> dict[int, ProjectStatus]:
    """Statuses of the projects that have checks; the others are absent."""
    if not project_ids:
        return {}
    now = now or timezone.now()
    late_from = ExpressionWrapper(F("alert_after") - F("grace"), output_field=DateTimeField())
    down = Q(status=CheckStatus.DOWN) | Q(alert_after__lte=now)
    late = (
        Q(status=CheckStatus.UP, alert_after__gt=now)
        & LessThanOrEqual(late_from, now)
        & (Q(last_start__isnull=True) | GreaterThan(F("last_start"), late_from))
    )
    rows = (
        Check.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(
            n_checks=Count("id"),
            n_down=Count("id", filter=down),
            n_late=Count("id", filter=late),
            n_started=Count("id", filter=Q(last_start__isnull=False)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        if row["n_down"]:
            status = Status.DOWN
        elif row["n_late"]:
            status = Status.GRACE
        else:
            status = Status.UP
        result[row["project_id"]] = ProjectStatus(status, row["n_started"] > 0, row["n_checks"])
    return result


def channel_counts(project_ids: Collection[int]) -> dict[int, int]:
    rows = (
        Channel.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["project_id"]: row["n"] for row in rows}

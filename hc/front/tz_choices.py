"""The time zones offered by the dashboard's zone pickers (web spec §6.10.4).

Both the schedule dialog and the Add Check dialog show two groups: the few
zones this project's checks already use, then every supported zone.
"""

from __future__ import annotations

from django.db.models import Count

from hc.accounts.models import Project
from hc.api.models import Check
from hc.lib.timezones import all_zones

COMMON_ZONES = 3


def zone_choices(project: Project) -> tuple[list[str], tuple[str, ...]]:
    """(common, all): the project's most used zones, most used first, and all zones.

    Zones no longer supported (a check saved before a tzdata update) are
    left out of the common ones.
    """
    supported = all_zones()
    counts = (
        Check.objects.filter(project=project)
        .values_list("tz")
        .annotate(n=Count("id"))
        .order_by("-n", "tz")
    )
    known = set(supported)
    common = [tz for tz, _ in counts if tz in known][:COMMON_ZONES]
    return common, supported

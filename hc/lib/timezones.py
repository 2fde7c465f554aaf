"""The IANA time zones the service offers, and legacy alias resolution.

Backed by the committed hc/lib/tzdata_links.py so that answers do not depend on
whether the deployment ships /usr/share/zoneinfo/tzdata.zi.
"""

from __future__ import annotations

from hc.lib.tzdata_links import ALIASES, CANONICAL_ZONES

_ALL_ZONES: tuple[str, ...] = tuple(sorted(CANONICAL_ZONES))


def all_zones() -> tuple[str, ...]:
    """Sorted canonical zone names, "UTC" included, no legacy aliases."""
    return _ALL_ZONES


def canonical_zone(name: str) -> str | None:
    """`name` if canonical, its canonical target if a legacy alias, else None."""
    if name in CANONICAL_ZONES:
        return name
    return ALIASES.get(name)

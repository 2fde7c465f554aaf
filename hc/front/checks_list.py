"""What the "My Checks" table holds: rows, sorting, filters, integrations, tag pills.

Data only; hc.front.checks_rows turns rows into HTML and
hc.front.checks_status answers the page's live-update polls. The checks,
the integrations and their assignments are three queries, whatever the
number of checks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict

from hc.accounts.models import Project
from hc.api.models import Channel, ChannelKind, Check, Status
from hc.front.kind_icons import icon_class

SORT_KEYS: Final = ("created", "name", "-name", "last_ping", "-last_ping")
DEFAULT_SORT: Final = "created"
# Filter values of the status menu, in menu order, with their labels.
STATUS_FILTERS: Final = {
    "new": "New",
    "paused": "Paused",
    "started": "Started",
    "up": "Up",
    "grace": "Late",
    "down": "Down",
}
MAX_CHANNEL_ICONS: Final = 10
SEARCH_MAX_LENGTH: Final = 100

_DIGITS: Final = re.compile(r"(\d+)")


# Sorting and filtering --------------------------------------------------------


def natural_key(name: str) -> tuple[str | int, ...]:
    """Case-insensitive, with embedded numbers compared as numbers ("web-2" < "web-10")."""
    parts = _DIGITS.split(name.strip().casefold())
    # Text and digit runs alternate, text first, so equal positions compare
    # values of the same type.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def _never_last(check: Check) -> tuple[bool, float]:
    ping = check.last_ping
    return (ping is None, ping.timestamp() if ping else 0.0)


def _never_first(check: Check) -> tuple[bool, float]:
    ping = check.last_ping
    return (ping is not None, -ping.timestamp() if ping else 0.0)


def sort_rows(rows: list[Row], sort: str) -> None:
    """Sort in place (rows arrive in creation order); down checks always come first."""
    if sort == "name":
        rows.sort(key=lambda r: natural_key(r.check.name))
    elif sort == "-name":
        rows.sort(key=lambda r: natural_key(r.check.name), reverse=True)
    elif sort == "last_ping":
        rows.sort(key=lambda r: _never_last(r.check))
    elif sort == "-last_ping":
        rows.sort(key=lambda r: _never_first(r.check))
    rows.sort(key=lambda r: r.status != Status.DOWN)


@dataclass(frozen=True)
class Filters:
    """The `?tag=…&search=…&status=…` filters (web spec §6.5)."""

    tags: tuple[str, ...] = ()
    search: str = ""
    statuses: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        tags = tuple(dict.fromkeys(t for t in query.getlist("tag") if t))
        statuses = tuple(s for s in STATUS_FILTERS if s in query.getlist("status"))
        search = query.get("search", "")[:SEARCH_MAX_LENGTH].strip().lower()
        return cls(tags, search, statuses)

    def __bool__(self) -> bool:
        return bool(self.tags or self.search or self.statuses)

    def matches(self, row: Row) -> bool:
        if any(tag not in row.tags for tag in self.tags):
            return False
        if self.search and self.search not in row.search and self.search not in str(row.check.code):
            return False
        if self.statuses:
            started = "started" in self.statuses and row.started
            return started or row.status in self.statuses
        return True

    def params(self) -> list[tuple[str, str]]:
        pairs = [("tag", tag) for tag in self.tags]
        if self.search:
            pairs.append(("search", self.search))
        pairs.extend(("status", status) for status in self.statuses)
        return pairs

    def query(self, **extra: str) -> str:
        """A query string with these filters and the extra parameters first."""
        return "?" + urlencode([*extra.items(), *self.params()])


# Rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelInfo:
    channel: Channel
    code: str
    label: str
    icon: str


def channel_label(channel: Channel) -> str:
    """The integration's name, or what it delivers to (integrations spec §2.1)."""
    if channel.name:
        return channel.name
    if channel.kind == ChannelKind.EMAIL and isinstance(channel.config, dict):
        address = channel.config.get("value")
        if isinstance(address, str) and address:
            return f"Email to {address}"
    try:
        return ChannelKind(channel.kind).label
    except ValueError:
        return channel.kind


def project_channels(project: Project) -> list[ChannelInfo]:
    """The project's integrations: groups first, then in creation order."""
    channels = Channel.objects.filter(project=project).only(
        "id", "code", "kind", "name", "config", "created", "project_id"
    )
    ordered = sorted(channels, key=lambda c: (c.kind != ChannelKind.GROUP, c.created, c.id))
    return [ChannelInfo(c, str(c.code), channel_label(c), icon_class(c.kind)) for c in ordered]


def channel_links(channels: Sequence[ChannelInfo]) -> dict[int, set[int]]:
    """For each check id, the ids of the integrations assigned to it (one query)."""
    through = Channel.checks.through
    links: dict[int, set[int]] = {}
    pairs = through.objects.filter(channel_id__in=[c.channel.id for c in channels])
    for check_id, channel_id in pairs.values_list("check_id", "channel_id"):
        links.setdefault(check_id, set()).add(channel_id)
    return links


@dataclass
class Row:
    """One check as the table shows it (the HTML is made by hc.front.checks_rows)."""

    check: Check
    status: Status
    tags: list[str]
    search: str
    assigned: set[int]
    hidden: bool = False
    slug_clash: bool = False

    @property
    def started(self) -> bool:
        return self.check.last_start is not None


def build_rows(
    checks: Iterable[Check],
    *,
    now: datetime,
    links: dict[int, set[int]],
    filters: Filters,
) -> list[Row]:
    """The table rows, in the order of `checks`."""
    checks = list(checks)
    slug_counts = Counter(c.slug for c in checks if c.slug)
    rows = []
    for check in checks:
        row = Row(
            check=check,
            status=check.get_status(now=now),
            tags=check.tags.split(),
            search=f"{check.name.lower()} {check.slug.lower()}",
            assigned=links.get(check.id, set()),
            slug_clash=slug_counts[check.slug] > 1 if check.slug else False,
        )
        row.hidden = bool(filters) and not filters.matches(row)
        rows.append(row)
    return rows


# Tag pills and title -------------------------------------------------------------


@dataclass(frozen=True)
class TagPill:
    tag: str
    status: str  # "up", "grace" or "down"
    tooltip: str


def tag_pills(items: Iterable[tuple[list[str], Status]]) -> list[TagPill]:
    """Each tag coloured by the worst status of its checks, sorted case-insensitively."""
    counts: dict[str, Counter[Status]] = {}
    for tags, status in items:
        for tag in set(tags):
            counts.setdefault(tag, Counter())[status] += 1
    pills = []
    for tag in sorted(counts, key=lambda t: (t.lower(), t)):
        by_status = counts[tag]
        total = sum(by_status.values())
        if by_status[Status.DOWN]:
            pills.append(TagPill(tag, "down", f"{by_status[Status.DOWN]} of {total} down"))
        elif by_status[Status.GRACE]:
            pills.append(TagPill(tag, "grace", f"{total} up"))
        else:
            pills.append(TagPill(tag, "up", f"{total} up"))
    return pills


def page_title(n_down: int) -> str:
    return f"{n_down} down \u2013 {settings.SITE_NAME}" if n_down else settings.SITE_NAME

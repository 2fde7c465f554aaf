"""The HTML of the checks table's rows and Last Ping cells (web spec §6.2, §6.3).

Rows are written here in Python rather than in a template loop: a page of
1,000 checks places some 40,000 values, and Django's template engine would
spend most of the request doing it. Everything that comes from users (names,
tags, slugs, descriptions, schedules, integration names) goes through `_e`;
the rest are UUIDs, numbers and fixed strings.

Markup shared with other pages comes from their templates, rendered once per
page: the status icons (front/status_icon.html).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Final
from uuid import UUID

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from hc.accounts.models import Project
from hc.api.models import Check, CheckKind, Status
from hc.front.checks_list import MAX_CHANNEL_ICONS, ChannelInfo, Row
from hc.front.ping_addresses import PING_KEY_PLACEHOLDER
from hc.front.templatetags.hc_format import break_underscores, period, run_duration

# Routes the rows link to, by the key used below.
ROW_ROUTES: Final = {
    "name": "hc-update-name",
    "details": "hc-details",
    "timeout": "hc-update-timeout",
}
_CONFIRMATION: Final = (
    '<span class="badge confirmation-link" title="The body of the last ping mentions '
    "“confirm”: it may hold a link that confirms a subscription or a change."
    '">confirmation link</span>'
)
_DOTS: Final = "<i></i><i></i><i></i></span></td>"


def _e(value: str) -> str:
    return html.escape(value, quote=True)


# Relative times ---------------------------------------------------------------
# static/js/checks.js words them the same way, to keep them current between
# polls without asking the server.


def _units(amount: int, unit: str) -> str:
    return f"{amount} {unit} ago" if amount == 1 else f"{amount} {unit}s ago"


def ago(seconds: float) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "4 days ago", "6 weeks ago", "2 years ago"."""
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return _units(minutes, "minute")
    hours = minutes // 60
    if hours < 24:
        return _units(hours, "hour")
    days = hours // 24
    if days < 14:
        return _units(days, "day")
    if days < 365:
        return _units(days // 7, "week")
    return _units(days // 365, "year")


def last_ping_cell(check: Check, now: datetime) -> str:
    """The Last Ping cell: relative time, then the run time or the confirmation label.

    The time also carries its timestamp: the browser shows it in full as a
    tooltip and keeps the relative wording current.
    """
    if check.last_ping is None:
        return '<span class="never">Never</span>'
    extra = ""
    if check.has_confirmation_link:
        extra = _CONFIRMATION
    else:
        duration = check.visible_duration()
        if duration is not None:
            extra = (
                '<span class="duration"><i class="bi bi-stopwatch" aria-hidden="true"></i> '
                f"{run_duration(duration)}</span>"
            )
    ts = check.last_ping.timestamp()
    return (
        f'<button type="button" class="last-ping"><span class="ago" data-ts="{ts:.6f}" '
        f'data-fmt="title">{ago((now - check.last_ping).total_seconds())}</span>{extra}</button>'
    )


# Rows ---------------------------------------------------------------------------


def url_pattern(name: str, *args: object) -> tuple[str, str] | None:
    """A route's URL split around its first UUID argument, to make per-row URLs fast.

    None when the route does not exist.
    """
    marker = UUID(int=0)
    try:
        url = reverse(name, args=[marker, *args])
    except NoReverseMatch:
        return None
    head, _, tail = url.partition(str(marker))
    return head, tail


def status_icons() -> dict[str, str]:
    """The status icon markup for each status, rendered once."""
    return {
        status.value: render_to_string("front/status_icon.html", {"status": status}).strip()
        for status in (Status.NEW, Status.UP, Status.GRACE, Status.DOWN, Status.PAUSED)
    }


@lru_cache(maxsize=512)
def _period(seconds: float) -> str:
    return period(timedelta(seconds=seconds))


def _channel_icon(index: int, info: ChannelInfo, on: bool, *, rw: bool) -> str:
    """One integration's icon: a toggle button for rw members.

    A button names its integration by its position in the column header's
    `data-channels` list, which keeps 1,000-row pages smaller.
    """
    label = _e(info.label)
    state = " on" if on else ""
    glyph = f'<i class="bi {info.icon}" aria-hidden="true"></i>'
    if not rw:
        status = "on" if on else "off"
        return f'<span class="ch{state}" role="img" title="{label}" aria-label="{label}: {status}">{glyph}</span>'
    pressed = "true" if on else "false"
    return f'<button type="button" class="ch{state}" data-ch="{index}" aria-pressed="{pressed}" title="{label}">{glyph}</button>'


@dataclass
class Table:
    """Renders rows for one page view."""

    project: Project
    rw: bool
    channels: Sequence[ChannelInfo]
    now: datetime
    icons: dict[str, str] = field(default_factory=status_icons)

    def __post_init__(self) -> None:
        self.urls = {key: url_pattern(name) for key, name in ROW_ROUTES.items()}
        self.many = len(self.channels) > MAX_CHANNEL_ICONS
        self.toggles = {
            (info.channel.id, on): _channel_icon(index, info, on, rw=self.rw)
            for index, info in enumerate(self.channels)
            for on in (True, False)
        }
        key = self.project.ping_key or PING_KEY_PLACEHOLDER
        self.slug_base = _e(f"{settings.PING_ENDPOINT}{key}/")
        self.uuid_base = _e(settings.PING_ENDPOINT)

    def url(self, key: str, code: str) -> str:
        pattern = self.urls[key]
        return "" if pattern is None else f"{pattern[0]}{code}{pattern[1]}"

    def render(self, rows: Sequence[Row]) -> SafeString:
        return mark_safe("".join([self.row(row) for row in rows]))  # escaped in row()

    def row(self, row: Row) -> str:
        c = row.check
        code = str(c.code)
        started = row.started
        return "".join(
            [
                f'<tr id="{code}" data-tags="{_e(c.tags)}" data-search="{_e(row.search)}" '
                f'data-status="{row.status.value}"{" data-started" if started else ""}'
                f"{' hidden' if row.hidden else ''}>",
                '<td class="col-status"><span class="status-cell" aria-live="polite">',
                self.icons[row.status.value],
                '</span><span class="running-dots" aria-hidden="true">'
                if started
                else '</span><span class="running-dots hidden" aria-hidden="true">',
                _DOTS,
                self._name(row, code),
                self._ping_url(row, code),
                '<td class="col-integrations">',
                self._channels(row),
                "</td>",
                self._period(c, code),
                '<td class="col-last-ping">',
                last_ping_cell(c, self.now),
                "</td>",
                self._actions(code),
                "</tr>",
            ]
        )

    def _name(self, row: Row, code: str) -> str:
        c = row.check
        name = (
            f'<span class="name">{break_underscores(c.name)}</span>'
            if c.name
            else '<span class="unnamed">unnamed</span>'
        )
        tags = "".join([f' <span class="tag">{_e(tag)}</span>' for tag in row.tags])
        if not self.rw:
            return f'<td class="col-name"><div class="check-name">{name}{tags}</div></td>'
        return (
            f'<td class="col-name"><button type="button" class="check-name" data-name-check '
            f'data-url="{self.url("name", code)}" data-name="{_e(c.name)}" '
            f'data-slug="{_e(c.slug)}" data-tags="{_e(c.tags)}" data-desc="{_e(c.desc)}">'
            f"{name}{tags}</button></td>"
        )

    def _ping_url(self, row: Row, code: str) -> str:
        c = row.check
        if self.project.show_slugs:
            if not c.slug:
                return (
                    '<td class="col-url">'
                    '<span class="no-slug">unavailable, slug not set</span></td>'
                )
            base, tail = self.slug_base, _e(c.slug)
            clash = ' <span class="not-unique">(not unique)</span>' if row.slug_clash else ""
        else:
            base, tail, clash = self.uuid_base, code, ""
        return (
            f'<td class="col-url"><code class="ping-url" '
            f'data-copy="{base}{tail}" tabindex="0" role="button"><span class="base">{base}</span>'
            f"{tail}</code>{clash}</td>"
        )

    def _channels(self, row: Row) -> str:
        if self.many:
            return f"{len(row.assigned)} of {len(self.channels)}"
        assigned = row.assigned
        return "".join(
            [self.toggles[(i.channel.id, i.channel.id in assigned)] for i in self.channels]
        )

    def _period(self, c: Check, code: str) -> str:
        if c.kind == CheckKind.SIMPLE:
            text = f'<span class="period">{_period(c.timeout.total_seconds())}</span>'
        else:
            text = f'<span class="period expr">{_e(c.schedule)}</span>'
        text += f'<span class="grace">{_period(c.grace.total_seconds())}</span>'
        if not self.rw or self.urls["timeout"] is None:
            return f'<td class="col-period">{text}</td>'
        return (
            f'<td class="col-period"><button type="button" '
            f'class="period-btn" data-schedule-url="{self.url("timeout", code)}" '
            f'data-kind="{_e(c.kind)}" data-timeout="{int(c.timeout.total_seconds())}" '
            f'data-grace="{int(c.grace.total_seconds())}" data-schedule="{_e(c.schedule)}" '
            f'data-tz="{_e(c.tz)}">{text}</button></td>'
        )

    def _actions(self, code: str) -> str:
        pause = (
            '<button type="button" class="btn btn-sm pause-btn" aria-label="Pause monitoring">'
            '<i class="bi bi-pause-fill" aria-hidden="true"></i></button>'
            if self.rw
            else ""
        )
        return (
            f'<td class="col-actions">{pause}<a class="btn btn-sm details-btn" '
            f'href="{self.url("details", code)}" title="Show Details" aria-label="Show Details">'
            '<i class="bi bi-three-dots" aria-hidden="true"></i></a></td>'
        )

"""The merged event list of a check: pings, status changes and down alerts.

Used by the details page (the 30 newest events, web spec §7.4) and the event
log (up to 1000, with filters, §8). Only visible pings count (monitoring §8.1:
n > n_pings - the owner's ping log limit), and flips and notifications are
limited to the window that starts at the oldest visible ping. Each kind of
event is one query, so a page costs a bounded number of queries whatever the
check's history; run durations take at most one more query, plus a few
look-backs for runs that started before the fetched pings.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, TypeVar

from django.db.models import BinaryField, Q, QuerySet
from django.db.models.functions import Length, Substr

from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    Flip,
    Notification,
    NotificationStatus,
    Ping,
    PingKind,
)
from hc.api.ping_log import ping_log_limit
from hc.api.run_durations import run_durations

DETAILS_LIMIT: Final = 30
LOG_LIMIT: Final = 1000
# How much of a body the one-line summary shows, and of a user agent.
BODY_PREVIEW_BYTES: Final = 150
UA_PREVIEW_CHARS: Final = 80

PING_KINDS: Final = ("success", "fail", "start", "log", "ign")

RowType = Literal["ping", "flip", "notification"]
_QS = TypeVar("_QS", QuerySet[Flip], QuerySet[Notification])


@dataclass
class PingRow:
    ping: Ping
    duration: timedelta | None = None
    body_preview: str = ""
    body_size: int = 0
    row_type: RowType = field(default="ping", init=False)

    @property
    def created(self) -> datetime:
        return self.ping.created

    @property
    def label(self) -> str:
        return ping_label(self.ping)

    @property
    def label_class(self) -> str:
        return ping_label_class(self.ping)

    @property
    def is_email(self) -> bool:
        return self.ping.scheme == "email"

    @property
    def source(self) -> str:
        return ping_source(self.ping)

    @property
    def ua_preview(self) -> str:
        ua = self.ping.ua
        return ua if len(ua) <= UA_PREVIEW_CHARS else ua[: UA_PREVIEW_CHARS - 1] + "…"

    @property
    def rid_short(self) -> str:
        return "" if self.ping.rid is None else str(self.ping.rid)[:5]


@dataclass
class FlipRow:
    flip: Flip
    row_type: RowType = field(default="flip", init=False)

    @property
    def created(self) -> datetime:
        return self.flip.created


@dataclass
class NotificationRow:
    notification: Notification
    row_type: RowType = field(default="notification", init=False)

    @property
    def created(self) -> datetime:
        return self.notification.created

    @property
    def summary(self) -> str:
        return notification_summary(self.notification)

    @property
    def failed(self) -> bool:
        n = self.notification
        return bool(n.error) and not n.pending

    @property
    def pending(self) -> bool:
        return self.notification.pending


Row = PingRow | FlipRow | NotificationRow


# Labels ------------------------------------------------------------------------

_LABELS: Final[dict[str, str]] = {
    "success": "OK",
    "start": "Started",
    "fail": "Failure",
    "log": "Log",
    "ign": "Ignored",
}


def ping_label(ping: Ping) -> str:
    kind = ping.kind or PingKind.SUCCESS
    if kind == PingKind.FAIL and ping.exitstatus:
        return f"Status {ping.exitstatus}"
    return _LABELS.get(kind, "OK")


def ping_label_class(ping: Ping) -> str:
    kind = ping.kind or PingKind.SUCCESS
    return f"kind-{kind}" if kind in PING_KINDS else "kind-success"


def ping_source(ping: Ping) -> str:
    """ "HTTPS POST from 203.0.113.7", or the sender of an email ping."""
    if ping.scheme == "email":
        return ping.ua or "Email"
    text = f"{ping.scheme.upper()} {ping.method}".rstrip()
    return f"{text} from {ping.remote_addr}" if ping.remote_addr else text


def channel_target(channel: Channel) -> str:
    """Where the integration delivers: an address, a URL, a number, a board."""
    config = channel.config
    if isinstance(config, str):
        return config
    if not isinstance(config, dict):
        return ""
    keys = _TARGET_KEYS.get(channel.kind, ())
    if channel.kind == "group":
        return channel.name
    for key in keys:
        value = config.get(key)
        if value:
            return str(value)
    return ""


_TARGET_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "email": ("value",),
    "webhook": ("url_down", "url_up"),
    "sms": ("value", "phone"),
    "whatsapp": ("value", "phone"),
    "signal": ("value", "phone"),
    "call": ("value", "phone"),
    "slack": ("channel",),
    "trello": ("board_name",),
    "github": ("repo",),
}


def channel_display_name(channel: Channel) -> str:
    """The integration's name, else its target, else its kind."""
    return channel.name or channel_target(channel) or channel_label(channel.kind)


def notification_summary(notification: Notification) -> str:
    """Which integration the alert went to, and where: one line."""
    channel = notification.channel
    label = channel_label(channel.kind)
    target = channel_target(channel)
    if target:
        return f"{label} alert to {target}"
    if channel.name:
        return f"{label} alert ({channel.name})"
    return f"{label} alert"


def channel_label(kind: str) -> str:
    try:
        return str(ChannelKind(kind).label)
    except ValueError:
        return kind


# The visible window -------------------------------------------------------------


def visible_pings(check: Check, limit: int | None = None) -> QuerySet[Ping]:
    """The check's pings that the owner's ping log limit lets users see."""
    threshold = check.n_pings - (ping_log_limit(check.project) if limit is None else limit)
    return Ping.objects.filter(owner=check, n__gt=threshold)


def oldest_visible(check: Check, limit: int | None = None) -> Ping | None:
    return visible_pings(check, limit).defer("body_raw").order_by("n").first()


def newest_event_time(check: Check, log_limit: int | None = None) -> datetime | None:
    """The time of the newest visible ping or flip (None when there is neither)."""
    ping = visible_pings(check, log_limit).order_by("-n").values_list("created", flat=True).first()
    flip = (
        Flip.objects.filter(owner=check).order_by("-created").values_list("created", flat=True)
    ).first()
    times = [t for t in (ping, flip) if t is not None]
    return max(times) if times else None


def format_ts(moment: datetime) -> str:
    """Unix seconds with microseconds, the form clients echo back in `u`."""
    return f"{moment.timestamp():.6f}"


def parse_ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


# Building the list -------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the event log shows; the defaults are the details page's."""

    kinds: frozenset[str] = frozenset(PING_KINDS)
    flips: bool = True
    notifications: bool = False
    # Only events at or before `end`, and strictly after `after`.
    end: datetime | None = None
    after: datetime | None = None

    @property
    def all_kinds(self) -> bool:
        return self.kinds >= frozenset(PING_KINDS)


def check_events(
    check: Check, limit: int, filters: Filters = Filters(), *, log_limit: int | None = None
) -> list[Row]:
    """The newest `limit` events, newest first.

    At equal times a flip sorts above the ping that caused it, and a
    notification above its flip. `log_limit` is the owner's ping log limit,
    read from their profile when not given.
    """
    if log_limit is None:
        log_limit = ping_log_limit(check.project)
    pings = _fetch_pings(check, log_limit, limit, filters)
    lower = _window_start(check, log_limit, limit, filters, pings)

    rows: list[Row] = _ping_rows(check, pings, filters)
    if filters.flips:
        flips = _in_window(Flip.objects.filter(owner=check), lower, filters)
        rows.extend(FlipRow(f) for f in flips.order_by("-created")[:limit])
    if filters.notifications:
        alerts = _in_window(
            Notification.objects.filter(owner=check, check_status=NotificationStatus.DOWN),
            lower,
            filters,
        ).select_related("channel")
        rows.extend(NotificationRow(n) for n in alerts.order_by("-created")[:limit])
    rows.sort(key=_sort_key, reverse=True)
    return rows[:limit]


_RANK: Final[dict[str, int]] = {"ping": 0, "flip": 1, "notification": 2}


def _sort_key(row: Row) -> tuple[datetime, int, int]:
    if isinstance(row, PingRow):
        tiebreak = row.ping.n
    elif isinstance(row, FlipRow):
        tiebreak = row.flip.id
    else:
        tiebreak = row.notification.id
    return (row.created, _RANK[row.row_type], tiebreak)


def _kind_filter(kinds: Collection[str]) -> Q:
    wanted = [k for k in kinds if k in PING_KINDS]
    if "success" in wanted:
        # Rows migrated from elsewhere may have no kind: they are successes.
        wanted.append("")
    return Q(kind__in=wanted)


def _fetch_pings(check: Check, log_limit: int, limit: int, filters: Filters) -> list[Ping]:
    queryset = visible_pings(check, log_limit)
    if not filters.all_kinds:
        queryset = queryset.filter(_kind_filter(filters.kinds))
    if filters.end is not None:
        queryset = queryset.filter(created__lte=filters.end)
    if filters.after is not None:
        queryset = queryset.filter(created__gt=filters.after)
    queryset = (
        queryset.defer("body_raw")
        .annotate(
            body_len=Length("body_raw"),
            body_head=Substr("body_raw", 1, BODY_PREVIEW_BYTES, output_field=BinaryField()),
        )
        # The (owner, n) index serves this order.
        .order_by("-n")
    )
    return list(queryset[:limit])


def _window_start(
    check: Check, log_limit: int, limit: int, filters: Filters, pings: Sequence[Ping]
) -> datetime | None:
    """The oldest moment a flip or notification may have to make the list.

    A full page of pings bounds it by its oldest ping: anything older would
    not make the cut. Otherwise it is the oldest visible ping; with no
    visible ping at all, there is no bound.
    """
    if len(pings) >= limit:
        return pings[-1].created
    unfiltered = filters.all_kinds and filters.after is None
    if unfiltered and pings and filters.end is None:
        return pings[-1].created
    if unfiltered and not pings and filters.end is None:
        return None
    oldest = oldest_visible(check, log_limit)
    return None if oldest is None else oldest.created


def _in_window(queryset: _QS, lower: datetime | None, filters: Filters) -> _QS:
    if lower is not None:
        queryset = queryset.filter(created__gte=lower)
    if filters.end is not None:
        queryset = queryset.filter(created__lte=filters.end)
    if filters.after is not None:
        queryset = queryset.filter(created__gt=filters.after)
    return queryset


def _ping_rows(check: Check, pings: list[Ping], filters: Filters) -> list[Row]:
    durations = run_durations(check, pings, complete=filters.all_kinds)
    rows: list[Row] = []
    for ping in pings:
        ping.owner = check  # no query when a template reads it
        size = ping.object_size or getattr(ping, "body_len", None) or 0
        head = getattr(ping, "body_head", None)
        preview = ""
        if head is not None and not ping.object_size:
            preview = bytes(head).decode(errors="replace")
        rows.append(PingRow(ping, durations.get(ping.n), preview, size))
    return rows

"""Template filters for the dashboard's durations and names (web spec §6.2, §7.4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_PERIOD_UNITS = (
    (7 * 86400, "week"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
    (1, "second"),
)


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"


@register.filter
def period(value: timedelta) -> str:
    """A schedule period in words: "5 minutes", "1 day", "2 weeks".

    Weeks only when the period is a whole number of them; otherwise the two
    largest units that are not zero, "1 day 12 hours".
    """
    seconds = int(value.total_seconds())
    parts: list[str] = []
    for size, unit in _PERIOD_UNITS:
        if unit == "week" and seconds % size:
            continue
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(_plural(amount, unit))
    return " ".join(parts[:2]) or "0 seconds"


@register.filter
def run_duration(value: timedelta) -> str:
    """A job's run time: "8 sec", "12 min 3 sec", "1 h 2 min 0 sec"."""
    seconds = int(value.total_seconds())
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if hours:
        return f"{hours} h {minutes} min {seconds} sec"
    if minutes:
        return f"{minutes} min {seconds} sec"
    return f"{seconds} sec"


@register.filter
def break_underscores(name: str) -> SafeString:
    """Long names may wrap after an underscore (a zero-width break hint)."""
    text = str(escape(name))
    if len(name) > 30:
        text = text.replace("_", "_<wbr>")
    return mark_safe(text)  # the text was escaped above


@register.filter
def timestamp(value: object) -> str:
    """Unix seconds with fractions, for data-ts attributes read by dates.js."""
    return f"{value.timestamp():.6f}" if isinstance(value, datetime) else ""

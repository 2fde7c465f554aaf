"""Deciding what kind of signal a ping is (spec ping-api §7, monitoring §4.3)."""

from __future__ import annotations

from hc.api.models import Check, Methods, PingKind


def keywords(csv: str) -> list[str]:
    """A comma-separated keyword list: items trimmed, empty ones dropped."""
    return [item.strip() for item in csv.split(",") if item.strip()]


def _contains_any(text: str, csv: str) -> bool:
    # Case-sensitive substring match, no word boundaries (upstream rule).
    return any(keyword in text for keyword in keywords(csv))


def kind_from_keywords(check: Check, text: str) -> PingKind:
    """Failure keywords win over success, success over start."""
    if _contains_any(text, check.failure_kw):
        return PingKind.FAIL
    if _contains_any(text, check.success_kw):
        return PingKind.SUCCESS
    if _contains_any(text, check.start_kw):
        return PingKind.START
    return PingKind.FAIL if check.filter_default_fail else PingKind.IGNORED


def classify_http(check: Check, url_kind: PingKind, method: str, body: bytes) -> PingKind:
    """The kind of an HTTP ping, before the sticky-pause rule (applied under lock)."""
    if check.methods == Methods.POST and method != "POST":
        return PingKind.IGNORED
    if check.filter_http_body:
        # Lenient decoding: a non-UTF-8 body must never cause a server error.
        return kind_from_keywords(check, body.decode("utf-8", errors="replace"))
    return url_kind

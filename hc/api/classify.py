"""Deciding what kind of signal a ping is (ping-api §7, §13; monitoring §4.3, §9)."""

from __future__ import annotations

import email
import email.policy
import logging
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import EmailMessage, Message

from hc.api.models import Check, Methods, PingKind
from hc.lib.html import html_to_text

logger = logging.getLogger(__name__)


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


def classify_email(check: Check, message: bytes) -> PingKind:
    """The kind of an email ping, before the sticky-pause rule (spec monitoring §9).

    Without subject or body filtering every email is a success. With it, the
    keywords are looked for in the decoded subject and/or the text and HTML
    bodies, one piece per line.
    """
    if not (check.filter_subject or check.filter_body):
        return PingKind.SUCCESS
    # The standard parser raises on some malformed headers (a bare
    # "Content-Type: text/plain; a*" in Python 3.11); the legacy one is lax.
    # A message neither can read is matched as if it had no text at all.
    pieces: list[str] = []
    for read in (_email_texts, _lax_email_texts):
        try:
            pieces = read(message, check.filter_subject, check.filter_body)
            break
        except Exception:
            logger.warning("Could not read an email with %s", read.__name__, exc_info=True)
    return kind_from_keywords(check, "\n".join(pieces))


def _email_texts(message: bytes, subject: bool, body: bool) -> list[str]:
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    pieces = []
    if subject:
        # The default policy decodes RFC 2047 encoded words.
        pieces.append(str(parsed.get("subject", "")))
    if body:
        plain = parsed.get_body(preferencelist=("plain",))
        if plain is not None:
            pieces.append(_decoded_text(plain))
        html = parsed.get_body(preferencelist=("html",))
        if html is not None:
            pieces.append(html_to_text(_decoded_text(html)))
    return pieces


def _lax_email_texts(message: bytes, subject: bool, body: bool) -> list[str]:
    parsed = email.message_from_bytes(message, policy=email.policy.compat32)
    pieces = []
    if subject:
        pieces.append(_decoded_words(str(parsed.get("subject", ""))))
    if body:
        # The first inline text part of each type, roughly what get_body() picks.
        for subtype in ("plain", "html"):
            part = next(
                (
                    p
                    for p in parsed.walk()
                    if p.get_content_type() == f"text/{subtype}"
                    and p.get_content_disposition() != "attachment"
                ),
                None,
            )
            if part is not None:
                text = _decoded_text(part)
                pieces.append(html_to_text(text) if subtype == "html" else text)
    return pieces


def _decoded_words(header: str) -> str:
    try:
        chunks = decode_header(header)
    except HeaderParseError:
        return header
    return "".join(
        chunk if isinstance(chunk, str) else _decoded(chunk, charset) for chunk, charset in chunks
    )


def _decoded_text(part: Message) -> str:
    # Not get_content(): it raises on unknown charsets, and a mislabelled body
    # must still be matched as well as it can be.
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return _decoded(payload, part.get_content_charset())


def _decoded(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")

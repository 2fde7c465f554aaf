"""Badges: signatures, URLs, state aggregation and rendering (management-api §8).

Pure helpers: nothing here touches the database. The views count check
statuses and hand the counts to `BadgeCounts`; everything else is formatting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from typing import Any
from urllib.parse import quote

from django.conf import settings

ALL_CHECKS = "*"
SIGNATURE_LENGTH = 8
TWO_STATE_SUFFIX = "-2"
FORMATS = ("svg", "json", "shields")


class BadgeState(StrEnum):
    UP = "up"
    LATE = "late"
    DOWN = "down"


_SVG_COLORS = {
    BadgeState.UP: "#4c1",
    BadgeState.LATE: "#fe7d37",
    BadgeState.DOWN: "#e05d44",
}

_SHIELDS_COLORS = {
    BadgeState.UP: "success",
    BadgeState.LATE: "important",
    BadgeState.DOWN: "critical",
}


@dataclass(frozen=True)
class BadgeCounts:
    """How many of the matching checks there are, and how many are late or down."""

    total: int = 0
    grace: int = 0
    down: int = 0

    def state(self, *, three_state: bool) -> BadgeState:
        if self.down:
            return BadgeState.DOWN
        if three_state and self.grace:
            return BadgeState.LATE
        return BadgeState.UP

    def as_json(self, *, three_state: bool) -> dict[str, Any]:
        return {
            "status": self.state(three_state=three_state).value,
            "total": self.total,
            "grace": self.grace,
            "down": self.down,
        }


# Signatures and URLs -----------------------------------------------------------


def badge_signature(badge_key: str, tag: str) -> str:
    """The 8-character signature that makes a project's badge URL unguessable.

    HMAC-SHA1 of the tag keyed with SHA-1(badge_key + SECRET_KEY), URL-safe
    base64 without padding. The construction is fixed by the URLs already
    handed out by Healthchecks, so it must not change.
    """
    # SHA-1 here only derives the HMAC key; the scheme is fixed by existing URLs.
    key = hashlib.sha1((badge_key + settings.SECRET_KEY).encode()).digest()  # noqa: S324
    digest = hmac.new(key, tag.encode(), hashlib.sha1).digest()
    encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return encoded[:SIGNATURE_LENGTH]


def signature_matches(badge_key: str, tag: str, signature: str) -> bool:
    expected = badge_signature(badge_key, tag)
    return hmac.compare_digest(expected, signature[:SIGNATURE_LENGTH])


def is_two_state(signature: str) -> bool:
    """Only "<8 chars>-2" asks for a 2-state badge; any other suffix is 3-state."""
    return len(signature) == SIGNATURE_LENGTH + len(TWO_STATE_SUFFIX) and signature.endswith(
        TWO_STATE_SUFFIX
    )


def encode_tag(tag: str) -> str:
    """Percent-encode the tag twice, so "db@dc1" becomes "db%2540dc1".

    The server decodes the path once before routing; the second layer keeps
    characters like "/" out of the routed path.
    """
    return quote(quote(tag, safe=""), safe="")


def badge_urls(project_badge_key: str, tag: str) -> dict[str, str]:
    """The six absolute badge URLs of a tag ("*" for all checks), keyed as in §6.12."""
    signature = badge_signature(project_badge_key, tag)
    base = f"{settings.SITE_ROOT}/badge/{project_badge_key}/"
    urls: dict[str, str] = {}
    for fmt in FORMATS:
        for states, suffix in (("", TWO_STATE_SUFFIX), ("3", "")):
            path = f"{signature}{suffix}"
            if tag != ALL_CHECKS:
                path += f"/{encode_tag(tag)}"
            urls[fmt + states] = f"{base}{path}.{fmt}"
    return urls


# Response bodies -----------------------------------------------------------------


def shields_color(state: BadgeState) -> str:
    return _SHIELDS_COLORS[state]


def shields_body(label: str, state: BadgeState) -> dict[str, Any]:
    """The shields.io "endpoint" badge schema."""
    return {
        "schemaVersion": 1,
        "label": label,
        "message": state.value,
        "color": shields_color(state),
    }


# Approximate advance widths, in pixels, of 11 px Verdana, grouped by width.
_WIDTH_GROUPS = {
    3: "'il",
    4: " !,.fjt",
    5: '"()-:;IJ[]r|',
    6: "?FLcksvxyz",
    7: "$*/0123456789EPTY\\_`abdeghnopqu{}",
    8: "&ABCDHKNRSUVXZ",
    9: "#+<=>GMOQ^w~",
    11: "%@Wm",
}
_CHAR_WIDTHS = {char: width for width, chars in _WIDTH_GROUPS.items() for char in chars}
DEFAULT_CHAR_WIDTH = 7
SEGMENT_PADDING = 10
HEIGHT = 20


def text_width(text: str) -> int:
    return sum(_CHAR_WIDTHS.get(char, DEFAULT_CHAR_WIDTH) for char in text)


# Characters XML 1.0 forbids even when escaped (check names may contain them).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _text(x: float, content: str) -> str:
    # The first copy, one pixel lower and nearly transparent, is the shadow.
    return (
        f'<text x="{x:g}" y="15" fill="#010101" fill-opacity=".3">{content}</text>'
        f'<text x="{x:g}" y="14">{content}</text>'
    )


def render_svg(label: str, state: BadgeState) -> str:
    """A flat 20 px badge: the label on grey, the state on its colour."""
    message = state.value
    left = text_width(label) + SEGMENT_PADDING
    right = text_width(message) + SEGMENT_PADDING
    width = left + right
    title = _xml_text(f"{label}: {message}")
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}"'
            f' role="img" aria-label="{title}">',
            f"<title>{title}</title>",
            '<linearGradient id="smooth" x2="0" y2="100%">'
            '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
            '<stop offset="1" stop-opacity=".1"/>'
            "</linearGradient>",
            '<clipPath id="round">'
            f'<rect width="{width}" height="{HEIGHT}" rx="3" fill="#fff"/>'
            "</clipPath>",
            '<g clip-path="url(#round)">',
            f'<rect width="{left}" height="{HEIGHT}" fill="#555"/>',
            f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{_SVG_COLORS[state]}"/>',
            f'<rect width="{width}" height="{HEIGHT}" fill="url(#smooth)"/>',
            "</g>",
            '<g fill="#fff" text-anchor="middle"'
            ' font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
            _text(left / 2, _xml_text(label)),
            _text(left + right / 2, message),
            "</g>",
            "</svg>",
        ]
    )

"""The badge generator's answer: which URL to show, and how (web spec §10).

The URLs themselves come from hc.lib.badges, the code the badge endpoints
check signatures with, so a URL shown here is one that works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from django.conf import settings

from hc.accounts.models import Project
from hc.api.models import Check
from hc.lib.badges import ALL_CHECKS, badge_urls

SHIELDS_ENDPOINT: Final = "https://img.shields.io/endpoint?url="


@dataclass(frozen=True)
class BadgePreview:
    fmt: str
    label: str
    # What the user copies: for Shields.io the shields.io URL wrapping ours.
    url: str

    @property
    def is_image(self) -> bool:
        return self.fmt != "json"

    @property
    def html(self) -> str:
        """The <img> snippet, as text to show (the template escapes it)."""
        return f'<img src="{self.url}" alt="{_attribute(self.label)}">'

    @property
    def markdown(self) -> str:
        return f"![{_markdown_text(self.label)}]({self.url})"


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _markdown_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _badge_url(project: Project, tag: str, fmt: str, states: int) -> str:
    key = fmt if states == 2 else f"{fmt}3"
    return badge_urls(project.badge_key, tag)[key]


def preview(
    project: Project, *, fmt: str, states: int, tag: str | None = None, check: Check | None = None
) -> BadgePreview:
    """The badge of the whole project, of a tag, or of one check."""
    if check is not None:
        url = f"{settings.SITE_ROOT}/b/{states}/{check.badge_key}.{fmt}"
        label = str(check)
    elif tag is not None:
        url = _badge_url(project, tag, fmt, states)
        label = tag
    else:
        url = _badge_url(project, ALL_CHECKS, fmt, states)
        label = settings.MASTER_BADGE_LABEL
    if fmt == "shields":
        url = SHIELDS_ENDPOINT + quote(url, safe="")
    return BadgePreview(fmt=fmt, label=label, url=url)

"""Which Bootstrap Icons glyph stands for each integration kind.

Shared by the checks list (Integrations column) and the integrations page:
views put `icon_class(channel.kind)` in the context and templates write
`<i class="bi {{ icon }}" aria-hidden="true"></i>`. Brand glyphs where the
icon font has one, a fitting generic symbol for the rest.
"""

from __future__ import annotations

from typing import Final

DEFAULT_ICON: Final = "bi-bell"

_ICONS: Final[dict[str, str]] = {
    "apprise": "bi-megaphone",
    "call": "bi-telephone",
    "discord": "bi-discord",
    "email": "bi-envelope",
    "github": "bi-github",
    "googlechat": "bi-google",
    "gotify": "bi-app-indicator",
    "group": "bi-collection",
    "matrix": "bi-chat-square-text",
    "mattermost": "bi-chat-dots",
    "msteamsw": "bi-microsoft-teams",
    "ntfy": "bi-broadcast",
    "opsgenie": "bi-exclamation-octagon",
    "pagertree": "bi-diagram-3",
    "pd": "bi-lightning-charge",
    "po": "bi-phone-vibrate",
    "pushbullet": "bi-bullseye",
    "rocketchat": "bi-rocket-takeoff",
    "shell": "bi-terminal",
    "signal": "bi-chat-left-dots",
    "slack": "bi-slack",
    "sms": "bi-phone",
    "spike": "bi-activity",
    "telegram": "bi-telegram",
    "trello": "bi-trello",
    "victorops": "bi-shield-exclamation",
    "webhook": "bi-globe",
    "whatsapp": "bi-whatsapp",
    "zulip": "bi-chat-right-text",
}


def icon_class(kind: str) -> str:
    """The `bi-…` class for an integration kind (a bell for unknown kinds)."""
    return _ICONS.get(kind, DEFAULT_ICON)

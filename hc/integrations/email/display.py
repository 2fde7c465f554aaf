"""How an email channel is summed up on the integrations page (spec §3.1 "Display")."""

from __future__ import annotations

from django.utils.html import format_html

from hc.api.models import Channel
from hc.integrations.email.config import email_settings


def describe(channel: Channel) -> str:
    stored = email_settings(channel.config)
    if stored.down and not stored.up:
        only = " (down only)"
    elif stored.up and not stored.down:
        only = " (up only)"
    else:
        only = ""
    return format_html("Email to <strong>{}</strong>{}", stored.address, only)

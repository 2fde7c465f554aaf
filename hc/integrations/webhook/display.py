"""How a webhook channel is summed up on the integrations page (spec §3.2 "Display")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from hc.api.models import Channel


def hosts(config: Any) -> list[str]:
    """The host names the channel calls, each once, down first.

    Only hosts: paths and queries often carry tokens, and this line is shown
    to read-only members too.
    """
    found: list[str] = []
    if not isinstance(config, dict):
        return found
    for status in ("down", "up"):
        url = config.get(f"url_{status}")
        if not isinstance(url, str) or not url:
            continue
        try:
            host = urlsplit(url).hostname
        except ValueError:
            continue
        if host and host not in found:
            found.append(host)
    return found


def describe(channel: Channel) -> str:
    names = hosts(channel.config)
    if not names:
        return "Webhook"
    joined = format_html_join(" and ", "<strong>{}</strong>", ((name,) for name in names))
    return format_html("Webhook to {}", joined)


def request_summary(config: Any, status: str) -> dict[str, Any] | None:
    """What the details modal shows of one status's request; None when not called."""
    if not isinstance(config, dict) or not config.get(f"url_{status}"):
        return None
    headers = config.get(f"headers_{status}")
    return {
        "method": str(config.get(f"method_{status}", "GET")).upper(),
        "url": config.get(f"url_{status}", ""),
        "body": config.get(f"body_{status}", ""),
        "headers": headers if isinstance(headers, dict) else {},
    }


def details(channel: Channel) -> str:
    """The down and up requests, for the integration details dialog."""
    context = {
        "requests": [
            (status, request_summary(channel.config, status)) for status in ("down", "up")
        ],
    }
    return render_to_string("integrations/webhook/details.html", context)

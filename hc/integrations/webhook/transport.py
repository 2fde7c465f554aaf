"""Webhook delivery (integrations spec §3.2.4)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from pydantic import ValidationError

from hc.integrations.http import HttpTransport
from hc.integrations.transport import TransportError
from hc.integrations.webhook.config import WebhookConfig
from hc.integrations.webhook.placeholders import Context, Placeholders

if TYPE_CHECKING:
    from hc.api.models import Flip, Notification

METHODS_WITH_BODY = frozenset({"POST", "PUT"})


class WebhookTransport(HttpTransport):
    @cached_property
    def config(self) -> WebhookConfig | None:
        """The channel's settings; None when the stored value does not validate."""
        try:
            return WebhookConfig.from_stored(self.channel.config)
        except ValidationError:
            return None

    def is_noop(self, status: str) -> bool:
        # A broken config is not silence: notify() reports it.
        return self.config is not None and not self.config.for_status(status).url

    def notify(self, flip: Flip, notification: Notification) -> None:
        if not settings.WEBHOOKS_ENABLED:
            raise TransportError("Webhook notifications are not enabled.")
        if self.config is None:
            raise TransportError("Invalid webhook configuration")
        template = self.config.for_status(flip.new_status)
        if not template.url:
            return

        values = Placeholders(flip)
        url = values.render(template.url, Context.URL)
        headers = {
            name: values.render(value, Context.HEADER) for name, value in template.headers.items()
        }
        body = None
        if template.method in METHODS_WITH_BODY and template.body:
            body = values.render(template.body, Context.BODY).encode()
        # No Content-Type is added: users set the one their endpoint wants.
        self.request(template.method, url, notification=notification, data=body, headers=headers)

"""The webhook kind's entry in the integrations registry."""

from __future__ import annotations

from django.conf import settings

from hc.integrations.registry import Integration
from hc.integrations.webhook.config import WebhookConfig
from hc.integrations.webhook.display import describe, details
from hc.integrations.webhook.transport import WebhookTransport


def _enabled() -> bool:
    enabled: bool = settings.WEBHOOKS_ENABLED
    return enabled


INTEGRATION = Integration(
    kind="webhook",
    label="Webhook",
    transport=WebhookTransport,
    config=WebhookConfig,
    enabled=_enabled,
    blurb="Call an HTTP endpoint of your own, with a method, body and headers you choose.",
    add_url_name="hc-add-webhook",
    edit_view="hc.integrations.webhook.views.edit",
    describe=describe,
    details=details,
)

from __future__ import annotations

from hc.integrations.email.actions import email_saved
from hc.integrations.email.config import EmailConfig
from hc.integrations.email.display import describe
from hc.integrations.email.transport import EmailTransport
from hc.integrations.registry import Integration

INTEGRATION = Integration(
    kind="email",
    label="Email",
    transport=EmailTransport,
    config=EmailConfig,
    on_saved=email_saved,
    blurb="Get an email message when a check goes up or down.",
    add_url_name="hc-add-email",
    edit_view="hc.integrations.email.views.edit",
    describe=describe,
)

"""Delivering alerts by email (integrations spec §3.1)."""

from __future__ import annotations

from hc.api.models import Flip, Notification, NotificationStatus
from hc.integrations import content
from hc.integrations.email.config import email_settings
from hc.integrations.email.message import build_alert
from hc.integrations.transport import Transport, TransportError
from hc.lib import emails
from hc.lib.bounces import sign_bounce_id


class EmailTransport(Transport):
    def is_noop(self, status: str) -> bool:
        config = email_settings(self.channel.config)
        if status == NotificationStatus.DOWN:
            return not config.down
        if status == NotificationStatus.UP:
            return not config.up
        return False

    def notify(self, flip: Flip, notification: Notification) -> None:
        address = email_settings(self.channel.config).address
        if not address:
            raise TransportError("Email address is missing")
        if not self.channel.email_verified:
            raise TransportError("Email not verified")
        if not emails.is_configured():
            raise TransportError("Email is not configured")
        message = build_alert(self.channel, flip, address, content.last_ping(flip))
        try:
            # The bounce id leads a bounce back to this notification (§2.11).
            emails.send(message, bounce_id=sign_bounce_id(f"n.{notification.code}"))
        except emails.EmailError as e:
            raise TransportError(str(e)) from e

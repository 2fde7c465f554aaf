"""What every integration's transport implements (integrations spec §2.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hc.api.models import Channel, Flip, Notification


class TransportError(Exception):
    """A delivery failed. `permanent` failures disable the channel."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    """Delivers one notification for one channel.

    `flip.owner` is the check as it is now. For test sends ("Test!") the
    check and the flip are unsaved dummies and `notification.owner` is None;
    transports then make a single attempt (see `is_test`).
    """

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def is_noop(self, status: str) -> bool:
        """True when this channel is configured to stay silent for `status`."""
        return False

    def notify(self, flip: Flip, notification: Notification) -> None:
        """Deliver, or raise TransportError."""
        raise NotImplementedError

    @staticmethod
    def is_test(notification: Notification) -> bool:
        return notification.owner_id is None

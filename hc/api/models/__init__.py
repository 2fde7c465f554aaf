"""The monitoring schema, split by entity; import models from here."""

from hc.api.models.channels import (
    Channel,
    ChannelKind,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)
from hc.api.models.checks import Check, CheckKind, CheckStatus, Methods, Status
from hc.api.models.flips import Flip, FlipReason
from hc.api.models.pings import Ping, PingKind
from hc.api.models.tokenbucket import TokenBucket

__all__ = [
    "Channel",
    "ChannelKind",
    "Check",
    "CheckKind",
    "CheckStatus",
    "DeliveryAttempt",
    "Flip",
    "FlipReason",
    "Methods",
    "Notification",
    "NotificationStatus",
    "Ping",
    "PingKind",
    "Status",
    "TokenBucket",
]

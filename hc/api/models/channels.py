"""Channel (an integration) and Notification (one delivery attempt's record)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from hc.accounts.models import Project
from hc.api.models.checks import Check
from hc.api.models.flips import Flip


class ChannelKind(models.TextChoices):
    APPRISE = "apprise", "Apprise"
    CALL = "call", "Phone Call"
    DISCORD = "discord", "Discord"
    EMAIL = "email", "Email"
    GITHUB = "github", "GitHub"
    GOOGLECHAT = "googlechat", "Google Chat"
    GOTIFY = "gotify", "Gotify"
    GROUP = "group", "Group"
    MATRIX = "matrix", "Matrix"
    MATTERMOST = "mattermost", "Mattermost"
    MSTEAMSW = "msteamsw", "Microsoft Teams"
    NTFY = "ntfy", "ntfy"
    OPSGENIE = "opsgenie", "Opsgenie"
    PAGERTREE = "pagertree", "PagerTree"
    PD = "pd", "PagerDuty"
    PO = "po", "Pushover"
    PUSHBULLET = "pushbullet", "Pushbullet"
    ROCKETCHAT = "rocketchat", "Rocket.Chat"
    SHELL = "shell", "Shell Command"
    SIGNAL = "signal", "Signal"
    SLACK = "slack", "Slack"
    SMS = "sms", "SMS"
    SPIKE = "spike", "Spike"
    TELEGRAM = "telegram", "Telegram"
    TRELLO = "trello", "Trello"
    VICTOROPS = "victorops", "Splunk On-Call"
    WEBHOOK = "webhook", "Webhook"
    WHATSAPP = "whatsapp", "WhatsApp"
    ZULIP = "zulip", "Zulip"


class Channel(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True)
    project = models.ForeignKey(Project, models.CASCADE)
    name = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    # Kind-specific settings, validated by the kind's schema in its
    # integration package. Holds secrets for some kinds: never log it.
    config = models.JSONField(default=dict)
    email_verified = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    last_notify = models.DateTimeField(null=True, blank=True)
    last_notify_duration = models.DurationField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    # Consecutive failed delivery attempts; 0 after a success.
    failures = models.PositiveIntegerField(default=0)
    checks = models.ManyToManyField(Check, blank=True)

    def __str__(self) -> str:
        return self.name or ChannelKind(self.kind).label


class NotificationStatus(models.TextChoices):
    UP = "up", "Up"
    DOWN = "down", "Down"


class Notification(models.Model):
    """One alert for one channel: the durable outbox row and its outcome.

    sendalerts writes the row (in the transaction that claims the flip)
    before anything is sent, so an alert survives a crash of the sender.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True)
    # Null for test notifications ("Test!" button).
    owner = models.ForeignKey(Check, models.CASCADE, null=True, blank=True)
    # The status change being announced; null for test notifications.
    flip = models.ForeignKey(Flip, models.CASCADE, null=True, blank=True)
    check_status = models.CharField(max_length=6, choices=NotificationStatus.choices)
    channel = models.ForeignKey(Channel, models.CASCADE)
    created = models.DateTimeField(default=timezone.now)
    # "Sending" until the first attempt ends, "" after success, else the
    # latest attempt's error message.
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # While pending: when a worker may claim it (a retry's due time, or the
    # end of the current worker's lease). Null once delivered or given up.
    next_attempt = models.DateTimeField(null=True, blank=True)
    # The claim token of the worker holding the lease.
    lease = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created"], name="api_notif_owner_created"),
            models.Index(
                fields=["next_attempt"],
                name="api_notif_pending",
                condition=models.Q(next_attempt__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_status} via {self.channel_id}"

    @property
    def pending(self) -> bool:
        return self.next_attempt is not None


class DeliveryAttempt(models.Model):
    """One try at delivering a notification, kept for troubleshooting."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="tries")
    started = models.DateTimeField()
    duration = models.DurationField()
    # "" for a success.
    error = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"attempt on {self.notification_id}: {self.error or 'OK'}"

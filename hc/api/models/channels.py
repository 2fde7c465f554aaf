"""Channel (an integration) and Notification (one delivery attempt's record)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from hc.accounts.models import Project
from hc.api.models.checks import Check


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
    checks = models.ManyToManyField(Check, blank=True)

    def __str__(self) -> str:
        return self.name or ChannelKind(self.kind).label


class NotificationStatus(models.TextChoices):
    UP = "up", "Up"
    DOWN = "down", "Down"


class Notification(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True)
    # Null for test notifications ("Test!" button).
    owner = models.ForeignKey(Check, models.CASCADE, null=True, blank=True)
    check_status = models.CharField(max_length=6, choices=NotificationStatus.choices)
    channel = models.ForeignKey(Channel, models.CASCADE)
    created = models.DateTimeField(default=timezone.now)
    # "Sending" while in flight, "" after success, else the error message.
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "created"], name="api_notif_owner_created")]

    def __str__(self) -> str:
        return f"{self.check_status} via {self.channel_id}"

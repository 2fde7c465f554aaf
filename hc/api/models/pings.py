"""Ping: one received signal (HTTP request or email) recorded against a check."""

from __future__ import annotations

from django.db import models

from hc.api.models.checks import Check


class PingKind(models.TextChoices):
    SUCCESS = "success", "Success"
    START = "start", "Start"
    FAIL = "fail", "Failure"
    LOG = "log", "Log"
    IGNORED = "ign", "Ignored"


class Ping(models.Model):
    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(Check, models.CASCADE)
    # Per-check sequence number: the check's n_pings after this ping.
    n = models.IntegerField()
    created = models.DateTimeField()
    kind = models.CharField(max_length=7, choices=PingKind.choices, default=PingKind.SUCCESS)
    scheme = models.CharField(max_length=10, default="http")
    remote_addr = models.GenericIPAddressField(blank=True, null=True)
    method = models.CharField(max_length=10, blank=True)
    ua = models.CharField(max_length=200, blank=True)
    body_raw = models.BinaryField(null=True)
    # Set when the body lives in object storage instead of body_raw.
    object_size = models.IntegerField(null=True)
    exitstatus = models.SmallIntegerField(null=True)
    rid = models.UUIDField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "n"], name="api_ping_owner_n")]
        indexes = [models.Index(fields=["owner", "created"], name="api_ping_owner_created")]

    def __str__(self) -> str:
        return f"Ping #{self.n} of {self.owner_id}"

"""Flip: a recorded status change, and the queue sendalerts turns into alerts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from hc.api.models.checks import Check, CheckStatus


class FlipReason(models.TextChoices):
    UNKNOWN = "", "Unknown"
    TIMEOUT = "timeout", "success signal did not arrive on time, grace time passed"
    FAIL = "fail", "received a failure signal"


class Flip(models.Model):
    owner = models.ForeignKey(Check, models.CASCADE)
    # For time-outs, the exact computed deadline rather than the detection time.
    created = models.DateTimeField()
    # Null while notifications are pending; set at creation for silent flips.
    processed = models.DateTimeField(null=True, blank=True)
    old_status = models.CharField(max_length=8, choices=CheckStatus.choices)
    new_status = models.CharField(max_length=8, choices=CheckStatus.choices)
    reason = models.CharField(max_length=10, choices=FlipReason.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["processed"],
                name="api_flip_not_processed",
                condition=Q(processed=None),
            ),
            models.Index(fields=["owner", "created"], name="api_flip_owner_created"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.old_status} -> {self.new_status}"

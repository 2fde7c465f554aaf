"""TokenBucket: a rate limiter's state, one row per limited key."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TokenBucket(models.Model):
    value = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField(default=1.0)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.value

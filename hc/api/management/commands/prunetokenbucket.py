"""`manage.py prunetokenbucket`: forget rate-limit state older than a day.

A bucket untouched for a day has refilled completely under every limit we
use, so deleting it changes no decision.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from hc.api.models import TokenBucket

MAX_AGE = timedelta(days=1)


class Command(BaseCommand):
    help = "Delete token bucket (rate limit) entries not used for a day."

    def handle(self, **options: Any) -> str:
        cutoff = timezone.now() - MAX_AGE
        pruned, _ = TokenBucket.objects.filter(updated__lt=cutoff).delete()
        return f"Done! Pruned {pruned} token bucket entries"

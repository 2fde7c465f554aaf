"""The Check: a monitored job, its schedule and its derived status."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from hc.accounts.models import Project
from hc.lib.schedules import next_run

DEFAULT_TIMEOUT = timedelta(days=1)
DEFAULT_GRACE = timedelta(hours=1)
# Run durations longer than this are treated as unrelated start/finish pairs.
MAX_DURATION = timedelta(hours=72)


class CheckKind(models.TextChoices):
    SIMPLE = "simple", "Simple"
    CRON = "cron", "Cron"
    ONCALENDAR = "oncalendar", "OnCalendar"


class CheckStatus(models.TextChoices):
    """What is stored. "grace" and "started" are derived, see Status."""

    NEW = "new", "New"
    UP = "up", "Up"
    DOWN = "down", "Down"
    PAUSED = "paused", "Paused"


class Status(models.TextChoices):
    """The status reported to users, computed from stored state and time."""

    NEW = "new", "New"
    UP = "up", "Up"
    GRACE = "grace", "Late"
    DOWN = "down", "Down"
    PAUSED = "paused", "Paused"
    STARTED = "started", "Started"


class Methods(models.TextChoices):
    ANY = "", "Any"
    POST = "POST", "POST only"


class CheckQuerySet(models.QuerySet["Check"]):
    def by_unique_key(self, unique_key: str) -> Check | None:
        """The check with this unique key, among those of this queryset.

        The key is a hash of the UUID, so it cannot be matched in SQL: this
        reads the codes of the queryset's checks (narrow it to a project).
        """
        for check_id, code in self.values_list("id", "code"):
            if Check(code=code).unique_key == unique_key:
                return self.filter(id=check_id).first()
        return None


class Check(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True)
    project = models.ForeignKey(Project, models.CASCADE)
    name = models.CharField(max_length=100, blank=True)
    slug = models.CharField(max_length=100, blank=True)
    tags = models.CharField(max_length=500, blank=True)
    desc = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    kind = models.CharField(max_length=10, choices=CheckKind.choices, default=CheckKind.SIMPLE)
    timeout = models.DurationField(default=DEFAULT_TIMEOUT)
    grace = models.DurationField(default=DEFAULT_GRACE)
    schedule = models.CharField(max_length=100, default="* * * * *")
    tz = models.CharField(max_length=36, default="UTC")

    filter_subject = models.BooleanField(default=False)
    filter_body = models.BooleanField(default=False)
    filter_http_body = models.BooleanField(default=False)
    filter_default_fail = models.BooleanField(default=False)
    start_kw = models.CharField(max_length=200, blank=True)
    success_kw = models.CharField(max_length=200, blank=True)
    failure_kw = models.CharField(max_length=200, blank=True)
    methods = models.CharField(
        max_length=30, choices=Methods.choices, default=Methods.ANY, blank=True
    )
    manual_resume = models.BooleanField(default=False)
    badge_key = models.UUIDField(default=uuid.uuid4, unique=True)

    n_pings = models.IntegerField(default=0)
    last_ping = models.DateTimeField(null=True, blank=True)
    last_start = models.DateTimeField(null=True, blank=True)
    last_start_rid = models.UUIDField(null=True, blank=True)
    last_duration = models.DurationField(null=True, blank=True)
    has_confirmation_link = models.BooleanField(default=False)
    alert_after = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=6, choices=CheckStatus.choices, default=CheckStatus.NEW)

    objects = CheckQuerySet.as_manager()

    class Meta:
        indexes = [
            # The going-down poll of sendalerts.
            models.Index(
                fields=["alert_after"],
                name="api_check_aa_not_down",
                condition=~Q(status=CheckStatus.DOWN),
            ),
            models.Index(fields=["project", "slug"], name="api_check_project_slug"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.code)

    # Schedule and status -----------------------------------------------------

    def expected_after(self, moment: datetime) -> datetime | None:
        """When the next ping is due after a ping at `moment` (None: never)."""
        if self.kind == CheckKind.SIMPLE:
            return moment + self.timeout
        return next_run(self.kind, self.schedule, self.tz, moment)

    def grace_start(self, *, include_running: bool = True) -> datetime | None:
        """The moment the check turns late, ignoring grace (spec: G)."""
        result = None
        if self.status == CheckStatus.UP and self.last_ping is not None:
            result = self.expected_after(self.last_ping)
        if include_running and self.last_start and self.status != CheckStatus.DOWN:
            result = self.last_start if result is None else min(result, self.last_start)
        return result

    def going_down_after(self) -> datetime | None:
        """The exact moment the check goes down unless something happens."""
        start = self.grace_start()
        return None if start is None else start + self.grace

    def get_status(self, *, with_started: bool = False, now: datetime | None = None) -> Status:
        now = now or timezone.now()
        if self.last_start:
            if now >= self.last_start + self.grace:
                return Status.DOWN
            if with_started:
                return Status.STARTED
        if self.status != CheckStatus.UP:
            return Status(self.status)
        start = self.grace_start(include_running=False)
        if start is None:
            return Status.UP
        if now >= start + self.grace:
            return Status.DOWN
        if now >= start:
            return Status.GRACE
        return Status.UP

    # Derived identifiers -------------------------------------------------------

    @property
    def unique_key(self) -> str:
        """Stable public key that does not reveal the UUID."""
        # An identifier fixed by the Healthchecks API, not a security measure.
        return hashlib.sha1(self.code.hex[:16].encode(), usedforsecurity=False).hexdigest()

    def visible_duration(self) -> timedelta | None:
        if self.last_duration and self.last_duration < MAX_DURATION:
            return self.last_duration
        return None

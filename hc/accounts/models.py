"""Users' profiles, projects and project membership."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from fido2.webauthn import AttestedCredentialData


class ReportFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class Theme(models.TextChoices):
    LIGHT = "", "Light"
    DARK = "dark", "Dark"
    SYSTEM = "system", "System"


class Role(models.TextChoices):
    """A member's role. The owner is not a Member row: see Project.owner."""

    READONLY = "r", "Read-only"
    REGULAR = "w", "Member"
    MANAGER = "m", "Manager"


def _default_limit() -> int:
    # Self-hosted sites without billing are effectively unlimited.
    return 20 if settings.USE_PAYMENTS else 10000


def _default_quota() -> int:
    return 0 if settings.USE_PAYMENTS else 10000


class Profile(models.Model):
    user = models.OneToOneField(User, models.CASCADE)
    reports = models.CharField(
        max_length=10, choices=ReportFrequency.choices, default=ReportFrequency.MONTHLY
    )
    next_report_date = models.DateTimeField(null=True, blank=True)
    nag_period = models.DurationField(default=timedelta())
    next_nag_date = models.DateTimeField(null=True, blank=True)
    ping_log_limit = models.IntegerField(default=100)
    check_limit = models.IntegerField(default=_default_limit)
    sms_limit = models.IntegerField(default=_default_quota)
    sms_sent = models.IntegerField(default=0)
    last_sms_date = models.DateTimeField(null=True, blank=True)
    call_limit = models.IntegerField(default=_default_quota)
    calls_sent = models.IntegerField(default=0)
    last_call_date = models.DateTimeField(null=True, blank=True)
    tz = models.CharField(max_length=36, default="UTC")
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.LIGHT, blank=True)
    sort = models.CharField(max_length=20, default="created")
    token = models.CharField(max_length=128, blank=True)
    totp = models.CharField(max_length=32, blank=True)
    totp_created = models.DateTimeField(null=True, blank=True)
    last_active_date = models.DateTimeField(null=True, blank=True)
    deletion_notice_date = models.DateTimeField(null=True, blank=True)
    deletion_scheduled_date = models.DateTimeField(null=True, blank=True)
    over_limit_date = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Profile for {self.user.email}"


class Project(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(User, models.CASCADE)
    # API keys are stored hashed ("<8 chars>.<hmac hex>") or, for legacy keys
    # migrated from Healthchecks, in plain text; see hc.accounts.api_keys.
    api_key = models.CharField(max_length=128, blank=True, db_index=True)
    api_key_readonly = models.CharField(max_length=128, blank=True, db_index=True)
    badge_key = models.CharField(max_length=150, unique=True)
    # Null, not "", for "no key": unique must allow many projects without one.
    ping_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    show_slugs = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name or self.owner.email


class Member(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, models.CASCADE)
    role = models.CharField(max_length=1, choices=Role.choices, default=Role.REGULAR)
    transfer_request_date = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="unique_member")]

    def __str__(self) -> str:
        return f"{self.user.email} in {self.project}"


class Credential(models.Model):
    """A registered WebAuthn security key or passkey (web spec §3.6.2)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=100)
    user = models.ForeignKey(User, models.CASCADE, related_name="credentials")
    created = models.DateTimeField(auto_now_add=True)
    # fido2's AttestedCredentialData, as bytes.
    data = models.BinaryField()
    # SHA-256 of the credential id inside `data`: passkey logins find the
    # key by it without knowing the user first.
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.name} for {self.user.email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.id_digest:
            try:
                parsed = AttestedCredentialData(bytes(self.data))
            except (ValueError, TypeError, KeyError):
                pass  # Unreadable data can never match a passkey login.
            else:
                self.id_digest = self.digest(parsed.credential_id)
        super().save(*args, **kwargs)

    @staticmethod
    def digest(credential_id: bytes) -> str:
        return hashlib.sha256(credential_id).hexdigest()

"""Signed one-click links that turn off reports and reminders (web §3.11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse

from hc.accounts.models import Profile, ReportFrequency

SALT = "reports"
# A link older than this was most likely clicked by a person rather than
# fetched by a mail scanner right after delivery, see views_unsubscribe.
FRESH_FOR = timedelta(minutes=5)


@dataclass(frozen=True)
class UnsubscribeToken:
    username: str
    fresh: bool


def unsubscribe_url(user: User) -> str:
    """An absolute link that never expires."""
    signed = signing.TimestampSigner(salt=SALT).sign(user.username)
    return settings.SITE_ROOT + reverse("hc-unsubscribe-reports", args=[signed])


def read_token(signed: str) -> UnsubscribeToken:
    """The username a link was made for; raises signing.BadSignature."""
    signer = signing.TimestampSigner(salt=SALT)
    username = signer.unsign(signed)
    try:
        signer.unsign(signed, max_age=FRESH_FOR)
    except signing.SignatureExpired:
        return UnsubscribeToken(username, fresh=False)
    return UnsubscribeToken(username, fresh=True)


@transaction.atomic
def do_unsubscribe_reports(username: str) -> None:
    """Turn off reports and reminders; a deleted account is not an error."""
    Profile.objects.filter(user__username=username).update(
        reports=ReportFrequency.OFF,
        next_report_date=None,
        nag_period=timedelta(),
        next_nag_date=None,
    )

"""What providers tell us after a send: failed deliveries and bounces (monitoring §5.5).

Both can arrive long after the worker recorded the notification as sent;
they overwrite its outcome and the channel's last error, and may disable
the channel. Channel rows are updated field by field so a concurrent edit
of the channel is never overwritten.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hc.accounts.models import Profile, ReportFrequency
from hc.api.models import Channel, Notification
from hc.lib.bounces import DeliveryReport

# Status callbacks come within seconds; an old notification is not theirs.
STATUS_WINDOW = timedelta(hours=1)
# Matches the lifetime of signed bounce ids.
BOUNCE_WINDOW = timedelta(hours=48)
ERROR_MAX_LENGTH = 200


class BounceResult(StrEnum):
    """The outcome of a bounce, as the endpoint reports it."""

    RECORDED = "OK"
    BAD_SIGNATURE = "OK (bad signature)"
    IGNORED = "OK (ignored)"
    NOTIFICATION_NOT_FOUND = "OK (notification not found)"
    USER_NOT_FOUND = "OK (user not found)"


def _record_failure(notification: Notification, error: str, *, disable: bool) -> None:
    error = error[:ERROR_MAX_LENGTH]
    Notification.objects.filter(id=notification.id).update(error=error)
    fields: dict[str, Any] = {"last_error": error}
    if disable:
        fields["disabled"] = True
    Channel.objects.filter(id=notification.channel_id).update(**fields)


def _recent_notification(code: uuid.UUID, window: timedelta) -> Notification | None:
    since = timezone.now() - window
    return Notification.objects.filter(code=code, created__gt=since).first()


@transaction.atomic
def do_record_delivery_status(code: uuid.UUID, error: str, *, mark_disabled: bool) -> bool:
    """Store a provider's late delivery failure; False when the notification is unknown or old."""
    notification = _recent_notification(code, STATUS_WINDOW)
    if notification is None:
        return False
    _record_failure(notification, error, disable=mark_disabled)
    return True


@transaction.atomic
def do_record_bounce(bounce_id: str, report: DeliveryReport) -> BounceResult:
    """Act on a bounce whose signed id has been checked.

    `n.<notification uuid>`: an alert bounced; `r.<username>`: a report or
    reminder did.
    """
    if not (report.permanent or report.transient):
        return BounceResult.IGNORED
    kind, _, rest = bounce_id.partition(".")
    if kind == "n":
        return _alert_bounced(rest, report)
    if kind == "r":
        return _report_bounced(rest, report)
    return BounceResult.IGNORED


def _alert_bounced(code: str, report: DeliveryReport) -> BounceResult:
    try:
        notification = _recent_notification(uuid.UUID(code), BOUNCE_WINDOW)
    except ValueError:
        notification = None
    if notification is None:
        return BounceResult.NOTIFICATION_NOT_FOUND
    if report.diagnostic:
        error = f"Delivery failed ({report.diagnostic})"
    else:
        error = f"Delivery failed (SMTP status code: {report.status})"
    _record_failure(notification, error, disable=report.permanent)
    return BounceResult.RECORDED


def _report_bounced(username: str, report: DeliveryReport) -> BounceResult:
    user = User.objects.filter(username=username).first()
    if user is None:
        return BounceResult.USER_NOT_FOUND
    if not report.permanent:
        return BounceResult.IGNORED
    # The address does not exist: stop mailing reports and reminders to it.
    Profile.objects.filter(user=user).update(
        reports=ReportFrequency.OFF,
        next_report_date=None,
        nag_period=timedelta(),
        next_nag_date=None,
    )
    return BounceResult.RECORDED

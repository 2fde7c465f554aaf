"""When reports and reminders are due, and claiming them (monitoring §6.2, §6.3).

The claims are compare-and-set updates: a profile is handed to the caller
only if its date still holds the value read, so several `sendreports`
processes can run side by side without mailing anyone twice.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from hc.accounts.models import Profile, ReportFrequency
from hc.lib.downtime import zone

# Reports leave between 09:00 and 10:59 local time, spread to even out load.
REPORT_HOUR = 9
REPORT_SPREAD_MINUTES = 120


def choose_next_report_date(profile: Profile, now: datetime | None = None) -> datetime | None:
    """The next time the profile's periodic report is due; None when reports are off.

    At least one day ahead: a weekly report chosen on a Monday morning goes
    out the following Monday.
    """
    if profile.reports == ReportFrequency.OFF:
        return None
    tz = zone(profile.tz)
    day = (now or timezone.now()).astimezone(tz).date()
    while True:
        day += timedelta(days=1)
        if profile.reports == ReportFrequency.DAILY:
            break
        if profile.reports == ReportFrequency.WEEKLY and day.weekday() == 0:
            break
        if profile.reports == ReportFrequency.MONTHLY and day.day == 1:
            break
    minutes = secrets.randbelow(REPORT_SPREAD_MINUTES)
    local = datetime.combine(day, time(REPORT_HOUR), tzinfo=tz) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def claim_due_report() -> Profile | None:
    """A profile whose report is due, with its next date already moved on.

    Profiles never scheduled get a date and are not returned: the first
    scheduling sends nothing. None when no report is due.
    """
    while True:
        now = timezone.now()
        due = Q(next_report_date__lt=now) | Q(next_report_date__isnull=True)
        profile = (
            Profile.objects.filter(due)
            .exclude(reports=ReportFrequency.OFF)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if profile is None:
            return None
        read = profile.next_report_date
        profile.next_report_date = choose_next_report_date(profile, now)
        claimed = (
            Profile.objects.filter(id=profile.id, next_report_date=read)
            if read
            else Profile.objects.filter(id=profile.id, next_report_date__isnull=True)
        ).update(next_report_date=profile.next_report_date)
        if claimed and read is not None:
            return profile


def claim_due_nag() -> Profile | None:
    """A profile whose reminder is due, its next reminder set one period on."""
    while True:
        now = timezone.now()
        profile = (
            Profile.objects.filter(next_nag_date__lt=now)
            .exclude(nag_period=timedelta())
            .select_related("user")
            .order_by("id")
            .first()
        )
        if profile is None:
            return None
        assert profile.next_nag_date is not None
        read = profile.next_nag_date
        # From now, not from the old date: reminders missed while nothing
        # ran are not sent in a burst.
        profile.next_nag_date = now + profile.nag_period
        claimed = Profile.objects.filter(id=profile.id, next_nag_date=read).update(
            next_nag_date=profile.next_nag_date
        )
        if claimed:
            return profile


def do_stop_nags(profile: Profile) -> None:
    """Clear a reminder date set by claim_due_nag when there was nothing to send.

    Conditional, so a date someone else set in the meantime stays.
    """
    Profile.objects.filter(id=profile.id, next_nag_date=profile.next_nag_date).update(
        next_nag_date=None
    )
    profile.next_nag_date = None

"""State changes made from the account settings pages (web spec §4, §5.6)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hc.accounts.models import Member, Profile, Project, ReportFrequency, Theme
from hc.accounts.report_schedule import choose_next_report_date
from hc.api.models import Check, CheckStatus


@transaction.atomic
def do_set_timezone(profile: Profile, tz: str) -> None:
    profile.tz = tz
    profile.save(update_fields=["tz"])


@transaction.atomic
def do_set_theme(profile: Profile, theme: Theme) -> None:
    profile.theme = theme
    profile.save(update_fields=["theme"])


def _sees_a_down_check(user_id: int) -> bool:
    accessible = Q(project__owner_id=user_id) | Q(project__member__user_id=user_id)
    return Check.objects.filter(accessible, status=CheckStatus.DOWN).exists()


@transaction.atomic
def do_set_report_preferences(
    profile: Profile, reports: ReportFrequency, nag_period: timedelta
) -> None:
    """Save report and reminder settings and reschedule both (monitoring §6.1, §6.2).

    The report date is always recomputed, so a new cadence takes effect at
    once. The reminder date changes only with the period: keeping the period
    must not postpone a reminder that is already due.
    """
    fields = ["reports", "next_report_date"]
    profile.reports = reports
    profile.next_report_date = choose_next_report_date(profile)
    if nag_period != profile.nag_period:
        profile.nag_period = nag_period
        if nag_period and _sees_a_down_check(profile.user_id):
            profile.next_nag_date = timezone.now() + nag_period
        else:
            profile.next_nag_date = None
        fields += ["nag_period", "next_nag_date"]
    profile.save(update_fields=fields)


@transaction.atomic
def do_leave_project(user: User, project: Project) -> bool:
    """End the user's membership; False if they were not a member.

    Owners have no Member row, so they cannot leave this way (web spec §5.6).
    """
    deleted, _ = Member.objects.filter(user=user, project=project).delete()
    return deleted > 0

"""`manage.py pruneusers`: delete abandoned accounts (monitoring §8.4).

Run from cron. Deleting a user cascades to their profile, owned projects,
checks and integrations.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hc.api.models import Check

GRACE = timedelta(days=30)


@transaction.atomic
def do_prune_never_logged_in() -> int:
    """Users who signed up over 30 days ago, never logged in and joined no team.

    Staff accounts and accounts whose checks have received pings are kept:
    an account set up with `manage.py bootstrap` and used only through the
    API never logs in, yet is very much in use.
    """
    pinged_owners = Check.objects.filter(last_ping__isnull=False).values("project__owner_id")
    users = (
        User.objects.filter(
            date_joined__lt=timezone.now() - GRACE,
            last_login__isnull=True,
            memberships__isnull=True,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(id__in=pinged_owners)
        .values_list("id", flat=True)
    )
    # Materialised first: MySQL cannot delete from a table its subquery reads.
    return _delete(list(users))


@transaction.atomic
def do_prune_after_deletion_notice() -> int:
    """Users warned over 30 days ago who have not logged in since the warning."""
    logged_in_since = Q(last_login__isnull=False, last_login__gt=F("profile__deletion_notice_date"))
    users = (
        User.objects.filter(profile__deletion_notice_date__lt=timezone.now() - GRACE)
        .exclude(logged_in_since)
        .values_list("id", flat=True)
    )
    return _delete(list(users))


def _delete(user_ids: list[int]) -> int:
    # In batches, to stay under the databases' limits on query parameters.
    for start in range(0, len(user_ids), 500):
        User.objects.filter(id__in=user_ids[start : start + 500]).delete()
    return len(user_ids)


class Command(BaseCommand):
    help = "Delete accounts that were never used, and accounts warned about deletion."

    def handle(self, *args: Any, **options: Any) -> None:
        count = do_prune_never_logged_in()
        self.stdout.write(f"Pruned {count} accounts that never logged in")
        count = do_prune_after_deletion_notice()
        self.stdout.write(f"Pruned {count} accounts after a deletion notice")
        self.stdout.write("Done!")

"""Turning flips into delivered notifications (monitoring spec §5).

The pipeline, each step one short transaction that any number of sendalerts
processes may run at once:

1. `mark_going_down`: a check whose deadline passed goes down; a flip is
   recorded (compare-and-set on status and alert_after).
2. `claim_flips`: unprocessed flips are marked processed and, in the same
   transaction, one Notification row per channel to alert is written. From
   here on an alert cannot be lost: the rows are the outbox.
3. `deliver`: a worker holding a row's lease calls the transport and records
   the outcome. A failure is retried later with back-off; a worker that
   dies mid-delivery leaves its lease to expire, and the row is claimed
   again by `claim_due` (so delivery is at least once).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from hc.accounts.models import Project
from hc.accounts.services import do_update_nag_dates
from hc.api.models import (
    Channel,
    Check,
    CheckStatus,
    Flip,
    FlipReason,
    Notification,
    Status,
)
from hc.api.services.delivery_records import is_leased, record_outcome
from hc.integrations import registry
from hc.integrations.transport import Transport, TransportError

logger = logging.getLogger(__name__)

# Back-off between delivery rounds of one notification.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
]
# A schedule that fails to compute is looked at again after this long.
BROKEN_SCHEDULE_DELAY = timedelta(hours=1)
ERROR_MAX_LENGTH = 200
# A delivery's outcome is recorded this many times before giving up, with
# pauses of 1, 2, 3... seconds: enough to ride out a database restart.
RECORD_TRIES = 8


def lease_length() -> timedelta:
    return timedelta(seconds=settings.ALERT_LEASE_SECONDS)


def _skip_locked() -> bool:
    # SQLite has no row locks; there every write transaction holds the
    # database's write lock (IMMEDIATE mode), which serialises claims.
    return bool(connection.features.has_select_for_update_skip_locked)


def _locked(queryset: QuerySet[Flip] | QuerySet[Notification]) -> QuerySet:  # type: ignore[type-arg]
    return queryset.select_for_update(skip_locked=_skip_locked())


# Step 1: going down ------------------------------------------------------------


def mark_going_down(now: datetime | None = None) -> bool:
    """Handle the most overdue check. False when no check is overdue."""
    now = now or timezone.now()
    check = (
        Check.objects.filter(alert_after__lt=now)
        .exclude(status=CheckStatus.DOWN)
        .order_by("alert_after")
        .first()
    )
    if check is None:
        return False
    seen = Check.objects.filter(id=check.id, status=check.status, alert_after=check.alert_after)
    try:
        status = check.get_status(now=now)
        deadline = check.going_down_after()
    except Exception:
        # A schedule that no longer computes must not block the others.
        logger.exception("Cannot compute the status of check %s", check.code)
        seen.update(alert_after=now + BROKEN_SCHEDULE_DELAY)
        return True
    if status != Status.DOWN or deadline is None:
        seen.update(alert_after=deadline)
        return True
    with transaction.atomic():
        # A ping that committed since the read changed alert_after, so
        # this matches nothing and the ping's view of the check wins.
        if seen.update(status=CheckStatus.DOWN, alert_after=None) != 1:
            return True
        Flip.objects.create(
            owner=check,
            created=deadline,
            old_status=check.status,
            new_status=CheckStatus.DOWN,
            reason=FlipReason.TIMEOUT,
        )
    return True


# Step 2: claiming flips -------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """Notifications a worker holds the lease of and must now deliver.

    Each comes with its channel, check and flip loaded, so delivering it
    needs no further lookup.
    """

    token: uuid.UUID
    notifications: list[Notification]
    projects: set[int]
    flips: int = 0


def _transport(channel: Channel) -> Transport | None:
    try:
        return registry.get(channel.kind).transport(channel)
    except registry.UnknownKind:
        return None


def _speaks(channel: Channel, status: str) -> bool:
    transport = _transport(channel)
    # Kinds this server cannot deliver get a row too, so the failure shows.
    return transport is None or not transport.is_noop(status)


def channels_to_alert(checks: list[Check]) -> dict[int, list[Channel]]:
    """Each check's enabled channels, fast ones first, so one slow
    integration does not delay the rest.

    The checks' `channel_set` is prefetched (one query for all), which also
    serves transports that list a check's channels, such as webhook $JSON.
    """
    prefetch_related_objects(checks, "channel_set")

    def speed(channel: Channel) -> tuple[bool, timedelta, int]:
        duration = channel.last_notify_duration
        return duration is None, duration or timedelta(), channel.id

    return {
        check.id: sorted((c for c in check.channel_set.all() if not c.disabled), key=speed)
        for check in checks
    }


def claim_flips(limit: int, now: datetime | None = None) -> Claim:
    """Mark up to `limit` flips processed and write their notifications."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        flips = list(
            _locked(Flip.objects.filter(processed=None).order_by("id")).select_related("owner")[
                :limit
            ]
        )
        if not flips:
            return Claim(token, [], set())
        Flip.objects.filter(id__in=[f.id for f in flips]).update(processed=now)
        announced = []
        for flip in flips:
            if flip.new_status not in (CheckStatus.UP, CheckStatus.DOWN):
                logger.error("Flip %s has an unexpected status %s", flip.id, flip.new_status)
            elif flip.new_status == CheckStatus.DOWN or flip.old_status not in (
                CheckStatus.NEW,
                CheckStatus.PAUSED,
            ):
                announced.append(flip)  # nothing to announce when a check starts working
        channels = channels_to_alert([flip.owner for flip in announced])
        rows = [
            Notification(
                owner=flip.owner,
                flip=flip,
                channel=channel,
                check_status=flip.new_status,
                created=now,
                error="Sending",
                next_attempt=now + lease_length(),
                lease=token,
            )
            for flip in announced
            for channel in channels[flip.owner_id]
            if _speaks(channel, flip.new_status)
        ]
        Notification.objects.bulk_create(rows)
        if rows and rows[0].pk is None:
            # MySQL does not return the ids of a bulk insert: read them back.
            ids = (
                Notification.objects.filter(lease=token).order_by("id").values_list("id", flat=True)
            )
            for row, pk in zip(rows, ids, strict=True):
                row.pk = pk
    projects = {flip.owner.project_id for flip in flips}
    return Claim(token, rows, projects, flips=len(flips))


def update_nag_dates(project_ids: set[int]) -> None:
    # Outside the claim's transaction, as pings lock checks before profiles.
    for project in Project.objects.filter(id__in=project_ids):
        do_update_nag_dates(project)


# Step 3: delivering --------------------------------------------------------------


def claim_due(limit: int, now: datetime | None = None) -> Claim:
    """Take the lease of notifications due for a retry or left by a dead worker."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            _locked(
                Notification.objects.filter(next_attempt__lte=now).order_by("next_attempt")
            ).values_list("id", flat=True)[:limit]
        )
        if not ids:
            return Claim(token, [], set())
        Notification.objects.filter(id__in=ids).update(
            lease=token, next_attempt=now + lease_length()
        )
        rows = list(
            Notification.objects.filter(id__in=ids)
            .select_related("channel", "owner", "flip")
            .order_by("id")
        )
    return Claim(token, rows, set())


@dataclass(frozen=True)
class Outcome:
    notification: Notification
    error: str  # "" on success
    seconds: float
    sent: bool  # False when it was settled without a delivery attempt

    def log_line(self) -> str:
        n = self.notification
        owner = n.owner.code if n.owner else "test"
        head = f"{owner} goes {n.check_status}: {str(n.channel.code)[:8]} ({n.channel.kind})"
        if self.error:
            return f"{head} Error in {self.seconds:.3f}s: {self.error}"
        return f"{head} OK in {self.seconds:.3f}s"


def _superseded(notification: Notification) -> bool:
    """A retry of an alert about a status the check has since left."""
    return (
        notification.attempts > 0
        and Flip.objects.filter(
            owner_id=notification.owner_id, id__gt=notification.flip_id
        ).exists()
    )


def deliver(notification: Notification, token: uuid.UUID) -> Outcome | None:
    """Deliver one leased notification and record the outcome.

    None when there is nothing to deliver any more: the check or the flip
    is gone. The outcome is not recorded when the lease was lost (another
    worker took the row over after the lease ran out).
    """
    if notification.flip is None or notification.owner is None:
        return None
    # One indexed lookup: the row is gone when its check or channel was
    # deleted since the claim, and has another lease when ours ran out.
    if not is_leased(notification, token):
        return None
    if _superseded(notification):
        Notification.objects.filter(id=notification.id, lease=token).update(
            next_attempt=None, lease=None
        )
        return Outcome(notification, notification.error, 0.0, sent=False)
    flip = notification.flip
    flip.owner = notification.owner  # the check as it is now
    started = timezone.now()
    error, permanent = _attempt(notification.channel, flip, notification)
    duration = timezone.now() - started
    # Sent: from here on only the recording is retried, never the sending.
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            _record(notification, token, started, duration, error, permanent)
            break
        except (DatabaseError, InterfaceError):
            if attempt == RECORD_TRIES:
                raise  # the lease runs out and the notification goes out again
            logger.warning("Cannot record delivery of %s, retrying", notification.code)
            connection.close()
            time.sleep(attempt)
    return Outcome(notification, error, duration.total_seconds(), sent=True)


def _attempt(channel: Channel, flip: Flip, notification: Notification) -> tuple[str, bool]:
    """Call the transport; the error text ("" on success) and whether it is permanent."""
    transport = _transport(channel)
    if transport is None:
        return f"Integration kind {channel.kind!r} is not available on this server", False
    try:
        transport.notify(flip, notification)
    except TransportError as e:
        return e.message[:ERROR_MAX_LENGTH] or "Delivery failed", e.permanent
    except Exception as e:
        # One broken integration must not stop the others.
        logger.exception("Unexpected error delivering notification %s", notification.code)
        return f"Unexpected error ({type(e).__name__})", False
    return "", False


def _record(
    notification: Notification,
    token: uuid.UUID | None,
    started: datetime,
    duration: timedelta,
    error: str,
    permanent: bool,
) -> None:
    attempts = notification.attempts + 1
    if error and not permanent and token and attempts < settings.ALERT_DELIVERY_ATTEMPTS:
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        next_attempt: datetime | None = started + duration + delay
    else:
        next_attempt = None
    recorded = record_outcome(
        notification,
        token,
        attempts=attempts,
        error=error,
        next_attempt=next_attempt,
        started=started,
        duration=duration,
        permanent=permanent,
    )
    if not recorded:
        return  # the row is gone, or a worker took it over after our lease ran out
    notification.error, notification.attempts = error, attempts


# Test sends ------------------------------------------------------------------------


def do_send_test(channel: Channel) -> str:
    """Send a test alert ("Test!") right now; the error text, "" on success.

    A dummy check that is down; channels that stay silent on "down" get an
    "up" instead. One attempt, no retries.
    """
    check = Check(
        project=channel.project,
        name="TEST",
        status=CheckStatus.DOWN,
        n_pings=42,
        last_ping=timezone.now() - timedelta(days=1),
    )
    flip = Flip(
        owner=check,
        created=timezone.now(),
        old_status=CheckStatus.UP,
        new_status=CheckStatus.DOWN,
        reason=FlipReason.TIMEOUT,
    )
    transport = _transport(channel)
    if transport is not None and transport.is_noop(CheckStatus.DOWN):
        flip.old_status, flip.new_status, flip.reason = (
            CheckStatus.DOWN,
            CheckStatus.UP,
            FlipReason.UNKNOWN,
        )
    Notification.objects.filter(channel=channel, owner=None).delete()
    notification = Notification.objects.create(
        channel=channel, check_status=flip.new_status, error="Sending"
    )
    started = timezone.now()
    error, permanent = _attempt(channel, flip, notification)
    _record(notification, None, started, timezone.now() - started, error, permanent)
    return error


# A synchronous pass, for tests and one-shot runs -------------------------------------


def run_once(batch: int = 100) -> list[Outcome]:
    """Do everything that is due now, in this thread."""
    outcomes: list[Outcome] = []
    while mark_going_down():
        pass
    while True:
        claim = claim_flips(batch)
        update_nag_dates(claim.projects)
        due = claim_due(batch)
        for c in (claim, due):
            for notification in c.notifications:
                outcome = deliver(notification, c.token)
                if outcome is not None:
                    outcomes.append(outcome)
        if not claim.flips and not due.notifications:
            return outcomes


def next_wakeup() -> datetime | None:
    """The next moment something becomes due without outside events."""
    moments = [
        Check.objects.exclude(status=CheckStatus.DOWN)
        .filter(alert_after__isnull=False)
        .order_by("alert_after")
        .values_list("alert_after", flat=True)
        .first(),
        Notification.objects.filter(next_attempt__isnull=False)
        .order_by("next_attempt")
        .values_list("next_attempt", flat=True)
        .first(),
    ]
    due = [m for m in moments if m is not None]
    return min(due) if due else None

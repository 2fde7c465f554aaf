"""Recording pings: the one place that applies a signal to a check.

This is the hot path of the service. A ping costs one transaction: the lookup
query also takes the row lock, then one UPDATE of the check, one INSERT of the
ping and, only when the status changes, one INSERT of a flip. Work that can
wait (uploading a large body to object storage, pruning old pings) runs after
the commit.
"""

from __future__ import annotations

import enum
import functools
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hc.accounts.models import Profile, Project
from hc.api.classify import classify_http
from hc.api.models import (
    Check,
    CheckStatus,
    Flip,
    FlipReason,
    Notification,
    Ping,
    PingKind,
)
from hc.api.services.checks import do_create_check
from hc.api.services.statements import (
    insert_ping,
    lock_check,
    lock_checks_by_slug,
    update_check,
)
from hc.lib import s3

logger = logging.getLogger(__name__)

# Flips younger than this survive pruning, so statistics can cover
# the current month and the two before it.
FLIP_RETENTION = timedelta(days=93)
PRUNE_EVERY = 100
SLUG_MAX_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Signal:
    """The facts of one received ping, already parsed and sanitised."""

    kind: PingKind  # from the URL; may be overridden by check settings
    method: str = "GET"
    scheme: str = "http"
    remote_addr: str | None = None
    ua: str = ""
    body: bytes = b""
    exitstatus: int | None = None
    rid: uuid.UUID | None = None
    # Set when the URL or query was invalid: reported after the check lookup,
    # as the wire contract orders a 404 for an unknown check first.
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ByCode:
    code: uuid.UUID


@dataclass(frozen=True, slots=True)
class BySlug:
    ping_key: str
    slug: str
    create: bool = False


class Outcome(enum.Enum):
    RECORDED = "recorded"
    CREATED = "created"  # auto-provisioned, then recorded
    NOT_FOUND = "not found"
    AMBIGUOUS = "ambiguous slug"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    error: str | None = None


def do_record_ping(target: ByCode | BySlug, signal: Signal) -> Result:
    """Find the check, apply the signal to it and store the ping."""
    result, n_pings, check_id = _record(target, signal)
    if result.outcome == Outcome.NOT_FOUND and isinstance(target, BySlug) and target.create:
        check, created = _provision(target)
        if check is None:
            return Result(Outcome.AMBIGUOUS if created is None else Outcome.NOT_FOUND)
        result, n_pings, check_id = _record(ByCode(check.code), signal)
        if created and result.outcome == Outcome.RECORDED:
            result = Result(Outcome.CREATED)
    if n_pings % PRUNE_EVERY == 0 and check_id is not None and n_pings > 0:
        prune_check(check_id, n_pings)
    return result


def lock_target(target: ByCode | BySlug) -> list[Check]:
    """The checks the target names (none, one, or two when a slug is ambiguous),
    locked until the caller's transaction ends."""
    if isinstance(target, ByCode):
        check = lock_check(target.code)
        return [] if check is None else [check]
    return lock_checks_by_slug(target.ping_key, target.slug)


def _record(target: ByCode | BySlug, signal: Signal) -> tuple[Result, int, int | None]:
    with transaction.atomic():
        candidates = lock_target(target)
        if not candidates:
            return Result(Outcome.NOT_FOUND), 0, None
        if len(candidates) > 1:
            return Result(Outcome.AMBIGUOUS), 0, None
        if signal.error:
            return Result(Outcome.INVALID, signal.error), 0, None
        check = candidates[0]
        kind = classify_http(check, signal.kind, signal.method, signal.body)
        apply_signal(check, kind, signal, timezone.now())
    return Result(Outcome.RECORDED), check.n_pings, check.id


def apply_signal(check: Check, kind: PingKind, signal: Signal, now: datetime) -> None:
    """Apply a classified signal to a check locked by the caller's transaction.

    Shared by HTTP and email pings. Writes the check, the ping and, when the
    stored status changes, a flip for sendalerts to deliver.
    """
    if check.status == CheckStatus.PAUSED and check.manual_resume:
        kind = PingKind.IGNORED

    fields = ["n_pings", "alert_after", "has_confirmation_link"]
    flip = None
    if kind == PingKind.START:
        check.last_start, check.last_start_rid = now, signal.rid
        fields += ["last_start", "last_start_rid"]
    elif kind in (PingKind.SUCCESS, PingKind.FAIL):
        check.last_ping, check.last_duration = now, None
        if check.last_start:
            if check.last_start_rid == signal.rid:
                check.last_duration = now - check.last_start
                check.last_start = None
            elif kind == PingKind.FAIL or signal.rid is None:
                check.last_start = None
            # Otherwise another run (with another rid) is still in progress.
        new_status = CheckStatus.DOWN if kind == PingKind.FAIL else CheckStatus.UP
        if check.status != new_status:
            reason = FlipReason.FAIL if kind == PingKind.FAIL else FlipReason.UNKNOWN
            flip = Flip(
                owner=check,
                created=now,
                old_status=check.status,
                new_status=new_status,
                reason=reason,
            )
            check.status = new_status
        fields += ["last_ping", "last_duration", "last_start", "status"]

    check.n_pings += 1
    check.alert_after = check.going_down_after()
    # Bytes.lower() is enough: "confirm" is ASCII, so decoding cannot change it.
    check.has_confirmation_link = b"confirm" in signal.body.lower()
    # Large bodies go to object storage once the ping is committed: an upload
    # never holds the check's row lock, and a failed one loses only the body.
    in_storage = len(signal.body) > s3.DB_BODY_LIMIT and s3.enabled()
    if in_storage:
        upload = functools.partial(_upload_body, check.code, check.n_pings, signal.body)
        # Robust: a 500 after the commit would make clients send the ping again.
        transaction.on_commit(upload, robust=True)
    update_check(check, fields)
    insert_ping(
        Ping(
            owner=check,
            n=check.n_pings,
            created=now,
            kind=kind,
            scheme=signal.scheme,
            remote_addr=signal.remote_addr,
            method=signal.method,
            ua=signal.ua,
            body_raw=None if in_storage else signal.body or None,
            object_size=len(signal.body) if in_storage else None,
            exitstatus=signal.exitstatus,
            rid=signal.rid,
        )
    )
    if flip is not None:
        flip.save()


def _upload_body(code: uuid.UUID, n: int, body: bytes) -> None:
    try:
        s3.put_object(code, n, body)
    except s3.errors():
        # The ping is recorded; only its body is lost. Readers see "no body".
        logger.exception("Could not upload the body of ping #%d of %s", n, code)


def _provision(target: BySlug) -> tuple[Check | None, bool | None]:
    """Create the check a `create=1` ping asks for.

    Returns (check, True) when created, (check, False) when a concurrent ping
    created it first, (None, False) when refused and (None, None) when the
    slug turned out to be ambiguous.
    """
    if len(target.slug) > SLUG_MAX_LENGTH:
        return None, False  # no check may have this slug (spec ping-api §11)
    with transaction.atomic():
        # Locking the project serialises concurrent provisioning of one slug.
        # The equality uses the index; the exact comparison is for MariaDB,
        # whose default collation ignores case (ping keys are exact).
        candidates = Project.objects.select_for_update().filter(ping_key=target.ping_key)
        project = next((p for p in candidates if p.ping_key == target.ping_key), None)
        if project is None:
            return None, False
        existing = list(Check.objects.filter(project=project, slug=target.slug)[:2])
        if len(existing) == 1:
            return existing[0], False
        if existing:
            return None, None
        limit = profile_for(project.owner_id).check_limit
        # Auto-provisioning may go up to twice the normal limit.
        if Check.objects.filter(project__owner_id=project.owner_id).count() >= 2 * limit:
            return None, False
        check = do_create_check(project, name=target.slug, slug=target.slug)
    return check, True


def profile_for(user_id: int) -> Profile:
    profile, _ = Profile.objects.get_or_create(user_id=user_id)
    return profile


def prune_check(check_id: int, n_pings: int, *, wait: bool = False) -> None:
    """Drop pings beyond the owner's ping log limit, and what is older than them.

    Their bodies in object storage are removed in a background thread, so a
    ping request does not wait for the storage; wait=True removes them in the
    caller's thread with a patient time-out instead (for batch jobs).
    """
    with transaction.atomic():
        row = (
            Check.objects.filter(id=check_id)
            .values_list("code", "project__owner__profile__ping_log_limit")
            .first()
        )
        if row is None or row[1] is None:
            return
        code, limit = row
        threshold = n_pings - limit
        _prune_rows(check_id, threshold)
    if threshold > 0 and s3.enabled():
        if wait:
            s3.remove_objects(code, threshold, timeout=max(settings.S3_TIMEOUT, s3.PATIENT_TIMEOUT))
        else:
            # A daemon thread: should the process exit first, the next
            # pruning of this check removes what is left.
            name = f"prune-objects-{code}"
            args = (code, threshold)
            threading.Thread(target=s3.remove_objects, args=args, name=name, daemon=True).start()


def _prune_rows(check_id: int, threshold: int) -> None:
    Ping.objects.filter(owner_id=check_id, n__lte=threshold).delete()
    oldest = (
        Ping.objects.filter(owner_id=check_id)
        .order_by("created")
        .values_list("created", flat=True)
        .first()
    )
    if oldest is None:
        return
    Notification.objects.filter(owner_id=check_id, created__lt=oldest).delete()
    flip_cutoff = min(oldest, timezone.now() - FLIP_RETENTION)
    Flip.objects.filter(owner_id=check_id, created__lt=flip_cutoff).delete()

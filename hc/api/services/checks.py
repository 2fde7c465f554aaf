"""State changes of checks other than pings: create, update, pause, resume,
delete, and the dashboard's schedule, filtering, copy, transfer and clear actions.

Updates re-read the check under a row lock, the lock pings take too, so the
recomputed alert deadline never overwrites one a concurrent ping just set, and
they write only the columns the request supplied.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from hc.accounts.models import Profile, Project
from hc.accounts.services import do_update_nag_dates
from hc.api.models import (
    Channel,
    Check,
    CheckKind,
    CheckStatus,
    Flip,
    FlipReason,
    Methods,
    Notification,
    Ping,
)
from hc.api.schemas import NAME_MAX_LENGTH, SLUG_MAX_LENGTH, CheckBody
from hc.lib.schedules import infer_kind

# Fields copied as they are, after name, kind and the legacy subject fields.
_PLAIN_FIELDS: Final = (
    "slug",
    "tags",
    "desc",
    "grace",
    "tz",
    "manual_resume",
    "methods",
    "start_kw",
    "success_kw",
    "failure_kw",
    "filter_subject",
    "filter_body",
    "filter_http_body",
    "filter_default_fail",
)
_DURATIONS: Final = frozenset({"timeout", "grace"})


class ChannelError(Exception):
    """A `channels` value that does not resolve (management-api §6.3.1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CheckLimitReached(Exception):
    """The project owner has no check allowance left."""


class CheckNotPaused(Exception):
    """Only a paused check can be resumed."""


@dataclass(frozen=True)
class Schedule:
    """What the dashboard's schedule dialog saves (web spec §6.10.5).

    Simple schedules carry `timeout`; cron and OnCalendar ones `schedule`
    and `tz`. Values are already validated.
    """

    kind: CheckKind
    grace: timedelta
    timeout: timedelta | None = None
    schedule: str | None = None
    tz: str | None = None


@dataclass(frozen=True)
class FilteringRules:
    """The Filtering Rules dialog's fields (web spec §7.5), already validated."""

    methods: Methods
    filter_http_body: bool
    filter_subject: bool
    filter_body: bool
    start_kw: str
    success_kw: str
    failure_kw: str
    filter_default_fail: bool
    manual_resume: bool


@transaction.atomic
def do_create_check(project: Project, *, name: str, **fields: Any) -> Check:
    """A new check with every integration of its project assigned (web UI rule)."""
    fields.setdefault("slug", slugify(name))
    check = Check.objects.create(project=project, name=name, **fields)
    check.channel_set.set(Channel.objects.filter(project=project))
    return check


def do_upsert_check(project: Project, body: CheckBody, *, version: int) -> tuple[Check, bool]:
    """Create a check through the API, or update the one `unique` points at.

    Returns the check and whether it was created. Raises CheckLimitReached or
    ChannelError; nothing is written then.
    """
    with transaction.atomic():
        # Serialises creations for one owner, so neither the check limit nor
        # the `unique` lookup can be raced by a concurrent create.
        list(User.objects.select_for_update().filter(id=project.owner_id).values_list("id"))
        match = _find_unique_match(project, body)
        if match is not None:
            updated = _update_locked(match, body, version)
            if updated is not None:
                return updated, False

        profile, _ = Profile.objects.get_or_create(user_id=project.owner_id)
        used = Check.objects.filter(project__owner_id=project.owner_id).count()
        if profile.check_limit - used <= 0:
            raise CheckLimitReached
        channels = _resolve_channels(project.id, body)
        check = Check(project=project)
        _apply(check, body, version)
        check.alert_after = check.going_down_after()
        check.save(force_insert=True)
        if channels:
            check.channel_set.set(channels)
        return check, True


def do_update_check(check: Check, body: CheckBody, *, version: int) -> Check | None:
    """Apply an API update; None if the check no longer exists.

    Raises ChannelError before writing anything.
    """
    with transaction.atomic():
        return _update_locked(check.id, body, version)


def do_pause_check(check: Check) -> Check | None:
    """Pause monitoring (monitoring §4.7); None if the check no longer exists."""
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return None
        if locked.status == CheckStatus.PAUSED:
            return locked
        _record_silent_flip(locked, CheckStatus.PAUSED)
        locked.status = CheckStatus.PAUSED
        locked.last_start = None
        locked.alert_after = None
        locked.save(update_fields=["status", "last_start", "alert_after"])
    # After the commit, and without the check's row lock, so this cannot
    # deadlock against work that locks profiles first.
    do_update_nag_dates(locked.project)
    return locked


def do_resume_check(check: Check) -> Check | None:
    """Resume a paused check as new; None if the check no longer exists.

    Raises CheckNotPaused when it is not paused.
    """
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return None
        if locked.status != CheckStatus.PAUSED:
            raise CheckNotPaused
        _record_silent_flip(locked, CheckStatus.NEW)
        locked.status = CheckStatus.NEW
        locked.last_start = None
        locked.last_ping = None
        locked.alert_after = None
        locked.save(update_fields=["status", "last_start", "last_ping", "alert_after"])
        return locked


def do_delete_check(check: Check) -> bool:
    """Delete a check with its pings, flips and notifications.

    First the code and slug get random values and that is committed, so pings
    arriving from then on miss the check. A ping that was already past its
    lookup may still insert a row while the delete collects related rows;
    the delete then fails on the foreign key and is retried once.
    Returns False if the check no longer exists.
    """
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return False
        locked.code = uuid.uuid4()
        locked.slug = str(locked.code)
        locked.save(update_fields=["code", "slug"])
    try:
        with transaction.atomic():
            Check.objects.filter(id=check.id).delete()
    except IntegrityError:
        with transaction.atomic():
            Check.objects.filter(id=check.id).delete()
    return True


def do_set_schedule(
    check: Check, schedule: Schedule, *, now: datetime | None = None
) -> Check | None:
    """Save a schedule from the web UI; None if the check no longer exists.

    The deadline is recomputed from the existing last ping. An up check
    whose new deadline has already passed goes down at once through a
    silent flip: changing a schedule interactively never sends alerts
    (monitoring §4.7). The API's update path leaves that to sendalerts.
    """
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return None
        fields = ["kind", "grace", "alert_after"]
        locked.kind = schedule.kind
        locked.grace = schedule.grace
        if schedule.kind == CheckKind.SIMPLE:
            assert schedule.timeout is not None
            locked.timeout = schedule.timeout
            fields.append("timeout")
        else:
            assert schedule.schedule is not None and schedule.tz is not None
            locked.schedule = schedule.schedule
            locked.tz = schedule.tz
            fields += ["schedule", "tz"]
        locked.alert_after = locked.going_down_after()
        now = now or timezone.now()
        went_down = (
            locked.status == CheckStatus.UP
            and locked.alert_after is not None
            and locked.alert_after <= now
        )
        if went_down:
            _record_silent_flip(locked, CheckStatus.DOWN)
            locked.status = CheckStatus.DOWN
            locked.alert_after = None
            fields.append("status")
        locked.save(update_fields=fields)
    if went_down:
        do_update_nag_dates(locked.project)
    return locked


def do_set_filtering_rules(check: Check, rules: FilteringRules) -> Check | None:
    """Save the Filtering Rules dialog; None if the check no longer exists."""
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return None
        values = {
            "methods": rules.methods.value,
            "filter_http_body": rules.filter_http_body,
            "filter_subject": rules.filter_subject,
            "filter_body": rules.filter_body,
            "start_kw": rules.start_kw,
            "success_kw": rules.success_kw,
            "failure_kw": rules.failure_kw,
            "filter_default_fail": rules.filter_default_fail,
            "manual_resume": rules.manual_resume,
        }
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        return locked


def do_clear_events(check: Check) -> Check | None:
    """Forget a check's history (web spec §7.6); None if it no longer exists.

    The check becomes new and its pings, flips and notifications are deleted.
    `n_pings` stays, so the numbering of later pings continues.
    """
    with transaction.atomic():
        locked = _lock(check.id)
        if locked is None:
            return None
        locked.status = CheckStatus.NEW
        locked.last_ping = None
        locked.last_start = None
        locked.last_start_rid = None
        locked.last_duration = None
        locked.has_confirmation_link = False
        locked.alert_after = None
        locked.save(
            update_fields=[
                "status",
                "last_ping",
                "last_start",
                "last_start_rid",
                "last_duration",
                "has_confirmation_link",
                "alert_after",
            ]
        )
        Notification.objects.filter(owner=locked).delete()
        Flip.objects.filter(owner=locked).delete()
        Ping.objects.filter(owner=locked).delete()
        return locked


def copy_name(name: str) -> str:
    """The name of a copy: "<name> (copy)", shortened to fit 100 characters."""
    result = f"{name} (copy)"
    if len(result) > NAME_MAX_LENGTH:
        result = f"{name[:90]}... (copy)"
    return result


def copy_slug(slug: str) -> str:
    """The slug of a copy: "<slug>-copy", or none when that is too long."""
    if not slug:
        return ""
    result = f"{slug}-copy"
    return result if len(result) <= SLUG_MAX_LENGTH else ""


def do_copy_check(check: Check) -> Check:
    """A new check in the same project with the same settings and integrations.

    Raises CheckLimitReached when the project owner has no free slot.
    """
    with transaction.atomic():
        _claim_slot(check.project.owner_id)
        copied = Check.objects.create(
            project_id=check.project_id,
            name=copy_name(check.name),
            slug=copy_slug(check.slug),
            desc=check.desc,
            tags=check.tags,
            kind=check.kind,
            timeout=check.timeout,
            grace=check.grace,
            schedule=check.schedule,
            tz=check.tz,
            filter_subject=check.filter_subject,
            filter_body=check.filter_body,
            filter_http_body=check.filter_http_body,
            filter_default_fail=check.filter_default_fail,
            start_kw=check.start_kw,
            success_kw=check.success_kw,
            failure_kw=check.failure_kw,
            methods=check.methods,
            manual_resume=check.manual_resume,
        )
        copied.channel_set.set(Channel.objects.filter(checks=check))
        return copied


def do_transfer_check(check: Check, target: Project) -> Check | None:
    """Move a check to another project; None if it no longer exists.

    The code, and so the ping URL, stays; the integrations become exactly
    those of the target project. Raises CheckLimitReached when the target's
    owner is someone else and has no free slot.
    """
    with transaction.atomic():
        if target.owner_id != check.project.owner_id:
            _claim_slot(target.owner_id)
        locked = _lock(check.id)
        if locked is None:
            return None
        locked.project = target
        locked.save(update_fields=["project"])
        locked.channel_set.set(Channel.objects.filter(project=target))
        return locked


def has_free_slot(owner_id: int) -> bool:
    """Whether the owner may have one more check (without locking)."""
    profile = Profile.objects.filter(user_id=owner_id).first()
    limit = profile.check_limit if profile else Profile().check_limit
    return Check.objects.filter(project__owner_id=owner_id).count() < limit


# Helpers, called inside the callers' transactions ---------------------------


def _record_silent_flip(check: Check, new_status: CheckStatus) -> None:
    """A manual transition: recorded for statistics, pre-processed so it never notifies."""
    now = timezone.now()
    Flip.objects.create(
        owner=check,
        created=now,
        processed=now,
        old_status=check.status,
        new_status=new_status,
        reason=FlipReason.UNKNOWN,
    )


def _claim_slot(owner_id: int) -> None:
    """Raise CheckLimitReached unless the owner may have one more check.

    Locks the owner's user row first, as API creations do, so two
    concurrent additions cannot both take the last slot.
    """
    list(User.objects.select_for_update().filter(id=owner_id).values_list("id"))
    profile, _ = Profile.objects.get_or_create(user_id=owner_id)
    used = Check.objects.filter(project__owner_id=owner_id).count()
    if profile.check_limit - used <= 0:
        raise CheckLimitReached


def _lock(check_id: int) -> Check | None:
    return Check.objects.select_for_update().filter(id=check_id).first()


def _update_locked(check_id: int, body: CheckBody, version: int) -> Check | None:
    check = _lock(check_id)
    if check is None:
        return None
    channels = _resolve_channels(check.project_id, body)
    fields = _apply(check, body, version)
    alert_after = check.going_down_after()
    if alert_after != check.alert_after:
        check.alert_after = alert_after
        fields.append("alert_after")
    if fields:
        check.save(update_fields=fields)
    if channels is not None:
        check.channel_set.set(channels)
    return check


def _apply(check: Check, body: CheckBody, version: int) -> list[str]:
    """Copy the supplied fields onto `check` in the contract's order (§6.3.1).

    Returns the names of the columns that were set.
    """
    given = body.model_fields_set
    values: dict[str, Any] = {}
    if "name" in given:
        values["name"] = body.name
        if version < 3:
            values["slug"] = _slug_from(body.name)
    if "schedule" in given:
        # A schedule wins over a timeout in the same request.
        values["kind"] = CheckKind(infer_kind(body.schedule))
        values["schedule"] = body.schedule
    elif "timeout" in given:
        values["kind"] = CheckKind.SIMPLE
        values["timeout"] = timedelta(seconds=body.timeout)
    if "subject" in given:
        values["success_kw"] = body.subject
        values["filter_subject"] = bool(body.subject or values.get("failure_kw", check.failure_kw))
    if "subject_fail" in given:
        values["failure_kw"] = body.subject_fail
        success_kw = values.get("success_kw", check.success_kw)
        values["filter_subject"] = bool(success_kw or body.subject_fail)
    for name in _PLAIN_FIELDS:
        if name in given:
            value = getattr(body, name)
            values[name] = timedelta(seconds=value) if name in _DURATIONS else value

    for name, value in values.items():
        setattr(check, name, value)
    return list(values)


def _slug_from(name: str) -> str:
    # NFKD normalisation can make a slug longer than the name it came from.
    return slugify(name)[:SLUG_MAX_LENGTH].strip("-_")


def _find_unique_match(project: Project, body: CheckBody) -> int | None:
    """The id of the oldest check equal to the request in every `unique` field."""
    named: set[str] = set(body.unique)
    if not named or not named <= body.model_fields_set:
        return None
    durations = {name: timedelta(seconds=getattr(body, name)) for name in named & _DURATIONS}
    texts = {name: getattr(body, name) for name in named - _DURATIONS}
    candidates = Check.objects.filter(project=project, **durations, **texts).order_by("id")
    # MariaDB compares text case- and accent-insensitively: confirm here.
    for candidate in candidates.only("id", *texts):
        if all(getattr(candidate, name) == value for name, value in texts.items()):
            return candidate.id
    return None


def _resolve_channels(project_id: int, body: CheckBody) -> list[Channel] | None:
    """The integrations `channels` names, or None when it is absent.

    Matching is done here rather than in SQL, as names must match exactly
    (whitespace and letter case included) on every database.
    """
    if "channels" not in body.model_fields_set:
        return None
    spec = body.channels
    if spec == "":
        return []
    available = list(Channel.objects.filter(project_id=project_id).only("id", "code", "name"))
    if spec == "*":
        return available
    by_key: dict[str, set[int]] = {}
    for channel in available:
        by_key.setdefault(str(channel.code), set()).add(channel.id)
        by_key.setdefault(channel.name, set()).add(channel.id)
    by_id = {channel.id: channel for channel in available}
    chosen: dict[int, Channel] = {}
    for token in spec.split(","):
        if token == "":
            raise ChannelError("empty channel identifier")
        ids = by_key.get(token, set())
        if not ids:
            raise ChannelError(f"invalid channel identifier: {token}")
        if len(ids) > 1:
            raise ChannelError(f"non-unique channel identifier: {token}")
        (channel_id,) = ids
        chosen[channel_id] = by_id[channel_id]
    return list(chosen.values())

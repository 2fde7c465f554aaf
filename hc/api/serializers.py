"""JSON representations of API objects (management-api §5; integrations, v3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from hc.api.channel_bodies import stored_fields
from hc.api.models import Channel, Check, CheckKind

# Members of an integration object that stored config keys must not override.
CHANNEL_MEMBERS = (
    "id",
    "name",
    "kind",
    "disabled",
    "last_notify",
    "last_error",
    "failures",
    "checks",
)


def isostring(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with whole seconds: 2026-03-04T05:06:07+00:00."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def seconds(duration: timedelta) -> int:
    return int(duration.total_seconds())


def check_to_dict(check: Check, *, version: int, readonly: bool) -> dict[str, Any]:
    """The check object, in upstream's member order (§5.1).

    A read-only view leaves out everything that reveals the check's UUID and
    adds `unique_key` instead (§5.2). Pass checks with `channel_set`
    prefetched when serialising many of them with a read-write key.
    """
    now = timezone.now()
    result: dict[str, Any] = {
        "name": check.name,
        "slug": check.slug,
        "tags": check.tags,
        "desc": check.desc,
        "grace": seconds(check.grace),
        "n_pings": check.n_pings,
        # API v1 reports a running job as "started"; v2 and v3 only say so in
        # the `started` member.
        "status": check.get_status(with_started=version == 1, now=now).value,
        "started": check.last_start is not None,
        "last_ping": isostring(check.last_ping),
        # For a running job this is its start time, an upstream quirk (§5.4).
        "next_ping": isostring(check.grace_start(include_running=True)),
        "manual_resume": check.manual_resume,
        "methods": check.methods,
        "subject": check.success_kw if check.filter_subject else "",
        "subject_fail": check.failure_kw if check.filter_subject else "",
        "start_kw": check.start_kw,
        "success_kw": check.success_kw,
        "failure_kw": check.failure_kw,
        "filter_subject": check.filter_subject,
        "filter_body": check.filter_body,
        "filter_http_body": check.filter_http_body,
        "filter_default_fail": check.filter_default_fail,
        "badge_url": f"{settings.SITE_ROOT}/b/2/{check.badge_key}.svg",
    }
    duration = check.visible_duration()
    if duration is not None:
        result["last_duration"] = seconds(duration)

    if readonly:
        result["unique_key"] = check.unique_key
    else:
        update_url = f"{settings.SITE_ROOT}/api/v{version}/checks/{check.code}"
        result["uuid"] = str(check.code)
        # Always the UUID form: clients take the UUID from its last segment.
        result["ping_url"] = f"{settings.PING_ENDPOINT}{check.code}"
        result["update_url"] = update_url
        result["pause_url"] = update_url + "/pause"
        result["resume_url"] = update_url + "/resume"
        result["channels"] = ",".join(sorted(str(c.code) for c in check.channel_set.all()))

    if check.kind == CheckKind.SIMPLE:
        result["timeout"] = seconds(check.timeout)
    else:
        result["schedule"] = check.schedule
        result["tz"] = check.tz
    return result


def channel_to_dict(channel: Channel, *, readonly: bool) -> dict[str, Any]:
    """An integration with its delivery state; for read-write keys also its settings.

    The kind's stored fields appear at top level, as they are sent. A
    read-only view leaves them out, as they may hold secrets, and leaves out
    the linked checks, as read-only views never reveal check UUIDs.
    """
    result: dict[str, Any] = {
        "id": str(channel.code),
        "name": channel.name,
        "kind": channel.kind,
        "disabled": channel.disabled,
        "last_notify": isostring(channel.last_notify),
        "last_error": channel.last_error,
        "failures": channel.failures,
    }
    if readonly:
        return result
    codes = channel.checks.values_list("code", flat=True)
    result["checks"] = sorted(str(code) for code in codes)
    result.update(
        (key, value) for key, value in stored_fields(channel).items() if key not in CHANNEL_MEMBERS
    )
    return result

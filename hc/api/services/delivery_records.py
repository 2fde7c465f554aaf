"""Recording a delivery's outcome: three statements, compiled once per database.

Every delivery ends here, so in a burst of alerts this runs hundreds of times
a second. Like the ping path (statements.py), the SQL is built once from the
model metadata and values are prepared by the model fields themselves, which
keeps the behaviour of the ORM on every backend without recompiling the same
UPDATEs and INSERT for each alert.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from hc.api.models import Channel, DeliveryAttempt, Notification


@dataclass(frozen=True)
class _Statements:
    leased: str
    settle: str  # the notification, when its lease is ours
    settle_test: str  # a test notification, which has no lease
    insert_attempt: str
    channel_ok: str
    channel_failed: str
    channel_disabled: str


_compiled: dict[str, _Statements] = {}

# Identifiers come only from model metadata, quoted by the backend; every
# value is a bound parameter (hence the S608 exemptions).


def _compile(conn: BaseDatabaseWrapper) -> _Statements:
    qn = conn.ops.quote_name
    notification = qn(Notification._meta.db_table)
    attempt = qn(DeliveryAttempt._meta.db_table)
    channel = qn(Channel._meta.db_table)
    settle = (
        f"UPDATE {notification} SET {qn('error')} = %s, {qn('attempts')} = %s, "  # noqa: S608
        f"{qn('next_attempt')} = %s, {qn('lease')} = NULL WHERE {qn('id')} = %s"
    )
    channel_set = (
        f"UPDATE {channel} SET {qn('last_notify')} = %s, "  # noqa: S608
        f"{qn('last_notify_duration')} = %s, {qn('last_error')} = %s, "
    )
    failures = qn("failures")
    return _Statements(
        leased=f"SELECT 1 FROM {notification} WHERE {qn('id')} = %s AND {qn('lease')} = %s",  # noqa: S608
        settle=f"{settle} AND {qn('lease')} = %s",
        settle_test=settle,
        insert_attempt=(
            f"INSERT INTO {attempt} ({qn('notification_id')}, {qn('started')}, "  # noqa: S608
            f"{qn('duration')}, {qn('error')}) VALUES (%s, %s, %s, %s)"
        ),
        channel_ok=f"{channel_set}{failures} = 0 WHERE {qn('id')} = %s",
        channel_failed=f"{channel_set}{failures} = {failures} + 1 WHERE {qn('id')} = %s",
        channel_disabled=(
            f"{channel_set}{failures} = {failures} + 1, {qn('disabled')} = %s WHERE {qn('id')} = %s"
        ),
    )


def _prep(model: type[Any], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _statements() -> _Statements:
    sql = _compiled.get(connection.vendor)
    if sql is None:
        sql = _compiled[connection.vendor] = _compile(connection)
    return sql


def is_leased(notification: Notification, token: uuid.UUID) -> bool:
    """Whether the row still exists and its lease is still `token`."""
    with connection.cursor() as cursor:
        cursor.execute(_statements().leased, [notification.id, _prep(Notification, "lease", token)])
        return cursor.fetchone() is not None


def record_outcome(
    notification: Notification,
    token: uuid.UUID | None,
    *,
    attempts: int,
    error: str,
    next_attempt: datetime | None,
    started: datetime,
    duration: timedelta,
    permanent: bool,
) -> bool:
    """Settle the notification, log the attempt, update the channel's health.

    False (and nothing written) when the row is gone or, with a token, its
    lease is no longer ours.
    """
    sql = _statements()
    settle_params = [
        _prep(Notification, "error", error),
        attempts,
        _prep(Notification, "next_attempt", next_attempt),
        notification.id,
    ]
    started_db = _prep(Channel, "last_notify", started)
    duration_db = _prep(Channel, "last_notify_duration", duration)
    with transaction.atomic(), connection.cursor() as cursor:
        if token is None:
            cursor.execute(sql.settle_test, settle_params)
        else:
            cursor.execute(sql.settle, [*settle_params, _prep(Notification, "lease", token)])
        if cursor.rowcount != 1:
            return False
        cursor.execute(sql.insert_attempt, [notification.id, started_db, duration_db, error])
        # Only these fields: a user may be editing the channel right now.
        health = [started_db, duration_db, error]
        if not error:
            cursor.execute(sql.channel_ok, [*health, notification.channel_id])
        elif permanent:
            disabled = _prep(Channel, "disabled", True)
            cursor.execute(sql.channel_disabled, [*health, disabled, notification.channel_id])
        else:
            cursor.execute(sql.channel_failed, [*health, notification.channel_id])
    return True

"""The ping path's three statements, compiled once per database connection.

Profiling showed the ORM spending most of a ping's CPU time compiling the same
three statements (lock the check, update it, insert the ping) on every
request: about 1.8 ms against 0.5 ms for executing them. Here the SQL is built
once from the model metadata, and values go through the same per-backend
preparation and conversion functions the ORM uses, so behaviour on SQLite,
PostgreSQL and MariaDB is unchanged; only the repeated compilation is gone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from hc.accounts.models import Project
from hc.api.models import Check, Ping

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass
class _Compiled:
    select_check: str
    select_by_slug: str
    check_fields: list[Field[Any, Any]]
    check_attnames: list[str]
    # (column index, expression, converters) for columns that need converting.
    check_converters: list[tuple[int, Any, list[Converter]]]
    ping_fields: list[Field[Any, Any]]
    insert_ping: str
    updates: dict[tuple[str, ...], str] = field(default_factory=dict)


_compiled: dict[str, _Compiled] = {}


# Identifiers in these statements come only from model metadata, quoted by the
# backend; every value is a bound parameter (hence the S608 exemptions).


def _compile(conn: BaseDatabaseWrapper) -> _Compiled:
    qn = conn.ops.quote_name
    table = Check._meta.db_table
    check_fields = list(Check._meta.concrete_fields)
    columns = ", ".join(qn(f.column) for f in check_fields)
    select = f"SELECT {columns} FROM {qn(table)} WHERE {qn('code')} = %s"  # noqa: S608
    if conn.features.has_select_for_update:
        select += " FOR UPDATE"

    converters = []
    for i, f in enumerate(check_fields):
        expression = f.get_col(table)
        funcs = conn.ops.get_db_converters(expression) + expression.get_db_converters(conn)
        if funcs:
            converters.append((i, expression, funcs))

    # Only the check rows are locked: the project is matched in a subquery.
    key_match = f"{qn('ping_key')} = %s"
    if conn.vendor == "mysql":
        # MariaDB's default collation ignores case, but ping keys are exact;
        # the plain equality keeps the index usable.
        key_match += f" AND {qn('ping_key')} = BINARY %s"
    projects = f"SELECT {qn('id')} FROM {qn(Project._meta.db_table)} WHERE {key_match}"  # noqa: S608
    by_slug = (
        f"SELECT {columns} FROM {qn(table)} "  # noqa: S608
        f"WHERE {qn('project_id')} IN ({projects}) AND {qn('slug')} = %s LIMIT 2"
    )
    if conn.features.has_select_for_update:
        by_slug += " FOR UPDATE"

    ping_fields = [f for f in Ping._meta.concrete_fields if not f.primary_key]
    ping_columns = ", ".join(qn(f.column) for f in ping_fields)
    placeholders = ", ".join(["%s"] * len(ping_fields))
    insert = f"INSERT INTO {qn(Ping._meta.db_table)} ({ping_columns}) VALUES ({placeholders})"  # noqa: S608

    return _Compiled(
        select_check=select,
        select_by_slug=by_slug,
        check_fields=check_fields,
        check_attnames=[f.attname for f in check_fields],
        check_converters=converters,
        ping_fields=ping_fields,
        insert_ping=insert,
    )


def _for_connection() -> _Compiled:
    key = f"{connection.alias}:{connection.vendor}"
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = _compile(connection)
    return compiled


def _prepared(obj: Model, fields: Sequence[Field[Any, Any]]) -> list[Any]:
    return [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]


def _checks(compiled: _Compiled, sql: str, params: list[Any]) -> list[Check]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    checks = []
    for row in rows:
        values = list(row)
        for i, expression, funcs in compiled.check_converters:
            for func in funcs:
                values[i] = func(values[i], expression, connection)
        checks.append(Check.from_db(connection.alias, compiled.check_attnames, values))
    return checks


def lock_check(code: uuid.UUID) -> Check | None:
    """Fetch the check with this UUID and lock its row until the transaction ends."""
    compiled = _for_connection()
    code_param = _field("code").get_db_prep_value(code, connection)
    checks = _checks(compiled, compiled.select_check, [code_param])
    return checks[0] if checks else None


def lock_checks_by_slug(ping_key: str, slug: str) -> list[Check]:
    """Up to two checks with this slug in the project with this ping key, locked."""
    compiled = _for_connection()
    keys = [ping_key, ping_key] if connection.vendor == "mysql" else [ping_key]
    return _checks(compiled, compiled.select_by_slug, [*keys, slug])


def _field(name: str) -> Field[Any, Any]:
    f = Check._meta.get_field(name)
    assert isinstance(f, Field)
    return f


def update_check(check: Check, field_names: Sequence[str]) -> None:
    """UPDATE these fields of the check, like save(update_fields=...)."""
    compiled = _for_connection()
    key = tuple(field_names)
    fields = [_field(name) for name in key]
    sql = compiled.updates.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        sql = compiled.updates[key] = (
            f"UPDATE {qn(Check._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"  # noqa: S608
        )
    params = [*_prepared(check, fields), check.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_ping(ping: Ping) -> None:
    """INSERT the ping row (its id is not read back: nothing needs it)."""
    compiled = _for_connection()
    with connection.cursor() as cursor:
        cursor.execute(compiled.insert_ping, _prepared(ping, compiled.ping_fields))

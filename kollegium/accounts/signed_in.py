"""The signed-in person, read in the same statement as their session.

Every signed-in request needs the session and the person (the home page also needs the
person's home version, and every page's header their number of unread notifications). The
session store reads them all with one fixed SQL statement and leaves the person here; the
sign-in backend's `get_user` takes them from here instead of asking the database again. Only
the same request can take them: the store replaces them on every read and the backend takes
them once, for the id the session names.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections

from kollegium.core.models import HomeVersion, Notification

_loaded: ContextVar[tuple[Any, Any] | None] = ContextVar("kollegium_signed_in", default=None)
_converters: dict[str, list[list[Any]]] = {}


def person_columns() -> str:
    """The person's columns as "u".column, then the home version as "home_version", then the
    number of their unread notifications (every page's header shows it) as "unread"."""
    user_opts = get_user_model()._meta
    fields = user_opts.concrete_fields
    columns = ", ".join(f'"u"."{field.column}"' for field in fields)
    unread = (
        f'(SELECT COUNT(*) FROM "{Notification._meta.db_table}" "n"'  # noqa: S608
        f' WHERE "n"."recipient_id" = "u"."{user_opts.pk.column}" AND "n"."read_at" IS NULL)'
    )
    return f'{columns}, "hv"."version" AS "home_version", {unread} AS "unread"'


def person_joins(person_id_column: str) -> str:
    """Joins that bring the person ("u") and their home version ("hv") to a statement."""
    user_model = get_user_model()
    return (
        f' LEFT JOIN "{user_model._meta.db_table}" "u"'
        f' ON "u"."{user_model._meta.pk.column}" = {person_id_column}'
        f' LEFT JOIN "{HomeVersion._meta.db_table}" "hv" ON "hv"."user_id" = {person_id_column}'
    )


def person_by_id_statement() -> str:
    """The person and their home version by id (when the session store did not read them)."""
    opts = get_user_model()._meta
    return (
        f'SELECT {person_columns()} FROM "{opts.db_table}" "u"'  # noqa: S608
        f' LEFT JOIN "{HomeVersion._meta.db_table}" "hv" ON "hv"."user_id" = "u"."{opts.pk.column}"'
        f' WHERE "u"."{opts.pk.column}" = %s'
    )


def person_from_row(values: tuple[Any, ...] | list[Any], alias: str) -> Any:
    """The person from the person columns (then the home version), or None if there is none."""
    user_model = get_user_model()
    fields = user_model._meta.concrete_fields
    if values[0] is None:
        return None
    converters = _converters.get(alias)
    if converters is None:
        connection = connections[alias]
        converters = []
        for field in fields:
            column = field.get_col(user_model._meta.db_table)
            converters.append(
                connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            )
        _converters[alias] = converters
    row = []
    for field, value, convert in zip(fields, values, converters, strict=False):
        for converter in convert:
            value = converter(value, field, connections[alias])
        row.append(value)
    person = user_model.from_db(alias, [field.attname for field in fields], row)
    person.home_version = values[len(fields)]  # type: ignore[attr-defined]
    person.unread_notifications = values[len(fields) + 1]  # type: ignore[attr-defined]
    return person


def leave(person_id: Any, person: Any) -> None:
    _loaded.set((person_id, person) if person is not None else None)


def take(person_id: Any) -> Any:
    """The person the session store read in this request, if it is this id (once)."""
    loaded = _loaded.get()
    _loaded.set(None)
    if loaded is None or str(loaded[0]) != str(person_id):
        return None
    return loaded[1]

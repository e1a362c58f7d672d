"""Sessions in the database, read with the signed-in person in one fixed SQL statement.

Every signed-in request reads its session and then its person. Through the ORM, building
those queries costs more than the lookups; on PostgreSQL each is also a round trip. This store
keeps the person's id on the session row (`accounts.Session`), reads the session, the person
and their home version in one fixed SQL statement, and leaves the person for the sign-in
backend (kollegium/accounts/signed_in.py). Writing, expiry and everything else is Django's.
"""

from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from kollegium.accounts import signed_in

_SESSION_PERSON = '"s"."user_id"'
_read_sql = ""


def _read_statement() -> str:
    global _read_sql
    if not _read_sql:
        from kollegium.accounts.models import Session

        _read_sql = (
            f'SELECT "s"."session_data", {signed_in.person_columns()}'  # noqa: S608
            f' FROM "{Session._meta.db_table}" "s"{signed_in.person_joins(_SESSION_PERSON)}'
            ' WHERE "s"."session_key" = %s AND "s"."expire_date" > %s'
        )
    return _read_sql


_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: Any) -> bool:
        # Only what Django makes (32 of [a-z0-9], at most the column's 40): a cookie with a
        # NUL byte or other junk is no session, never a query (PostgreSQL refuses NUL in text).
        return isinstance(key, str) and 8 <= len(key) <= 40 and _KEY_CHARACTERS.issuperset(key)

    @classmethod
    def get_model_class(cls) -> Any:
        from kollegium.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session: Any = super().create_model_instance(data)
        session.user_id = _person_id(data.get(SESSION_KEY))  # an accounts.Session
        return session

    def _get_session_from_db(self) -> Any:
        if not self.session_key:
            signed_in.leave(None, None)
            return None
        alias = router.db_for_read(self.model)
        with connections[alias].cursor() as cursor:
            cursor.execute(_read_statement(), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            signed_in.leave(None, None)
            self._session_key = None
            return None
        person = signed_in.person_from_row(row[1:], alias)
        signed_in.leave(person.pk if person is not None else None, person)
        return self.model(session_key=self.session_key, session_data=row[0])


def _person_id(value: Any) -> Any:
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None

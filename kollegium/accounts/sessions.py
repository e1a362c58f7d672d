"""Sessions in the database, read with one fixed SQL statement.

Every signed-in request reads its session. Django's database store builds that query through
the ORM each time, which costs more than the lookup itself; this store reads the same row with
prepared SQL and leaves writing, expiry and everything else to Django's store.
"""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

_READ = (
    f"SELECT session_data FROM {Session._meta.db_table}"  # noqa: S608
    " WHERE session_key = %s AND expire_date > %s"
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        if not self.session_key:
            return None
        with connections[router.db_for_read(Session)].cursor() as cursor:
            cursor.execute(_READ, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=row[0])

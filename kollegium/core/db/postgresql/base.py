"""Django's PostgreSQL backend with a health check that costs no round trip while the
connection is quiet.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before each request's first query on a kept
connection, so that a connection the server dropped (a restart, a failover) is replaced
instead of failing the request. That is a round trip on every request. A dropped connection
shows on its own socket: the server's termination message or end of file makes it readable.
So the connection is taken as usable, without asking, only when psycopg knows it as open,
healthy and idle outside a transaction, and its socket has nothing to read; in every other
case Django's own check runs.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        info = connection.info
        if info.status != pq.ConnStatus.OK or (
            info.transaction_status != pq.TransactionStatus.IDLE
        ):
            return super().is_usable()
        try:
            readable, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True

"""The PostgreSQL health check: no round trip while a kept connection is quiet, and a
connection the server dropped is still noticed."""

import time

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_a_quiet_connection_is_usable_without_asking_and_a_dropped_one_is_noticed(monkeypatch):
    if connection.vendor != "postgresql":
        # SQLite has no server to lose a connection to; it keeps Django's own backend.
        assert type(connection._connections[connection._alias]).__module__ == (
            "django.db.backends.sqlite3.base"
        )
        return
    from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

    from kollegium.core.db.postgresql.base import DatabaseWrapper

    asked: list[bool] = []
    original = DjangoWrapper.is_usable

    def counting(self):
        asked.append(True)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counting)
    probe = DatabaseWrapper({**connection.settings_dict}, alias="health-probe")
    probe.ensure_connection()
    try:
        assert probe.is_usable()
        assert asked == []  # quiet and idle: no SELECT 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [probe.connection.info.backend_pid])
        deadline = time.monotonic() + 5
        while probe.is_usable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not probe.is_usable()
        assert asked  # the socket said something, so the server was asked
    finally:
        probe.close()

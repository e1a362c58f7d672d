"""The database part of a backup: a consistent copy, its row counts and checksums, and putting
it back. SQLite uses its online backup API (safe while the app serves); PostgreSQL uses
``pg_dump`` (custom format) and ``pg_restore``, in one transaction."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from kollegium.records.backup.archive import BackupError

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
TableStats = dict[str, dict[str, Any]]


def vendor() -> str:
    return connection.vendor


def applied_migrations() -> list[str]:
    """Every migration applied to this database, as "app.name"."""
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def known_migrations() -> set[str]:
    """Every migration this version of the code has."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _digest_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        count += 1
        values = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
        digest.update(repr(values).encode())
        digest.update(b"\n")
    return count, digest.hexdigest()


def _fetch_all(cursor: Any, size: int = 2000) -> Iterable[tuple[Any, ...]]:
    while rows := cursor.fetchmany(size):
        yield from rows


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def sqlite_file_stats(path: Path) -> TableStats:
    """Row count and content checksum of every table of an SQLite file (read only)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        stats: TableStats = {}
        for table in _sqlite_tables(db):
            quoted = '"' + table.replace('"', '""') + '"'
            try:
                cursor = db.execute(f"SELECT * FROM {quoted} ORDER BY rowid")  # noqa: S608
            except sqlite3.OperationalError:  # a WITHOUT ROWID table (FTS5's own)
                width = len(db.execute(f"SELECT * FROM {quoted} LIMIT 0").description)  # noqa: S608
                order = ", ".join(str(i) for i in range(1, width + 1))
                cursor = db.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
            rows, checksum = _digest_rows(_fetch_all(cursor))
            stats[table] = {"rows": rows, "sha256": checksum}
        return stats
    finally:
        db.close()


def sqlite_integrity(path: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("The database in the backup is damaged (%(error)s).") % {"error": error}
        ) from error
    if not result or result[0] != "ok":
        raise BackupError(
            _("The database in the backup is damaged (%(error)s).") % {"error": result}
        )


def sqlite_copy(target: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup API: other connections
    keep reading and writing meanwhile)."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def sqlite_replace(source: Path) -> None:
    """Replaces the live database's content with the file's, page by page in one step."""
    connection.close()
    connection.ensure_connection()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()
    connection.close()


def sqlite_live_stats(workdir: Path) -> TableStats:
    """The live database's stats, read from a fresh copy (the same reader as the backup's)."""
    copy = workdir / "check.sqlite3"
    sqlite_copy(copy)
    try:
        return sqlite_file_stats(copy)
    finally:
        copy.unlink(missing_ok=True)


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    pairs = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client (postgresql-client).")
            % {"tool": name}
        )
    return path


def _run(arguments: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed tool, an argument list)
        arguments, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(arguments[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _pg_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    """Tables of the current schema with their primary key columns."""
    cursor.execute(
        """
        SELECT c.relname,
               COALESCE(array_agg(a.attname ORDER BY array_position(i.indkey, a.attnum))
                        FILTER (WHERE a.attname IS NOT NULL), '{}')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
        WHERE c.relkind IN ('r', 'p')
        GROUP BY c.relname
        ORDER BY c.relname
        """
    )
    return [(name, list(keys)) for name, keys in cursor.fetchall()]


def pg_stats(cursor: Any) -> TableStats:
    quote = connection.ops.quote_name
    stats: TableStats = {}
    for table, keys in _pg_tables(cursor):
        if keys:
            order = ", ".join(quote(k) for k in keys)
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            rows, checksum = _digest_rows(_fetch_all(cursor))
            stats[table] = {"rows": rows, "sha256": checksum}
        else:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608
            stats[table] = {"rows": cursor.fetchone()[0], "sha256": None}
    return stats


def pg_dump(target: Path) -> TableStats:
    """``pg_dump`` of the database, and the stats of exactly what it saw: both read the same
    snapshot, exported from a read-only repeatable-read transaction."""
    tool = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        stats = pg_stats(cursor)
        _run([tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return stats


def pg_verify(source: Path) -> None:
    """``pg_restore --list``: the file is a custom-format dump it can read."""
    _run([_pg_tool("pg_restore"), "--list", str(source)])


def pg_replace(source: Path) -> None:
    """Replaces the database's tables with the dump's, in one transaction (all or nothing)."""
    tool = _pg_tool("pg_restore")
    connection.close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


def pg_live_stats() -> TableStats:
    with transaction.atomic(), connection.cursor() as cursor:
        return pg_stats(cursor)

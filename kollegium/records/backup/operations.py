"""Making a backup, verifying one, restoring it and checking the result (the commands' work)."""

from __future__ import annotations

import getpass
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.services import audit_record
from kollegium.records.backup import database, media, store
from kollegium.records.backup.archive import (
    FORMAT,
    MEDIA_PREFIX,
    VERSION,
    BackupError,
    Member,
    RestoreIncomplete,
    extract_verified,
    read_manifest,
    write_archive,
)

Say = Callable[[str], None]


def _quiet(_text: str) -> None:
    return None


def _operator() -> str:
    """The system account that ran the command (backups and restores have no signed-in person)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _audit(action: str, **data: Any) -> None:
    """Backups and restores are in the audit log (a restore's entry is written after the
    restore, into the restored database, so it survives it)."""
    audit_record(actor=None, action=action, data={**data, "operator": _operator()})


@dataclass
class BackupResult:
    location: str
    manifest: dict[str, Any]


def backup_create(*, destination: str, say: Say = _quiet) -> BackupResult:
    """Writes an archive of the database and the media files to a folder or S3 address."""
    vendor = database.vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix="kollegium-backup-") as tmp:
        work = Path(tmp)
        say(_("Copying the database…"))
        if vendor == "sqlite":
            dump = work / database.SQLITE_FILE
            database.sqlite_copy(dump)
            tables = database.sqlite_file_stats(dump)
        else:
            dump = work / database.POSTGRES_FILE
            tables = database.pg_dump(dump)
        say(_("Copying the uploaded files…"))
        members = [Member(dump.name, dump), *media.copy_out(work)]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": vendor, "file": dump.name},
            "migrations": database.applied_migrations(),
            "tables": tables,
            "media": sorted(m.name[len(MEDIA_PREFIX) :] for m in members[1:]),
            "software": {"django": django.get_version()},
        }
        archive = work / f"kollegium-backup-{stamp}.tar.gz"
        say(_("Writing the archive…"))
        manifest = write_archive(archive, manifest, members)
        location = store.put(archive, destination)
        say(_("Backup written to %(location)s.") % {"location": location})
        _audit(
            "records.backup_made",
            location=location,
            tables=len(tables),
            rows=sum(int(t["rows"]) for t in tables.values()),
            files=len(members) - 1,  # the database file is the first member
        )
        return BackupResult(location, manifest)


@dataclass
class Verified:
    manifest: dict[str, Any]
    folder: Path


def _check_compatible(manifest: dict[str, Any]) -> None:
    db = manifest.get("database")
    if not isinstance(db, dict) or db.get("file") not in (
        database.SQLITE_FILE,
        database.POSTGRES_FILE,
    ):
        raise BackupError(_("The backup's manifest is damaged."))
    vendor = database.vendor()
    if db.get("vendor") != vendor:
        raise BackupError(
            _("This backup is of a %(theirs)s database; this installation uses %(ours)s.")
            % {"theirs": db.get("vendor"), "ours": vendor}
        )
    migrations = manifest.get("migrations")
    tables = manifest.get("tables")
    if not isinstance(migrations, list) or not isinstance(tables, dict):
        raise BackupError(_("The backup's manifest is damaged."))
    unknown = sorted(set(map(str, migrations)) - database.known_migrations())
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer version of Kollegium (its database has "
                "changes this version does not know: %(names)s). Upgrade first."
            )
            % {"names": ", ".join(unknown[:3])}
        )


def backup_verify(*, source: Path, into: Path) -> Verified:
    """Everything is checked and unpacked into ``into``, nothing else touched: the manifest
    (a Kollegium backup of a format, database and schema this installation can take), every
    file's checksum, and the database file itself."""
    manifest = read_manifest(source)
    _check_compatible(manifest)
    extract_verified(source, manifest, into)
    dump = into / manifest["database"]["file"]
    if not dump.is_file():
        raise BackupError(_("The backup has no database."))
    if manifest["database"]["vendor"] == "sqlite":
        database.sqlite_integrity(dump)
        if database.sqlite_file_stats(dump) != manifest["tables"]:
            raise BackupError(_("The database in the backup does not match its manifest."))
    else:
        database.pg_verify(dump)
    listed = manifest.get("media")
    if not isinstance(listed, list) or any(
        f"{MEDIA_PREFIX}{name}" not in manifest["files"] for name in listed
    ):
        raise BackupError(_("The backup's manifest is damaged."))
    return Verified(manifest, into)


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def restore_check(manifest: dict[str, Any], *, media_folder: Path | None = None) -> CheckResult:
    """Compares the live database's row counts and checksums, and the stored files'
    checksums, with the manifest."""
    result = CheckResult()
    with tempfile.TemporaryDirectory(prefix="kollegium-check-") as tmp:
        live = (
            database.sqlite_live_stats(Path(tmp))
            if database.vendor() == "sqlite"
            else database.pg_live_stats()
        )
    expected: dict[str, Any] = manifest["tables"]
    for table in sorted(set(expected) | set(live)):
        want, have = expected.get(table), live.get(table)
        if want is None or have is None:
            result.problems.append(_("Table %(table)s is only on one side.") % {"table": table})
            continue
        result.tables += 1
        result.rows += int(have["rows"])
        if want["rows"] != have["rows"]:
            result.problems.append(
                _("Table %(table)s has %(have)s rows; the backup had %(want)s.")
                % {"table": table, "have": have["rows"], "want": want["rows"]}
            )
        elif want.get("sha256") != have.get("sha256"):
            result.problems.append(
                _("Table %(table)s has other content than the backup.") % {"table": table}
            )
    stored = media.checksums()
    files: dict[str, Any] = manifest["files"]
    for name in sorted(set(manifest.get("media", [])) | set(stored)):
        want = files.get(MEDIA_PREFIX + name, {}).get("sha256")
        if stored.get(name) != want:
            result.problems.append(_("The file %(name)s differs from the backup.") % {"name": name})
        else:
            result.files += 1
    return result


def backup_restore(*, source: str, check: bool = False, say: Say = _quiet) -> CheckResult | None:
    """Verifies the archive completely, then replaces the database and the media files with
    its content; with ``check``, compares the result with the manifest afterwards."""
    with tempfile.TemporaryDirectory(prefix="kollegium-restore-") as tmp:
        work = Path(tmp)
        try:
            archive = store.fetch(source, work)
            say(_("Verifying the backup…"))
            verified = backup_verify(source=archive, into=work / "content")
        except (BackupError, OSError) as error:
            # Nothing was touched: the refusal is recorded in the database as it is.
            _audit("records.restore_refused", source=source, error=str(error)[:300])
            raise
        manifest = verified.manifest
        dump = verified.folder / manifest["database"]["file"]
        try:
            say(_("Restoring the database…"))
            if manifest["database"]["vendor"] == "sqlite":
                database.sqlite_replace(dump)
            else:
                database.pg_replace(dump)
            say(_("Restoring the uploaded files…"))
            media.replace_all(verified.folder / MEDIA_PREFIX.rstrip("/"), list(manifest["media"]))
        except (BackupError, OSError) as error:
            raise RestoreIncomplete(
                _("The restore stopped after it had begun (%(error)s); run it again to finish.")
                % {"error": error}
            ) from error
        say(_("Restored the backup of %(when)s.") % {"when": manifest.get("created_at", "?")})
    restored = {"source": source, "backup_made_at": manifest.get("created_at", "")}
    if not check:
        _audit("records.backup_restored", **restored)
        return None
    say(_("Comparing row counts and checksums…"))
    result = restore_check(manifest)  # before the entry below: it would be a difference
    _audit(
        "records.backup_restored",
        **restored,
        checked=True,
        differences=len(result.problems),
        tables=result.tables,
        rows=result.rows,
        files=result.files,
    )
    return result

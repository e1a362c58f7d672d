"""`kollegium restore ARCHIVE [--check] [--verify-only]`: put a backup back.

The archive is verified completely first (a Kollegium backup of this database engine and a
schema this version knows, every checksum); a corrupt or foreign file is refused before the
database or any file is touched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kollegium.records.backup import store
from kollegium.records.backup.archive import BackupError, RestoreIncomplete
from kollegium.records.backup.operations import backup_restore, backup_verify


def _silent(_text: str) -> None:
    return None


class Command(BaseCommand):
    help = "Restore a backup made by `kollegium backup` (replaces the database and the files)."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The archive: a file, or s3://bucket/key.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="After restoring, compare row counts and checksums with the backup's manifest.",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only verify the archive; change nothing.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=["sv", "en"])

    def _say(self, text: str) -> None:
        self.stdout.write(text)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            try:
                self._handle(options)
            except RestoreIncomplete as error:
                raise CommandError(str(error)) from error
            except (BackupError, OSError) as error:
                raise CommandError(
                    _("Nothing was restored: %(error)s") % {"error": error}
                ) from error

    def _handle(self, options: dict[str, Any]) -> None:
        say = self._say if options["verbosity"] > 0 else _silent
        source = options["archive"]
        if options["verify_only"]:
            with tempfile.TemporaryDirectory(prefix="kollegium-verify-") as tmp:
                archive = store.fetch(source, Path(tmp))
                verified = backup_verify(source=archive, into=Path(tmp) / "content")
            say(
                _("The backup of %(when)s is complete and can be restored here.")
                % {"when": verified.manifest.get("created_at", "?")}
            )
            return
        if options["interactive"]:
            answer = input(
                _("This replaces the whole database and all uploaded files. Type 'yes' to go on: ")
            )
            if answer.strip().lower() not in ("yes", "ja"):
                raise CommandError(_("Restore cancelled."))
        result = backup_restore(source=source, check=options["check"], say=say)
        if result is None:
            return
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(
                _("The restored data does not match the backup (%(count)s differences).")
                % {"count": len(result.problems)}
            )
        say(
            _(
                "Check passed: %(tables)s tables, %(rows)s rows and %(files)s files match "
                "the backup."
            )
            % {"tables": result.tables, "rows": result.rows, "files": result.files}
        )

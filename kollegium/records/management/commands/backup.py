"""`kollegium backup --to FOLDER|s3://bucket/prefix`: the database and the uploaded files."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kollegium.records.backup.archive import BackupError
from kollegium.records.backup.operations import backup_create


def _silent(_text: str) -> None:
    return None


class Command(BaseCommand):
    help = "Back up the database and the uploaded files to a folder or an S3-compatible store."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            dest="destination",
            default=os.environ.get(
                "BACKUP_DESTINATION", str(settings.BASE_DIR / "var" / "backups")
            ),
            help="A folder, or s3://bucket/prefix (default: $BACKUP_DESTINATION or var/backups).",
        )
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=["sv", "en"])

    def _say(self, text: str) -> None:
        self.stdout.write(text)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            say = self._say if options["verbosity"] > 0 else _silent
            try:
                result = backup_create(destination=options["destination"], say=say)
            except (BackupError, OSError) as error:
                raise CommandError(_("The backup failed: %(error)s") % {"error": error}) from error
            tables = result.manifest["tables"]
            rows = sum(int(t["rows"]) for t in tables.values())
            say(
                _("%(tables)s tables, %(rows)s rows, %(files)s files.")
                % {"tables": len(tables), "rows": rows, "files": len(result.manifest["media"])}
            )
            # The last line is the archive's address alone, for scripts (cron, a copy job).
            self.stdout.write(result.location)

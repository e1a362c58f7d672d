"""`kollegium sync_ss12000`: sync people, schools, roles and teams from SS 12000 sources.

    kollegium sync_ss12000 --source 3 --dry-run   # show what would change
    kollegium sync_ss12000 --source 3             # apply (after a dry run)
    kollegium sync_ss12000 --scheduled            # cron: a delta of every enabled source

Progress is drawn in the terminal as on the administrator's page.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.directory import selectors, services
from kollegium.directory.models import DirectorySource, SyncRun


class Command(BaseCommand):
    help = "Sync people, schools, roles and teams from SS 12000 sources."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, help="The source's id (see the admin page).")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would change.")
        parser.add_argument(
            "--full", action="store_true", help="Read everything, not only changes."
        )
        parser.add_argument(
            "--scheduled", action="store_true", help="A delta of every enabled source (cron)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scheduled"]:
            runs = [run.pk for run in services.sync_due_sources(enqueue=False)]
            for run in SyncRun.objects.filter(pk__in=runs, status=SyncRun.Status.QUEUED):
                self._run(run)
            self.stdout.write(f"{len(runs)} source(s) synced.")
            return
        if options["source"] is None:
            for source in selectors.sources():
                self.stdout.write(f"{source.pk}\t{source.owner}\t{source.name}\t{source.base_url}")
            raise CommandError("Choose a source with --source ID (listed above).")
        try:
            source = DirectorySource.objects.get(pk=options["source"])
        except DirectorySource.DoesNotExist:
            raise CommandError(f"No source with id {options['source']}.") from None
        try:
            with transaction.atomic():
                run = services.sync_request(
                    actor=None,
                    source=source,
                    dry_run=options["dry_run"],
                    full=options["full"],
                    enqueue=False,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self._run(run)
        run.refresh_from_db()
        self._report(run)
        if run.status == SyncRun.Status.FAILED:
            raise CommandError(selectors.reason_text(run.error_code, run.error_params))

    def _run(self, run: SyncRun) -> None:
        services.sync_execute(run, on_progress=self._draw)
        sys.stdout.flush()

    def _draw(self, run: SyncRun) -> None:
        width = 30
        filled = int(width * run.percent / 100)
        label = str(selectors.PHASE_LABELS.get(run.phase, _("Done")))
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {run.percent:3d}% {label:<30}", ending=""
        )
        if run.is_finished:
            self.stdout.write("")

    def _report(self, run: SyncRun) -> None:
        self.stdout.write("")
        for key, label in selectors.COUNT_LABELS.items():
            self.stdout.write(f"{label}: {run.count(key)}")
        for refusal in selectors.run_refusals(run, limit=50):
            self.stdout.write(f"  {refusal['kind']} {refusal['remote_id']}: {refusal['reason']}")
        if run.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))

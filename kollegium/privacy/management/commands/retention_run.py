"""`kollegium retention_run`: the nightly retention run, for cron (docs/features/privacy.md).

Removes what is older than each owner's retention rules, schedules the erasure of accounts
deactivated for longer than the rule, removes old exports, carries out the erasures whose
grace period is over (and finishes any that stopped halfway), and logs the counts.
"""

from typing import Any

from django.core.management.base import BaseCommand

from kollegium.privacy.models import RETENTION_KINDS
from kollegium.privacy.services import retention_run


class Command(BaseCommand):
    help = "Apply the retention rules and carry out due erasures (run nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        def echo(kind: str, count: int) -> None:
            if count:
                self.stdout.write(f"  {RETENTION_KINDS.get(kind, kind)}: {count}")

        run = retention_run(echo=echo)
        total = sum(run.counts.values())
        self.stdout.write(self.style.SUCCESS(f"Retention run {run.pk}: {total} removed or erased."))

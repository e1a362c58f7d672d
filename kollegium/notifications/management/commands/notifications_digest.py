"""Send the daily or weekly notification digests.

Run from cron: ``kollegium notifications_digest --period daily`` each morning and
``kollegium notifications_digest --period weekly`` on Monday mornings. Safe to run again:
each person gets at most one digest per period (kollegium/notifications/services.py).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kollegium.core.tasks import enqueue_on_commit
from kollegium.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly notification digests (one email per person and period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        # Outside a transaction this enqueues at once (immediate backend: runs now; the
        # database backend: the worker sends them).
        enqueue_on_commit(send_digests, period=options["period"])
        self.stdout.write(f"Enqueued the {options['period']} digests.")

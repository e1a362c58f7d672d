"""Enqueue the learning-group reminders (meetings tomorrow, commitments past their date).

Run from cron, e.g. every 15 minutes: ``kollegium groups_send_reminders``.
"""

from django.core.management.base import BaseCommand

from kollegium.core.tasks import enqueue_on_commit
from kollegium.groups.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue reminders for upcoming group meetings and commitments past their date."

    def handle(self, *args: object, **options: object) -> None:
        # A command runs outside a transaction, so this enqueues at once; the helper keeps
        # the one rule for every task (never inside a caller's transaction).
        enqueue_on_commit(send_due_reminders)
        self.stdout.write("Enqueued the reminder task.")

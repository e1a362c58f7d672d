"""Enqueue the learning-group reminders (meetings tomorrow, commitments past their date).

Run from cron, e.g. every 15 minutes: ``kollegium groups_send_reminders``.
"""

from django.core.management.base import BaseCommand

from kollegium.groups.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue reminders for upcoming group meetings and commitments past their date."

    def handle(self, *args: object, **options: object) -> None:
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Enqueued reminder task {result.id} ({result.status}).")

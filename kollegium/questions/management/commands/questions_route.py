"""Route the anonymous questions asked in hours that have ended.

Run from cron once an hour, a few minutes past: ``5 * * * *  kollegium questions_route``.
Anonymous questions are not routed at the moment of asking, so that no routing row,
notification, email or home-page change carries that moment (docs/features/competence.md).
"""

from django.core.management.base import BaseCommand

from kollegium.core.tasks import enqueue_on_commit
from kollegium.questions.tasks import route_waiting_questions


class Command(BaseCommand):
    help = "Route the anonymous questions asked in hours that have ended (run hourly)."

    def handle(self, *args: object, **options: object) -> None:
        enqueue_on_commit(route_waiting_questions)
        self.stdout.write("Enqueued the routing of waiting anonymous questions.")

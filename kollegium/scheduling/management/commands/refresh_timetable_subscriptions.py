"""Fetch every saved timetable subscription again (run it nightly from cron or a timer).

Each person's subscription is refreshed through the same service as the "Fetch again" button,
so the SSRF policy, the limits and the all-or-nothing import apply; a failure is stored on the
subscription and shown to its owner, and the others go on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from kollegium.organisations.actor import as_actor
from kollegium.scheduling import services
from kollegium.scheduling.models import TimetableSubscription


class Command(BaseCommand):
    help = "Fetch all timetable subscription URLs again."

    def handle(self, *args: Any, **options: Any) -> None:
        refreshed = failed = 0
        subscriptions = TimetableSubscription.objects.select_related("user").filter(
            user__is_active=True
        )
        for subscription in subscriptions.iterator():
            try:
                services.timetable_subscription_refresh(actor=as_actor(subscription.user))
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"{subscription.user_id}: {'; '.join(error.messages)}")
            else:
                refreshed += 1
        self.stdout.write(f"refreshed {refreshed}, failed {failed}")

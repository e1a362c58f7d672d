"""`kollegium federation_refresh`: fetch and verify the federation's metadata feeds.

    kollegium federation_refresh            # every feed (cron, e.g. hourly)
    kollegium federation_refresh --feed 1   # one feed

A feed that fails verification is refused; sign-in goes on with the last verified one. The
command exits with an error when any feed was refused, so cron mails the operator.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kollegium.federation import selectors, services
from kollegium.federation.models import FederationFeed


class Command(BaseCommand):
    help = "Fetch and verify the federation's metadata feeds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed", type=int, help="The feed's id (see the admin page).")

    def handle(self, *args: Any, **options: Any) -> None:
        feeds = FederationFeed.objects.defer("metadata").order_by("pk")
        if options["feed"] is not None:
            feeds = feeds.filter(pk=options["feed"])
            if not feeds.exists():
                raise CommandError(f"No feed with id {options['feed']}.")
        failed = 0
        for feed in feeds:
            refreshed = services.feed_refresh(actor=None, feed=feed)
            if refreshed.status == FederationFeed.Status.OK:
                self.stdout.write(f"{feed.pk}\t{feed.name}\tok\t{len(refreshed.idps)} IdPs")
            else:
                failed += 1
                text = selectors.reason(
                    selectors.FEED_ERRORS, refreshed.error_code, refreshed.error_params
                )
                self.stderr.write(f"{feed.pk}\t{feed.name}\trefused\t{text}")
        if failed:
            raise CommandError(f"{failed} feed(s) refused; the last verified metadata is kept.")

"""Rebuild the library's search index from the items (``search.rebuild_index``)."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Rebuild the library's search index from the items: after a bulk load that bypassed "
        "the services, or after an upgrade of the stemmer or the database's dictionaries."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from kollegium.library.search import rebuild_index

        written = rebuild_index()
        self.stdout.write(f"library search index rebuilt: {written} items")

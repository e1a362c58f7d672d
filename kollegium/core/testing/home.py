"""The home page as rendered, for tests that count its queries."""

from typing import Any

from django.core.cache import caches
from django.test import Client

from kollegium.core.homepage import CACHE_ALIAS


def get_home_rendered(client: Client) -> Any:
    """GET / with the home cache emptied first, so the page is rendered, not served kept."""
    caches[CACHE_ALIAS].clear()
    return client.get("/")

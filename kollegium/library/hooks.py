from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core.acting import ActingPerson
from kollegium.core.registry import (
    NavItem,
    SearchKind,
    SearchResult,
    register_nav_item,
    register_publisher,
    register_search_kind,
)
from kollegium.library.models import Item
from kollegium.library.services import item_publish_from_source
from kollegium.organisations.actor import as_actor
from kollegium.organisations.current import current_membership

#: How long after joining a school the "Start here" link stays in the navigation.
NEWCOMER_DAYS = 90


def joined_recently(request: HttpRequest) -> bool:
    """True for people who joined their current school in the last ``NEWCOMER_DAYS`` days.

    Counted in whole days, so the link comes and goes at midnight (the home page is cached
    until then). Uses the membership already loaded for the page (no extra query).
    """
    membership = current_membership(request)
    if membership is None:
        return False
    joined = membership.start_date or timezone.localdate(membership.created_at)
    return timezone.localdate() - joined <= timedelta(days=NEWCOMER_DAYS)


register_nav_item(NavItem("library:index", _("Library"), order=40, match_prefix="/library/"))
register_nav_item(
    NavItem(
        "library:start_here",
        _("Start here"),
        order=41,
        match_prefix="/library/start-here/",
        visible=joined_recently,
    )
)


def _publish(*, actor: ActingPerson, **values: Any) -> Item:
    # Core hands over whoever acts; the library's service takes the Actor.
    return item_publish_from_source(actor=as_actor(actor), **values)


# Groups publish their proven practice through core's registry, without importing the library.
register_publisher(_publish)


def _search(person: ActingPerson, raw: str, limit: int) -> tuple[list[SearchResult], int]:
    """The library's part of the one search box: the same search as the library's page."""
    from kollegium.library.selectors import Filters, search_items

    page = search_items(user=as_actor(person), raw=raw, filters=Filters())
    results = [
        SearchResult(
            title=hit.item.title, url=hit.item.get_absolute_url(),
            snippet_html=hit.snippet_html, meta=str(hit.item.get_item_type_display()),
        )
        for hit in page.hits[:limit]
    ]  # fmt: skip
    return results, page.total


def _all_results(raw: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse("library:index") + "?" + urlencode({"q": raw})


register_search_kind(SearchKind("library", _("Library"), _search, more_url=_all_results, order=40))

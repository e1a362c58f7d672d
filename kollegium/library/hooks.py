from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core.acting import ActingPerson
from kollegium.core.registry import (
    HomePanel,
    NavItem,
    SearchKind,
    SearchResult,
    register_home_panel,
    register_nav_item,
    register_publisher,
    register_search_kind,
)
from kollegium.core.textsearch import register_text_matcher
from kollegium.library.match import TextMatch
from kollegium.library.models import Item, ItemType
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


def first_week(request: HttpRequest) -> dict[str, Any] | None:
    """A new colleague's first week on the home page: fill in the profile, add the timetable,
    open "Start here", take part in a group. Shown in the first NEWCOMER_DAYS days at the
    school until every step is done (one query)."""
    from django.db.models import Exists, OuterRef

    from kollegium.accounts.models import User
    from kollegium.competence.models import SkillLevel
    from kollegium.groups.models import GroupMembership
    from kollegium.library.models import StartHereVisit
    from kollegium.scheduling.models import TimetableEntry

    if not request.user.is_authenticated or not joined_recently(request):
        return None
    membership = current_membership(request)
    assert membership is not None  # joined_recently says so
    person = OuterRef("pk")
    done = (
        User.objects.filter(pk=request.user.pk)
        .annotate(
            profile=Exists(SkillLevel.objects.filter(user_id=person)),
            timetable=Exists(TimetableEntry.objects.filter(user_id=person)),
            start_here=Exists(
                StartHereVisit.objects.filter(user_id=person, school_id=membership.school_id)
            ),
            group=Exists(GroupMembership.objects.filter(user_id=person)),
        )
        .values("profile", "timetable", "start_here", "group")
        .first()
    )
    if done is None or all(done.values()):
        return None
    return {"done": done, "left": sum(1 for value in done.values() if not value)}


register_home_panel(HomePanel("library/_first_week.html", first_week, order=1))


def _publish(*, actor: ActingPerson, **values: Any) -> Item:
    # Core hands over whoever acts; the library's service takes the Actor.
    return item_publish_from_source(actor=as_actor(actor), **values)


# Groups publish their proven practice through core's registry, without importing the library.
register_publisher(_publish)


def _search_items(
    person: ActingPerson, raw: str, limit: int, **filters: str
) -> tuple[list[SearchResult], int]:
    """The library's part of the one search box: the same search as the library's page."""
    from kollegium.library.selectors import Filters, search_items

    page = search_items(user=as_actor(person), raw=raw, filters=Filters(**filters), per_page=limit)
    results = [
        SearchResult(
            title=hit.item.title, url=hit.item.get_absolute_url(),
            snippet_html=hit.snippet_html, meta=str(hit.item.get_item_type_display()),
        )
        for hit in page.hits[:limit]
    ]  # fmt: skip
    return results, page.total


def _search(person: ActingPerson, raw: str, limit: int) -> tuple[list[SearchResult], int]:
    """Library items, but proven practice (a kind of its own, below)."""
    return _search_items(person, raw, limit, exclude_type=ItemType.PROVEN_PRACTICE)


def _search_proven_practice(
    person: ActingPerson, raw: str, limit: int
) -> tuple[list[SearchResult], int]:
    """Published proven-practice conclusions: groups publish them as library items."""
    return _search_items(person, raw, limit, item_type=ItemType.PROVEN_PRACTICE)


def _all_results(raw: str, **filters: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse("library:index") + "?" + urlencode({"q": raw, **filters})


def _all_proven_practice(raw: str) -> str:
    return _all_results(raw, item_type=ItemType.PROVEN_PRACTICE)


register_search_kind(SearchKind("library", _("Library"), _search, more_url=_all_results, order=40))
register_search_kind(
    SearchKind(
        "proven_practice", _("Proven practice"), _search_proven_practice,
        more_url=_all_proven_practice, order=45,
    )
)  # fmt: skip
# The other kinds (questions, guides, groups, skills) match what was typed the same way.
register_text_matcher(TextMatch)

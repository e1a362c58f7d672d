from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item, register_publisher
from kollegium.library.services import item_publish_from_source
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

# Groups publish their proven practice through core's registry, without importing the library.
register_publisher(item_publish_from_source)

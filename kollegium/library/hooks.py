from datetime import datetime, time, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_nav_item
from kollegium.organisations.current import current_membership

#: How long after joining a school the "Start here" link stays in the navigation.
NEWCOMER_DAYS = 90


def joined_recently(request: HttpRequest) -> bool:
    """True for people who joined their current school in the last ``NEWCOMER_DAYS`` days.

    Uses the membership already loaded for the page (no extra query).
    """
    membership = current_membership(request)
    if membership is None:
        return False
    joined = membership.created_at
    if membership.start_date:
        start = membership.start_date
        joined = timezone.make_aware(datetime.combine(start, time.min))
    return timezone.now() - joined <= timedelta(days=NEWCOMER_DAYS)


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

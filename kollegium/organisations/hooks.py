from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User
from kollegium.core.homepage import watch
from kollegium.core.registry import (
    NavItem,
    register_home_context,
    register_nav_item,
    register_school_people,
)
from kollegium.organisations.actor import actor_of
from kollegium.organisations.models import Membership, Organisation

register_nav_item(
    NavItem("organisations:my_school", _("My school"), order=90, match_prefix="/school/")
)

# A person's schools, roles and joining dates are in the navigation and decide the panels; a
# colleague joining or leaving changes who is the only one at the school who knows a skill.
watch(Membership, users=lambda m: [m.user_id], schools=lambda m: [m.school_id])
watch(Organisation, schools=lambda organisation: [organisation.pk])


def _school_people(school_ids: Iterable[int] | QuerySet) -> QuerySet:
    return Membership.objects.filter(school_id__in=school_ids).values("user_id")


def _home_frame(request: HttpRequest) -> dict[str, Any]:
    # Shown under the greeting when the person is development staff of owners, not at a school:
    # read only then (the template engine calls it), not a query on every home page.
    def staff_owners() -> Any:
        return actor_of(request).staff_owners

    return {"staff_owners": staff_owners}


# Core's home page raises the versions of a school's people, and shows the owners a person
# is development staff of, without importing this app.
register_school_people(_school_people)
register_home_context(_home_frame)


def _shown_on_home_pages(user: User, signal: dict[str, Any]) -> bool:
    # Signing in stamps last_login, which no page shows.
    update_fields = signal.get("update_fields")
    return not update_fields or not set(update_fields) <= {"last_login"}


# The person's own name and language; their name on colleagues' pages, and whether they count
# as a colleague at all (an inactive person holds no skill for the school).
watch(
    User,
    users=lambda user: [user.pk],
    schools=lambda user: Membership.objects.filter(user_id=user.pk).values("school_id"),
    when=_shown_on_home_pages,
)

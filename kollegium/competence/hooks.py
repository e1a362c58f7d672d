from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.competence.models import Skill, SkillLevel
from kollegium.competence.selectors import sole_holdings
from kollegium.core.homepage import watch
from kollegium.core.registry import HomePanel, NavItem, register_home_panel, register_nav_item
from kollegium.organisations.actor import actor_of
from kollegium.organisations.models import Membership, OwnerStaff

register_nav_item(
    NavItem("competence:profile", _("Competence"), order=10, match_prefix="/competence/")
)


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """ "You are the only one at your school who …", and for a school owner's development
    staff the way to coverage across the owner's schools (a constant number of queries)."""
    if not getattr(actor_of(request), "is_authenticated", False):
        return None
    actor = actor_of(request)
    sole, owners = sole_holdings(user=actor), actor.staff_owners
    return {"sole": sole, "owners": owners} if sole or owners else None


register_home_panel(HomePanel("competence/_home_panel.html", home_panel, order=12))


def _schools_of(user_id: int) -> Any:
    return Membership.objects.filter(user_id=user_id).values("school_id")


# One person's level can make a colleague the only one at their school, or no longer: the
# whole school is concerned. A renamed skill concerns the people who hold it.
watch(SkillLevel, schools=lambda level: _schools_of(level.user_id))
watch(Skill, users=lambda skill: SkillLevel.objects.filter(skill_id=skill.pk).values("user_id"))
# An installation administrator makes someone development staff of a school owner, or not.
watch(OwnerStaff, users=lambda staff: [staff.user_id])

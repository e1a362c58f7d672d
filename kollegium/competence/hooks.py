from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.homepage import watch
from kollegium.core.registry import HomePanel, NavItem, register_home_panel, register_nav_item
from kollegium.organisations.models import Membership, OwnerStaff

register_nav_item(
    NavItem("competence:profile", _("Competence"), order=10, match_prefix="/competence/")
)


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """ "You are the only one at your school who …", and for a school owner's development
    staff the way to coverage across the owner's schools (a constant number of queries)."""
    from kollegium.competence.selectors import sole_holdings
    from kollegium.organisations.selectors import owners_for_staff

    if not getattr(request.user, "is_authenticated", False):
        return None
    sole, owners = sole_holdings(user=request.user), owners_for_staff(request.user)
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

from typing import Any

from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from kollegium.competence.models import Skill, SkillLevel
from kollegium.competence.selectors import sole_holdings
from kollegium.core.acting import ActingPerson
from kollegium.core.homepage import watch
from kollegium.core.registry import (
    HomePanel,
    NavItem,
    SearchKind,
    SearchResult,
    register_home_panel,
    register_nav_item,
    register_search_kind,
)
from kollegium.core.textsearch import text_matcher
from kollegium.organisations.actor import actor_of, as_actor
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


register_home_panel(HomePanel("competence/_home_panel.html", home_panel, order=25))


def leader_panel(request: HttpRequest) -> dict[str, Any] | None:
    """For the school's leader: how many skills rest on one person (one query)."""
    from kollegium.competence.selectors.owner import holder_counts
    from kollegium.organisations.current import current_membership

    membership = current_membership(request)
    if membership is None or not membership.manages_school:
        return None
    single = holder_counts(school_ids=[membership.school_id]).filter(holders=1).count()
    return {"school_id": membership.school_id, "single_holder_skills": single}


# A level changed at the school already raises everyone's home there (below).
register_home_panel(
    HomePanel("competence/_leader_panel.html", leader_panel, order=30, section="leader")
)


def _schools_of(user_id: int) -> Any:
    return Membership.objects.filter(user_id=user_id).values("school_id")


# One person's level can make a colleague the only one at their school, or no longer: the
# whole school is concerned. A renamed skill concerns the people who hold it.
watch(SkillLevel, schools=lambda level: _schools_of(level.user_id))
watch(Skill, users=lambda skill: SkillLevel.objects.filter(skill_id=skill.pk).values("user_id"))
# An installation administrator makes someone development staff of a school owner, or not.
watch(OwnerStaff, users=lambda staff: [staff.user_id])


def _search_colleagues(
    person: ActingPerson, raw: str, limit: int
) -> tuple[list[SearchResult], int]:
    """The one search box: colleagues by skill, as their visibility choices allow; the
    skills are named, levels never shown (they are for finding help, not for ranking)."""
    from django.urls import reverse

    from kollegium.competence.selectors.search import colleagues_by_skill

    found, total = colleagues_by_skill(
        viewer=as_actor(person), matcher=text_matcher(raw), limit=limit
    )
    results = [
        SearchResult(
            title=c.person.full_name or c.person.email,
            url=reverse("competence:person", args=[c.person.pk]),
            snippet_html=escape(", ".join(c.skills)), meta=c.school_name,
        )
        for c in found
    ]  # fmt: skip
    return results, total


def _all_colleagues(raw: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse("competence:help") + "?" + urlencode({"q": raw})


register_search_kind(
    SearchKind("colleagues", _("Colleagues by skill"), _search_colleagues,
               more_url=_all_colleagues, order=60)
)  # fmt: skip

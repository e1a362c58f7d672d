"""Reads about schools, teams, networks and people, always scoped to the acting person."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import get_language

from kollegium.accounts.models import User
from kollegium.core.aggregates import DEFAULT_MIN_GROUP_SIZE
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Invitation,
    Membership,
    Network,
    Organisation,
    Role,
    Team,
    TeamMembership,
)


def memberships_for_user(user: Actor) -> list[Membership]:
    """The person's memberships with their schools, read once per Actor."""
    return as_actor(user).memberships


def school_ids_for_user(user: Actor) -> set[int]:
    return as_actor(user).school_ids


def network_school_ids_for_user(user: Actor) -> set[int]:
    """Schools that share at least one network with one of the person's schools (own included)."""
    return as_actor(user).network_school_ids


def managed_school_ids_for_user(user: Actor) -> set[int]:
    return as_actor(user).managed_school_ids


def membership_at(user: Actor, school_id: int | None) -> Membership | None:
    return as_actor(user).membership_at(school_id)


def owners_for_staff(user: Actor) -> list[Organisation]:
    """The school owners the person is development staff of, read once per Actor."""
    return as_actor(user).staff_owners


def owner_ids_for_staff(user: Actor) -> set[int]:
    return as_actor(user).staff_owner_ids


def min_group_size(school: Organisation) -> int:
    """The fewest people a figure shown to a leader or owner may be about (core/aggregates.py).

    It is the school owner's setting; for an owner, its own. Kept on the instance, so a page
    that asks several times reads it once (one query when the owner is not loaded).
    """
    cached = getattr(school, "_min_group_size", None)
    if cached is not None:
        return int(cached)
    if school.kind == Organisation.Kind.OWNER or school.parent_id is None:
        value = school.min_group_size
    elif "parent" in school._state.fields_cache:
        value = school.parent.min_group_size  # type: ignore[union-attr]
    else:
        value = (
            Organisation.objects.filter(pk=school.parent_id)
            .values_list("min_group_size", flat=True)
            .first()
        ) or DEFAULT_MIN_GROUP_SIZE
    school._min_group_size = value  # type: ignore[attr-defined]
    return int(value)


def owner_schools(*, owner: Organisation) -> QuerySet[Organisation]:
    """The owner's schools (skolenheter)."""
    return Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, parent=owner)


def school_overview(*, school: Organisation) -> dict[str, Any]:
    role_counts = dict(
        Membership.objects.filter(school=school)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    teams = list(
        Team.objects.filter(school=school).annotate(member_count=Count("team_memberships"))
    )
    networks = list(Network.objects.filter(network_memberships__school=school))
    focus_areas = list(DevelopmentFocus.objects.filter(school=school, is_active=True))
    return {
        "people_count": sum(role_counts.values()),
        "role_counts": [(Role(role).label, role_counts.get(role, 0)) for role in Role.values],
        "teams": teams,
        "networks": networks,
        "focus_areas": focus_areas,
        "pending_invitations": Invitation.objects.pending().filter(school=school).count(),
    }


def school_people(
    *,
    school: Organisation,
    query: str = "",
    role: str = "",
    team_id: int | None = None,
) -> QuerySet[Membership]:
    """Memberships at a school with their people, filtered; `people_rows` adds what the people
    page shows for one page of them."""
    memberships = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    if query:
        memberships = memberships.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    if role:
        memberships = memberships.filter(role=role)
    if team_id:
        memberships = memberships.filter(user__team_memberships__team_id=team_id)
    return memberships


@dataclass(slots=True)
class PersonRow:
    """One person on the people page, as plain text: the template looks nothing up per row."""

    membership_id: int
    user_id: int
    name: str
    email: str
    role: str
    role_label: str
    teams: str
    subjects: str
    ask_me_about: str
    role_url: str = ""
    remove_url: str = ""
    role_options: str = ""  # the role menu's options, this row's role chosen (safe HTML)


# What `people_rows` reads of each membership: `school_people(...).values(*PERSON_ROW_FIELDS)`.
PERSON_ROW_FIELDS = (
    "pk",
    "user_id",
    "role",
    "user__full_name",
    "user__email",
    "user__ask_me_about",
)


def people_rows(*, school: Organisation, memberships: Iterable[dict[str, Any]]) -> list[PersonRow]:
    """The people page's rows for one page of `school_people(...).values(*PERSON_ROW_FIELDS)`:
    their teams at this school and their subjects in two queries, as joined names.

    Prefetching people, teams and subjects as model instances cost more than the rest of the
    page: Django builds a queryset per person and relation, and the template then walked every
    related object (issue 10)."""
    memberships = list(memberships)
    user_ids = [m["user_id"] for m in memberships]
    teams: dict[int, list[str]] = {}
    for user_id, name in (
        TeamMembership.objects.filter(team__school=school, user_id__in=user_ids)
        .order_by("team__name")
        .values_list("user_id", "team__name")
    ):
        teams.setdefault(user_id, []).append(name)
    english = (get_language() or "sv").startswith("en")
    subjects: dict[int, list[str]] = {}
    for user_id, name_sv, name_en in (
        User.subjects.through.objects.filter(user_id__in=user_ids)
        .order_by("subject__order", "subject__name_sv")
        .values_list("user_id", "subject__name_sv", "subject__name_en")
    ):
        subjects.setdefault(user_id, []).append(name_en if english else name_sv)
    labels = {value: str(capfirst(label)) for value, label in Role.choices}
    return [
        PersonRow(
            membership_id=m["pk"],
            user_id=m["user_id"],
            name=m["user__full_name"],
            email=m["user__email"],
            role=m["role"],
            role_label=labels.get(m["role"], m["role"]),
            teams=", ".join(teams.get(m["user_id"], ())),
            subjects=", ".join(subjects.get(m["user_id"], ())),
            ask_me_about=m["user__ask_me_about"],
        )
        for m in memberships
    ]


def school_invitations(*, school: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(school=school).select_related("invited_by", "team")


def school_teams(*, school: Organisation) -> QuerySet[Team]:
    return (
        Team.objects.filter(school=school)
        .annotate(member_count=Count("team_memberships"))
        .order_by("name")
    )


def school_team_choices(*, school: Organisation) -> QuerySet[Team]:
    """The school's teams for a filter menu: id and name, no member count."""
    return Team.objects.filter(school=school).order_by("name").only("pk", "name")


def team_detail(*, team: Team) -> list[User]:
    return list(User.objects.filter(team_memberships__team=team).order_by("full_name").distinct())


def networks_for_school(*, school: Organisation) -> dict[str, list[Any]]:
    annotated = Network.objects.annotate(school_count=Count("network_memberships"))
    joined = list(annotated.filter(network_memberships__school=school))
    joined_ids = {n.pk for n in joined}
    open_networks = [n for n in annotated.filter(is_open=True) if n.pk not in joined_ids]
    return {"joined": joined, "open": open_networks}


def network_schools(*, network: Network) -> QuerySet[Organisation]:
    return Organisation.objects.filter(network_memberships__network=network).select_related(
        "parent"
    )


def colleague_ids(*, user: Actor, scope: str = "school") -> QuerySet:
    """Ids of people at the person's schools ("school") or in their networks ("network")."""
    school_ids = (
        network_school_ids_for_user(user) if scope == "network" else school_ids_for_user(user)
    )
    return Membership.objects.filter(school_id__in=school_ids).values("user_id")

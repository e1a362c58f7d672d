"""Reads about schools, teams, networks and people, always scoped to the acting person."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kollegium.accounts.models import Invitation, User
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    OwnerStaff,
    Role,
    Team,
    TeamMembership,
)


def memberships_for_user(user: Any) -> list[Membership]:
    """The person's memberships with their schools, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kollegium_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("school", "school__parent")
            .order_by("school__name")
        )
        user._kollegium_memberships = cached
    return cached


def school_ids_for_user(user: Any) -> set[int]:
    return {m.school_id for m in memberships_for_user(user)}


def network_school_ids_for_user(user: Any) -> set[int]:
    """Schools that share at least one network with one of the person's schools (own included)."""
    own = school_ids_for_user(user)
    if not own:
        return set()
    cached = getattr(user, "_kollegium_network_school_ids", None)
    if cached is None:
        network_ids = NetworkMembership.objects.filter(school_id__in=own).values("network_id")
        cached = own | set(
            NetworkMembership.objects.filter(network_id__in=network_ids).values_list(
                "school_id", flat=True
            )
        )
        user._kollegium_network_school_ids = cached
    return cached


def managed_school_ids_for_user(user: Any) -> set[int]:
    return {m.school_id for m in memberships_for_user(user) if m.manages_school}


def membership_at(user: Any, school_id: int) -> Membership | None:
    for membership in memberships_for_user(user):
        if membership.school_id == school_id:
            return membership
    return None


def owners_for_staff(user: Any) -> list[Organisation]:
    """The school owners the person is development staff of, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kollegium_staff_owners", None)
    if cached is None:
        cached = list(
            Organisation.objects.filter(
                kind=Organisation.Kind.OWNER,
                pk__in=OwnerStaff.objects.filter(user=user).values("owner_id"),
            ).order_by("name")
        )
        user._kollegium_staff_owners = cached
    return cached


def owner_ids_for_staff(user: Any) -> set[int]:
    return {owner.pk for owner in owners_for_staff(user)}


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
    """Memberships at a school, with everything the people page shows, in a fixed query count."""
    memberships = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__team_memberships",
                queryset=TeamMembership.objects.filter(team__school=school).select_related("team"),
                to_attr="teams_here",
            ),
            "user__subjects",
            "user__stages",
        )
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


def school_invitations(*, school: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(school=school).select_related("invited_by", "team")


def school_teams(*, school: Organisation) -> QuerySet[Team]:
    return (
        Team.objects.filter(school=school)
        .annotate(member_count=Count("team_memberships"))
        .order_by("name")
    )


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


def colleague_ids(*, user: Any, scope: str = "school") -> QuerySet:
    """Ids of people at the person's schools ("school") or in their networks ("network")."""
    school_ids = (
        network_school_ids_for_user(user) if scope == "network" else school_ids_for_user(user)
    )
    return Membership.objects.filter(school_id__in=school_ids).values("user_id")

"""The organisations app's personal data (issue 12): places at schools, teams, invitations."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from kollegium.core.registry import Erasure, PersonalData, register_personal_data
from kollegium.organisations.models import Invitation

_SHARED = "Shared with the school; the person who made it is replaced by the role."


def _invitations(person: Any) -> Iterable[Mapping[str, Any]]:
    return (
        Invitation.objects.filter(Q(email__iexact=person.email) | Q(accepted_by=person))
        .order_by("pk")
        .values("school__name", "role", "created_at", "expires_at", "accepted_at")
    )


def _erase_invitations(erasure: Erasure) -> int:
    """Invitations to the person go; those they sent to others stay (the inviter anonymised)."""
    person = erasure.person
    deleted, _ = Invitation.objects.filter(
        Q(email__iexact=person.email) | Q(accepted_by=person)
    ).delete()
    return deleted


register_personal_data(
    PersonalData(
        model="organisations.Membership",
        person_fields=("user",),
        export_fields=("school__name", "role", "title", "start_date", "end_date", "created_at"),
        order=900,
    ),
    PersonalData(
        model="organisations.TeamMembership",
        person_fields=("user",),
        export_fields=("team__name", "team__school__name"),
        order=900,
    ),
    PersonalData(
        model="organisations.OwnerStaff",
        person_fields=("user",),
        export_fields=("owner__name", "title", "created_at"),
        order=900,
    ),
    PersonalData(
        model="organisations.Network",
        person_fields=("created_by",),
        export_fields=("name", "created_at"),
        erase="keep",
        kept="A network of schools, shared by them; its creator is replaced by the role.",
        text_fields=("description",),
    ),
    PersonalData(
        model="organisations.DevelopmentFocus",
        person_fields=("created_by",),
        export_fields=("school__name", "title", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("title", "description"),
    ),
    PersonalData(
        model="organisations.Organisation",
        exempt="An organisation's own contact address (the school's office), not a person's.",
        erase="keep",
        kept="A school or owner; no person's data.",
    ),
    PersonalData(
        model="organisations.Invitation",
        person_fields=("invited_by", "accepted_by"),
        export=_invitations,
        erase=_erase_invitations,
    ),
)

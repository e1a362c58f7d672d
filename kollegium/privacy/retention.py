"""What the retention rules find (reads only; services.retention_run deletes).

Each school owner's rules apply to the people at its schools and to what happened at its
schools; people at no owner's school get the defaults. Someone at schools of two owners is
under both: the shorter rule wins.

Defaults (issue 12, the owner may change them): observation notes 12 months after the
debrief, notifications 90 days, sign-in history 12 months, accounts deactivated for 24
months erased. A deactivated account's time is counted from its last sign-in (or from when it
was made, if it never signed in): nobody signs in to a deactivated account.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kollegium.core.models import Notification
from kollegium.observations.models import ObservationNote
from kollegium.organisations.models import Membership, Organisation
from kollegium.privacy.models import ErasureRequest, OwnerPrivacySettings, SignIn

MONTH = timedelta(days=30)
ERASED_DOMAIN = "@erased.invalid"

Scope = tuple[OwnerPrivacySettings, QuerySet, QuerySet]


def scopes() -> Iterator[Scope]:
    """(rules, people ids, school ids) per owner, then the defaults for everyone else."""
    saved = {s.owner_id: s for s in OwnerPrivacySettings.objects.all()}
    owners = Organisation.objects.filter(kind=Organisation.Kind.OWNER).order_by("pk")
    for owner in owners:
        rules = saved.get(owner.pk) or OwnerPrivacySettings(owner=owner)
        schools = Organisation.objects.filter(parent=owner).values("pk")
        people = Membership.objects.filter(school__parent=owner).values("user_id")
        yield rules, people, schools
    placed = Membership.objects.filter(school__parent__isnull=False).values("user_id")
    yield (
        OwnerPrivacySettings(),
        get_user_model().objects.exclude(pk__in=placed).values("pk"),
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, parent__isnull=True).values(
            "pk"
        ),
    )


def expired(
    rules: OwnerPrivacySettings, people: QuerySet, schools: QuerySet, now: datetime
) -> list[tuple[str, QuerySet, str]]:
    """(kind, what is older than the rule, the field naming whose home page shows it)."""
    notes_before = now - rules.observation_notes_months * MONTH
    debriefed = Q(observation__debrief_end__lt=notes_before) | Q(
        observation__debrief_end__isnull=True, observation__end__lt=notes_before
    )
    return [
        (
            "notifications",
            Notification.objects.filter(
                recipient__in=people,
                created_at__lt=now - timedelta(days=rules.notifications_days),
            ),
            "recipient_id",
        ),
        (
            "observation_notes",
            ObservationNote.objects.filter(debriefed, observation__school__in=schools),
            "",
        ),
        (
            "sign_ins",
            SignIn.objects.filter(user__in=people, at__lt=now - rules.sign_ins_months * MONTH),
            "",
        ),
    ]


def long_deactivated(
    rules: OwnerPrivacySettings, people: QuerySet, now: datetime
) -> list[tuple[int, int | None]]:
    """(person, one of their schools) for accounts deactivated longer than the rule."""
    before = now - rules.deactivated_months * MONTH
    found = (
        get_user_model()
        .objects.filter(pk__in=people, is_active=False)
        .exclude(email__endswith=ERASED_DOMAIN)
        .filter(Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before))
        .exclude(pk__in=ErasureRequest.objects.exclude(status="cancelled").values("person_id"))
    )
    schools = dict(
        Membership.objects.filter(user__in=found).order_by("pk").values_list("user_id", "school_id")
    )
    return [(pk, schools.get(pk)) for pk in found.values_list("pk", flat=True)]


def due_erasures(now: datetime) -> list[int]:
    """Scheduled erasures whose grace period is over, and stopped ones (to finish them)."""
    return list(
        ErasureRequest.objects.filter(
            Q(status="scheduled", due_at__lte=now) | Q(status__in=["failed", "running"])
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )

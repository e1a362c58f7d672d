"""Writes of the insights app: the school's promise of protected time."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core.homepage import home_changed
from kollegium.core.services import audit_record
from kollegium.insights.models import PROMISE_LIMITS, PromiseUnit, TimePromise
from kollegium.insights.permissions import can_set_promise
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation, Team


def _check_minutes(minutes: int, unit: str) -> None:
    if unit not in PromiseUnit.values:
        raise ValidationError({"unit": _("Choose minutes a week or minutes a term.")})
    low, high = PROMISE_LIMITS[PromiseUnit(unit)]
    if not low <= minutes <= high:
        if unit == PromiseUnit.WEEK:
            message = _("A promise a week must be between %(low)s and %(high)s minutes.")
        else:
            message = _("A promise a term must be between %(low)s and %(high)s minutes.")
        raise ValidationError({"minutes": message % {"low": low, "high": high}})


@transaction.atomic
def promise_set(
    *, actor: Actor, school: Organisation, team: Team | None, minutes: int, unit: str
) -> TimePromise:
    """Set (or change) the time the school promises, for everyone or for one team."""
    if not can_set_promise(actor, school):
        raise PermissionDenied
    if team is not None and team.school_id != school.pk:
        raise ValidationError({"team": _("Choose a team of this school.")})
    _check_minutes(minutes, unit)
    promise, _created = TimePromise.objects.update_or_create(
        school=school,
        team=team,
        defaults={
            "minutes": minutes,
            "unit": unit,
            "updated_by": as_actor(actor).person,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="insights.promise_set",
        target=promise,
        school=school,
        data={"team": team.pk if team else None, "minutes": minutes, "unit": unit},
    )
    home_changed(school_ids=[school.pk])
    return promise


@transaction.atomic
def promise_remove(*, actor: Actor, promise: TimePromise) -> None:
    """Remove a team's own promise (its people then get the school's) or the school's."""
    school = promise.school
    if not can_set_promise(actor, school):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="insights.promise_removed",
        target=promise,
        school=school,
        data={"team": promise.team_id, "minutes": promise.minutes, "unit": promise.unit},
    )
    promise.delete()
    home_changed(school_ids=[school.pk])

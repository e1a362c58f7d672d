"""Test helpers: make observations in a given status without going through every step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from kollegium.observations import lifecycle
from kollegium.observations.models import Observation


def soon(days: int = 2, hour: int = 9) -> datetime:
    """A weekday at ``hour`` o'clock ``days`` from now (local time; weekends skipped in the
    direction of travel, so a negative ``days`` is always in the past)."""
    local = timezone.localtime() + timedelta(days=days)
    while local.weekday() >= 5:
        local += timedelta(days=1 if days >= 0 else -1)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_observation(
    *,
    school: Any,
    observer: Any,
    observed: Any,
    status: str = "agreed",
    start: datetime | None = None,
    focus_key: str = "questioning",
    form_key: str = "stars_and_wish",
    round_pair: Any = None,
) -> Observation:
    start = start or soon()
    observation = Observation(
        school=school,
        observer=observer,
        observed=observed,
        requested_by="observed",
        focus_key=focus_key,
        form_key=form_key,
        lesson_label="Matematik 8B",
        round_pair=round_pair,
    )
    observation.apply_state(
        lifecycle.ObservationState(
            status=lifecycle.Status(status),
            start=start,
            end=start + timedelta(minutes=60),
            awaiting=lifecycle.Role.OBSERVER if status == "requested" else None,
        )
    )
    observation.save()
    return observation


def solve_and_commit(*, actor: Any, round_: Any) -> Any:
    """Plan a round as the request does: ``round_solve`` enqueues the solve task when the
    transaction commits, and the immediate backend runs it then. Inside a test's transaction
    nothing commits, so this runs the on-commit callbacks as a commit would."""
    from django.test import TestCase

    from kollegium.observations import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.round_solve(actor=actor, round_=round_)
    round_.refresh_from_db()
    return round_

"""Planning a round runs as a task after the request's transaction commits, never inside it.

With the immediate backend (development, tests, a one-machine install) ``task.enqueue()`` runs
the task at once. ``round_solve`` marks the round "planning" and enqueues the solve on commit;
the task claims the round, reports progress and stores the result or the failure through the
round's services, each its own short transaction.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.urls import reverse
from django_tasks.signals import task_enqueued

from kollegium.observations import services, tasks
from kollegium.observations.models import ObservationRound, RoundStatus
from kollegium.observations.tests.helpers import solve_and_commit
from kollegium.observations.tests.test_timetable import next_monday, weekly_timetables
from kollegium.scheduling.core.rounds import Assignment


def draft_round(world) -> ObservationRound:
    monday = next_monday()
    weekly_timetables(world, monday)
    return services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Höstens runda",
        participants=[world.alice, world.bob, world.carol],
        first_day=monday,
        last_day=monday + timedelta(days=11),
    )


@pytest.fixture
def enqueued():
    """Every task result enqueued while the test runs (the task framework's own signal)."""
    results: list = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(record)
    yield results
    task_enqueued.disconnect(record)


@pytest.mark.django_db
def test_planning_waits_until_the_request_commits(
    world, enqueued, django_capture_on_commit_callbacks
):
    round_ = draft_round(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.round_solve(actor=world.carol, round_=round_)
        # Still inside the caller's transaction: the round is only marked, not planned.
        inside = ObservationRound.objects.get(pk=round_.pk)
        assert (inside.status, inside.progress, inside.task_id) == ("solving", 0.0, "")
        assert not inside.pairs.exists() and enqueued == []
    assert len(callbacks) == 1
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PROPOSED and round_.progress == 1.0
    assert round_.pairs.count() == 3
    assert [r.task.name for r in enqueued] == ["solve_observation_round"]
    assert round_.task_id == enqueued[0].id  # the task recorded which run planned it


@pytest.mark.django_db
def test_a_rolled_back_request_plans_nothing(world, enqueued, django_capture_on_commit_callbacks):
    round_ = draft_round(world)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.round_solve(actor=world.carol, round_=round_)
        raise RuntimeError("the request fails after the service call")
    assert callbacks == [] and enqueued == []
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and round_.solved_at is None
    assert not round_.pairs.exists()


@pytest.mark.django_db
def test_two_clicks_on_plan_start_one_solve(world, enqueued, django_capture_on_commit_callbacks):
    round_ = draft_round(world)
    stale = ObservationRound.objects.get(pk=round_.pk)  # the second tab, opened before
    with django_capture_on_commit_callbacks(execute=True):
        services.round_solve(actor=world.carol, round_=round_)
        with pytest.raises(ValidationError) as err:
            services.round_solve(actor=world.carol, round_=stale)
    assert err.value.code == "status"
    assert len(enqueued) == 1


@pytest.mark.django_db
def test_a_round_closed_before_the_task_runs_stays_closed(
    world, django_capture_on_commit_callbacks
):
    round_ = draft_round(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_solve(actor=world.carol, round_=round_)
        services.round_close(actor=world.carol, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.solved_at is None
    assert not round_.pairs.exists() and round_.task_id == ""


@pytest.mark.django_db
def test_a_failure_while_storing_leaves_no_half_written_round(client_for, world, monkeypatch):
    round_ = solve_and_commit(actor=world.carol, round_=draft_round(world))
    assert round_.status == RoundStatus.PROPOSED and round_.pairs.count() == 3
    real_solve = tasks.solve_round

    def lesson_gone(instance, **kwargs):
        # Fault injection: the solver proposes a lesson that is no longer in the timetable, so
        # storing the proposal breaks after the old pairs were deleted and one new one built.
        result = real_solve(instance, **kwargs)
        first = result.assignments[0]
        ghost = Assignment(first.observer_id, first.observed_id, "removed-lesson")
        return dataclasses.replace(result, assignments=[*result.assignments, ghost])

    monkeypatch.setattr(tasks, "solve_round", lesson_gone)
    round_ = solve_and_commit(actor=world.carol, round_=round_)
    # Neither the old proposal nor part of the new one: the round says planning failed.
    assert (round_.status, round_.solve_error) == (RoundStatus.INFEASIBLE, "failed")
    assert not round_.pairs.exists()
    assert (round_.result_status, round_.objective, round_.blocking) == ("", None, [])
    assert round_.progress == 1.0
    page = client_for(world.carol).get(reverse("observations:round_detail", args=[round_.pk]))
    text = page.content.decode()
    assert "oväntat fel" in text and "Planera igen" in text
    assert 'id="pairs-heading"' not in text  # no schedule table


@pytest.mark.django_db(transaction=True)
def test_the_progress_bar_moves_while_the_round_is_planned(client_for, world, monkeypatch):
    """The page that polls the round sees the solver's progress while the solve still runs.

    Committed data, real threads: the solver (CP-SAT's thread) reports half-way, then waits
    until the facilitator's page, fetched over its own database connection, shows 50 %."""
    round_ = draft_round(world)
    watcher = client_for(world.carol)
    url = reverse("observations:round_detail", args=[round_.pk])
    real_solve = tasks.solve_round
    seen: list[str] = []

    def slow_solver(instance, **kwargs):
        kwargs["progress"](0.5)
        deadline = time.monotonic() + 30  # a bound on waiting, not a timing assertion
        try:
            while time.monotonic() < deadline and not seen:
                body = watcher.get(url, {"part": "progress"}, HTTP_HX_REQUEST="true")
                if 'value="50"' in body.content.decode():
                    seen.append(body.content.decode())
                time.sleep(0.05)
        finally:
            connections.close_all()  # this thread's connection
        return real_solve(instance, **kwargs)

    monkeypatch.setattr(tasks, "solve_round", slow_solver)
    services.round_solve(actor=world.carol, round_=round_)  # as the request: commits, then runs
    assert seen, "the page never showed the solver's progress while it ran"
    assert "Letar efter det bästa schemat" in seen[0]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PROPOSED and round_.progress == 1.0

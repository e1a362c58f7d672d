"""One URL per step: an observation's agree / decline / cancel / done / debriefed, and a round's
solve / publish / close each have their own address and view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kollegium.observations.models import Observation, ObservationRound, RoundStatus
from kollegium.observations.tests.helpers import make_observation, soon

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)][-1:]


def _status(observation) -> str:
    return Observation.objects.get(pk=observation.pk).status


@pytest.fixture
def requested(world):
    return make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="requested"
    )


@pytest.fixture
def a_round(world):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        title="Vårens runda",
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=11),
        created_by=world.carol,
    )
    round_.participants.set([world.alice, world.bob, world.carol])
    return round_


def test_each_step_has_its_own_address(world, requested, a_round):
    for name, step in [
        ("agree", "agree"),
        ("decline", "decline"),
        ("cancel", "cancel"),
        ("mark_done", "done"),
        ("mark_debriefed", "debriefed"),
    ]:
        url = reverse(f"observations:{name}", args=[requested.pk])
        assert url == f"/observations/{requested.pk}/{step}/"
    for step in ("solve", "publish", "close"):
        url = reverse(f"observations:round_{step}", args=[a_round.pk])
        assert url == f"/observations/rounds/{a_round.pk}/{step}/"


def test_the_pair_takes_an_observation_from_request_to_debrief(client_for, world, requested):
    carol, bob = client_for(world.carol), client_for(world.bob)
    detail = reverse("observations:detail", args=[requested.pk])
    response = carol.post(reverse("observations:agree", args=[requested.pk]))
    assert response["Location"] == detail and _levels(response) == ["success"]
    assert _status(requested) == "agreed"
    # The lesson has been held by now.
    Observation.objects.filter(pk=requested.pk).update(
        start=soon(days=-1), end=soon(days=-1) + timedelta(hours=1)
    )
    response = bob.post(reverse("observations:mark_done", args=[requested.pk]))
    assert response["Location"] == detail
    assert _status(requested) == "done"
    response = carol.post(reverse("observations:mark_debriefed", args=[requested.pk]))
    assert response["Location"] == detail
    assert _status(requested) == "debriefed"


def test_a_step_that_is_not_possible_now_shows_the_page_with_the_reason(
    client_for, world, requested
):
    response = client_for(world.bob).post(
        reverse("observations:mark_debriefed", args=[requested.pk])
    )
    assert response.status_code == 400
    assert _levels(response) == ["error"]
    assert response.context["observation"].status == "requested"
    assert _status(requested) == "requested"


def test_carol_declines_with_a_reason_and_bob_may_cancel_without_one(client_for, world):
    first = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="requested"
    )
    second = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, start=soon(days=5)
    )
    response = client_for(world.carol).post(
        reverse("observations:decline", args=[first.pk]), {"reason": "Jag har prov då."}
    )
    assert response.status_code == 302 and _status(first) == "declined"
    response = client_for(world.bob).post(reverse("observations:cancel", args=[second.pk]))
    assert response.status_code == 302 and _status(second) == "cancelled"


@pytest.mark.parametrize("name", ["agree", "decline", "cancel", "mark_done", "mark_debriefed"])
def test_dave_and_anonymous_visitors_cannot_take_a_step(client, client_for, world, requested, name):
    url = reverse(f"observations:{name}", args=[requested.pk])
    assert client_for(world.dave).post(url, {"reason": "x"}).status_code == 404
    assert client_for(world.alice).post(url, {"reason": "x"}).status_code == 404
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert _status(requested) == "requested"


def test_a_step_needs_a_post(client_for, world, requested):
    url = reverse("observations:agree", args=[requested.pk])
    assert client_for(world.carol).get(url).status_code == 405
    assert _status(requested) == "requested"


def test_publishing_a_round_without_a_plan_is_refused_with_a_message(client_for, world, a_round):
    response = client_for(world.carol).post(
        reverse("observations:round_publish", args=[a_round.pk])
    )
    assert response["Location"] == reverse("observations:round_detail", args=[a_round.pk])
    assert _levels(response) == ["error"]
    a_round.refresh_from_db()
    assert a_round.status == RoundStatus.DRAFT


def test_the_facilitator_publishes_a_proposed_round_and_closes_it(client_for, world, a_round):
    a_round.status = RoundStatus.PROPOSED
    a_round.save()
    carol = client_for(world.carol)
    back = reverse("observations:round_detail", args=[a_round.pk])
    assert carol.post(reverse("observations:round_publish", args=[a_round.pk]))["Location"] == back
    a_round.refresh_from_db()
    assert a_round.status == RoundStatus.PUBLISHED
    assert carol.post(reverse("observations:round_close", args=[a_round.pk]))["Location"] == back
    a_round.refresh_from_db()
    assert a_round.status == RoundStatus.CLOSED
    response = carol.post(reverse("observations:round_solve", args=[a_round.pk]))
    assert response["Location"] == back and _levels(response) == ["error"]
    a_round.refresh_from_db()
    assert a_round.status == RoundStatus.CLOSED


@pytest.mark.parametrize("step", ["solve", "publish", "close"])
def test_only_the_schools_facilitators_run_a_round(client, client_for, world, a_round, step):
    url = reverse(f"observations:round_{step}", args=[a_round.pk])
    assert client_for(world.dave).post(url).status_code == 404
    assert client_for(world.bob).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    a_round.refresh_from_db()
    assert a_round.status == RoundStatus.DRAFT

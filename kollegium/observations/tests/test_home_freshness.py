"""The kept home page follows the person's observations and the rounds they are part of."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.observations import hooks, services
from kollegium.observations.models import ObservationRound, RoundPair, RoundStatus
from kollegium.observations.tests.helpers import soon

pytestmark = pytest.mark.django_db
WAITING = "1 auskultation väntar på ditt svar."


def test_a_request_waits_on_the_observers_page_until_they_agree(client_for, world):
    carol = client_for(world.carol)
    assert WAITING not in carol.get("/").content.decode()
    start = soon(days=3)
    observation = services.observation_request(
        actor=world.bob,
        school=world.school_a,
        observer=world.carol,
        start=start,
        end=start + timedelta(hours=1),
        focus_key="questioning",
        form_key="stars_and_wish",
    )
    assert WAITING in carol.get("/").content.decode()
    services.observation_agree(actor=world.carol, observation=observation)
    page = carol.get("/").content.decode()
    assert WAITING not in page
    assert "du auskulterar hos Bob Berg" in page


def test_a_round_sent_out_asks_its_people_on_their_home_pages(client_for, world):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        title="Vårens runda",
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=11),
        created_by=world.carol,
        status=RoundStatus.PROPOSED,
    )
    round_.participants.set([world.bob, world.carol])
    start = soon(days=3)
    RoundPair.objects.create(
        round=round_,
        observer=world.bob,
        observed=world.carol,
        lesson_ref="x",
        lesson_label="Svenska 7A",
        start=start,
        end=start + timedelta(hours=1),
    )
    bob = client_for(world.bob)
    assert WAITING not in bob.get("/").content.decode()
    services.round_publish(actor=world.carol, round_=round_)
    assert WAITING in bob.get("/").content.decode()


def test_the_panel_is_fresh_until_the_next_observation_ends(world):
    class Upcoming:
        end = timezone.now() + timedelta(hours=3)

    assert hooks.home_panel_fresh_until({"to_answer": 0, "next": Upcoming}) == Upcoming.end
    assert hooks.home_panel_fresh_until({"to_answer": 0, "next": None}) is None

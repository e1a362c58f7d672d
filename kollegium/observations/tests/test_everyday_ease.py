"""Rough edges of issue 16 in the observations pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.observations import services
from kollegium.observations.models import ObservationRound, RoundPair, RoundStatus
from kollegium.observations.tests.helpers import soon

pytestmark = pytest.mark.django_db


def test_a_round_proposal_waiting_for_an_answer_is_not_followed_by_nothing_is_waiting(
    client_for, world
):
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
    services.round_publish(actor=world.carol, round_=round_)
    page = client_for(world.bob).get("/observations/").content.decode()
    waiting = page.split("Väntar på ditt svar", 1)[1].split("</section>", 1)[0]
    assert "Vårens runda" in waiting
    assert "Inget väntar på dig." not in page


def test_nothing_is_waiting_is_said_when_nothing_is(client_for, world):
    page = client_for(world.bob).get("/observations/").content.decode()
    assert "Inget väntar på dig." in page

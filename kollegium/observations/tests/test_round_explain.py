"""An infeasible round's page names the rule, only the people it concerns, and what relaxing
the rule would give, in Swedish and English (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from kollegium.observations import services
from kollegium.observations.models import RoundStatus
from kollegium.observations.tests.helpers import solve_and_commit
from kollegium.observations.tests.test_timetable import next_monday, weekly_timetables
from kollegium.scheduling.models import EntryKind, TimetableEntry

pytestmark = pytest.mark.django_db


def _round(world, *, days: int, k: int):
    monday = next_monday()
    weekly_timetables(world, monday)
    return services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Runda",
        participants=[world.alice, world.bob, world.carol],
        first_day=monday,
        last_day=monday + timedelta(days=days - 1),
        k=k,
    )


def test_too_many_observations_for_the_days_names_the_day_rule_for_everyone(client_for, world):
    # k = 2 in three days: four observations each, at most one a day.
    round_ = solve_and_commit(actor=world.carol, round_=_round(world, days=3, k=2))
    assert round_.status == RoundStatus.INFEASIBLE
    assert [(b["rule"], b["everyone"], b["relax"]) for b in round_.blocking] == [
        ("max_per_day", True, "max_per_day=2")
    ]
    url = reverse("observations:round_detail", args=[round_.pk])
    text = client_for(world.carol).get(url).content.decode()
    assert "Alla i rundan (3 personer)" in text
    assert "Att tillåta 2 observation(er) per person och dag skulle ta bort hindret." in text
    world.carol.preferred_language = "en"
    world.carol.save(update_fields=["preferred_language"])
    english = client_for(world.carol).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Everyone in the round (3 people)" in english
    assert "Allowing 2 observation(s) per person and day would remove this obstacle." in english


def test_a_never_free_colleague_is_the_only_one_named(client_for, world):
    round_ = _round(world, days=12, k=1)
    first = min(TimetableEntry.objects.values_list("start", flat=True))
    TimetableEntry.objects.create(
        user=world.alice,
        kind=EntryKind.BUSY,
        title="Fortbildning",
        start=first - timedelta(days=1),
        end=first + timedelta(days=20),
    )
    round_ = solve_and_commit(actor=world.carol, round_=round_)
    assert round_.status == RoundStatus.INFEASIBLE
    assert [(b["rule"], b["people"]) for b in round_.blocking] == [
        ("observer_free", [str(world.alice.pk)])
    ]
    text = (
        client_for(world.carol)
        .get(reverse("observations:round_detail", args=[round_.pk]))
        .content.decode()
    )
    assert "Alice Andersson" in text
    blocks = text.split("Det här hindrar:")[1].split("</ul>")[0]
    assert "Alice Andersson" in blocks and "Bob Berg" not in blocks

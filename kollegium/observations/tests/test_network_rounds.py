"""Rounds across the schools of a network (instructional rounds between schools, issue 13):
only people of the network's schools, observers travel only where their timetables allow,
the other schools' leaders see counts only, and a school's own rounds work as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kollegium.core.testing.factories import SchoolFactory, teacher_at
from kollegium.observations import services, timetable
from kollegium.observations.models import Observation, RoundStatus
from kollegium.observations.tests.helpers import solve_and_commit
from kollegium.observations.tests.test_timetable import at, lesson, next_monday
from kollegium.organisations.models import Role
from kollegium.scheduling.core.rounds import Assignment, check_round
from kollegium.scheduling.models import EntryKind, TimetableEntry

pytestmark = pytest.mark.django_db


def _timetable(person, monday, hours: tuple[int, ...], subject: str = "Matematik") -> None:
    for day in [*range(5), *range(7, 12)]:
        for hour in hours:
            lesson(person, monday + timedelta(days=day), hour, subject)


@pytest.fixture
def schools(world):
    """Three teachers at each school of the network (A: Alice, Bob, Carol; B: Dave and two
    more), teaching at different hours, with free time between lessons."""
    monday = next_monday()
    b_people = [world.dave, teacher_at(world.school_b), teacher_at(world.school_b)]
    hours = [(8, 13), (10, 15), (12, 16)]
    for people in ([world.alice, world.bob, world.carol], b_people):
        for person, lesson_hours in zip(people, hours, strict=True):
            _timetable(person, monday, lesson_hours)
    return monday, b_people


def _network_round(world, monday, **extra):
    return services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Nätverksrunda",
        participants=[],
        first_day=monday,
        last_day=monday + timedelta(days=11),
        k=1,
        network=world.network,
        whole_network=True,
        travel_minutes=30,
        other_schools_only=True,
        **extra,
    )


def test_a_network_round_pairs_people_of_different_schools_with_time_to_travel(world, schools):
    monday, b_people = schools
    round_ = solve_and_commit(actor=world.carol, round_=_network_round(world, monday))
    assert round_.status == RoundStatus.PROPOSED, (round_.blocking, round_.solve_error)
    school_of = {p.pk: "a" for p in (world.alice, world.bob, world.carol)}
    school_of.update({p.pk: "b" for p in b_people})
    pairs = list(round_.pairs.all())
    assert len(pairs) == 6
    assert all(school_of[p.observer_id] != school_of[p.observed_id] for p in pairs)
    built = timetable.build_round(round_)
    assert {t.site for t in built.instance.teachers} == {
        f"school-{world.school_a.pk}",
        f"school-{world.school_b.pk}",
    }
    assert built.instance.rules.travel_minutes == 30
    assignments = [Assignment(str(p.observer_id), str(p.observed_id), p.lesson_ref) for p in pairs]
    assert check_round(built.instance, assignments) == []
    for pair in pairs:  # the observer's own lessons are at least 30 minutes away
        own = TimetableEntry.objects.filter(user_id=pair.observer_id, kind=EntryKind.LESSON)
        assert not own.filter(
            start__lt=pair.end + timedelta(minutes=30), end__gt=pair.start - timedelta(minutes=30)
        ).exists()


def test_no_time_to_travel_is_explained_with_the_observer_free_rule(world, schools):
    monday, _b_people = schools
    # Dave is busy right around every free hour he has: no time for a journey.
    for day in [*range(5), *range(7, 12)]:
        for hour in (9, 10, 11, 12, 14, 15, 16):
            TimetableEntry.objects.create(
                user=world.dave,
                kind=EntryKind.BUSY,
                title="Rastvakt",
                start=at(monday + timedelta(days=day), hour),
                end=at(monday + timedelta(days=day), hour, 50),
            )
    round_ = solve_and_commit(actor=world.carol, round_=_network_round(world, monday))
    assert round_.status == RoundStatus.INFEASIBLE
    assert [(b["rule"], b["people"]) for b in round_.blocking] == [
        ("observer_free", [str(world.dave.pk)])
    ]


def test_only_people_of_the_networks_schools_may_take_part(world, schools):
    monday, _b = schools
    outsider = teacher_at(SchoolFactory(parent=world.owner))
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=world.carol, school=world.school_a, title="Runda",
            participants=[world.bob, world.dave, outsider], first_day=monday,
            last_day=monday + timedelta(days=11), network=world.network,
        )  # fmt: skip
    assert "participants" in refused.value.message_dict
    with pytest.raises(ValidationError) as without_network:
        services.round_create(
            actor=world.carol, school=world.school_a, title="Runda",
            participants=[world.bob, world.dave], first_day=monday,
            last_day=monday + timedelta(days=11),
        )  # fmt: skip
    assert "participants" in without_network.value.message_dict


def test_a_network_the_school_is_not_in_is_refused(world, schools):
    from kollegium.organisations.models import Network

    monday, _b = schools
    other = Network.objects.create(name="Annat nätverk")
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=world.carol, school=world.school_a, title="Runda",
            participants=[world.bob, world.alice], first_day=monday,
            last_day=monday + timedelta(days=11), network=other,
        )  # fmt: skip
    assert "network" in refused.value.message_dict


def test_the_other_schools_leader_sees_counts_only(client_for, world, schools):
    monday, _b_people = schools
    eva = teacher_at(world.school_b, role=Role.LEADER, full_name="Eva Ek")
    _timetable(eva, monday, (11, 16))
    more = [teacher_at(world.school_b) for _ in range(2)]
    for person, hours in zip(more, [(8, 12), (13, 15)], strict=True):
        _timetable(person, monday, hours)
    # six people from B, three from A: visiting other schools only, B cannot all be observed
    # (the counts do not depend on it)
    round_ = solve_and_commit(actor=world.carol, round_=_network_round(world, monday))
    page = client_for(eva).get(reverse("observations:rounds"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nätverksrunda" in text
    section = text.split("network-rounds-heading")[-1]
    assert ">6<" in section  # six people from School B
    assert world.dave.full_name not in text and world.bob.full_name not in text
    detail = reverse("observations:round_detail", args=[round_.pk])
    assert client_for(eva).get(detail).status_code == 404
    assert client_for(world.dave).get(detail).status_code == 404
    assert client_for(world.carol).get(detail).status_code == 200


def test_few_people_from_a_school_show_too_few(client_for, world, schools):
    monday, _b = schools
    eva = teacher_at(world.school_b, role=Role.LEADER)
    round_ = solve_and_commit(actor=world.carol, round_=_network_round(world, monday))
    text = client_for(eva).get(reverse("observations:rounds")).content.decode()
    assert "Nätverksrunda" in text
    assert "För få för att visas" in text.split("network-rounds-heading")[-1]
    del round_


def test_a_confirmed_pair_is_an_observation_at_the_observed_teachers_school(world, schools):
    monday, _b = schools
    round_ = solve_and_commit(actor=world.carol, round_=_network_round(world, monday))
    services.round_publish(actor=world.carol, round_=round_)
    pair = round_.pairs.filter(observed=world.dave).first()
    assert pair is not None
    services.pair_respond(actor=pair.observer, pair=pair, accept=True)
    services.pair_respond(actor=pair.observed, pair=pair, accept=True)
    observation = Observation.objects.get(round_pair=pair)
    assert observation.school_id == world.school_b.pk


def test_the_network_fields_are_on_the_new_round_page(client_for, world):
    text = client_for(world.carol).get(reverse("observations:round_new")).content.decode()
    assert world.network.name in text
    assert 'name="travel_minutes"' in text and 'name="whole_network"' in text


def test_carol_creates_a_network_round_from_the_form(client_for, world):
    from django.utils import timezone

    from kollegium.observations.models import ObservationRound

    today = timezone.localdate()
    form = {
        "title": "Nätverksrunda",
        "first_day": (today + timedelta(days=7)).isoformat(),
        "last_day": (today + timedelta(days=18)).isoformat(),
        "k": 1,
        "subject_mode": "mixed",
        "max_per_day": 1,
        "require_observer_free": "on",
        "network": world.network.pk,
        "whole_network": "on",
        "travel_minutes": 45,
        "other_schools_only": "on",
    }
    response = client_for(world.carol).post(reverse("observations:round_new"), form)
    assert response.status_code == 302
    round_ = ObservationRound.objects.get()
    assert (round_.network, round_.travel_minutes, round_.other_schools_only) == (
        world.network,
        45,
        True,
    )
    assert world.dave in round_.participants.all() and world.bob in round_.participants.all()
    # a travel time out of range is refused on its field, nothing saved
    bad = client_for(world.carol).post(
        reverse("observations:round_new"), {**form, "travel_minutes": 999}
    )
    assert bad.status_code == 200 and "travel_minutes" in bad.context["form"].errors
    assert ObservationRound.objects.count() == 1

"""Observations with real timetables: choosing a lesson, the debrief the same day, planning a
round with CP-SAT as a task, explaining what blocks, and moving one pair."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.observations import services, timetable
from kollegium.observations.models import Observation, RoundPair, RoundStatus
from kollegium.observations.tests.helpers import make_observation, solve_and_commit
from kollegium.scheduling.core.rounds import Assignment, check_round
from kollegium.scheduling.models import EntryKind, TimetableEntry

pytestmark = pytest.mark.django_db


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday() + 7)  # a week after next Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def lesson(user, day: date, hour: int, subject: str, *, minutes=60, kind=EntryKind.LESSON):
    return TimetableEntry.objects.create(
        user=user,
        kind=kind,
        subject=subject,
        group_name="8B",
        room="204",
        start=at(day, hour),
        end=at(day, hour) + timedelta(minutes=minutes),
    )


def weekly_timetables(world, monday: date) -> None:
    """Alice, Bob and Carol each teach two lessons a day for two weeks, at different times."""
    hours = {world.alice: (8, 13), world.bob: (9, 14), world.carol: (10, 15)}
    subjects = {world.alice: "Matematik", world.bob: "Svenska", world.carol: "Engelska"}
    for day in [*range(5), *range(7, 12)]:
        for person, (h1, h2) in hours.items():
            lesson(person, monday + timedelta(days=day), h1, subjects[person])
            lesson(person, monday + timedelta(days=day), h2, subjects[person])


def test_upcoming_lessons_are_my_own_future_lessons_only(world):
    monday = next_monday()
    mine = lesson(world.bob, monday, 9, "Svenska")
    lesson(world.bob, monday, 12, "", kind=EntryKind.BUSY)
    lesson(world.carol, monday, 9, "Engelska")
    TimetableEntry.objects.create(
        user=world.bob,
        subject="Svenska",
        start=timezone.now() - timedelta(days=1, hours=1),
        end=timezone.now() - timedelta(days=1),
    )
    options = timetable.upcoming_lessons(user=world.bob)
    assert [o.ref for o in options] == [str(mine.pk)]
    assert "Svenska, 8B, 204" in options[0].choice_label


def test_bob_requests_an_observation_of_one_of_his_lessons(client_for, world):
    monday = next_monday()
    entry = lesson(world.bob, monday, 9, "Svenska")
    response = client_for(world.bob).post(
        reverse("observations:request"),
        {
            "observer": world.carol.pk,
            "lesson": str(entry.pk),
            "focus_key": "pupil_talk",
            "form_key": "descriptive_evidence",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.start, observation.end) == (entry.start, entry.end)
    assert observation.lesson_ref == str(entry.pk)
    assert observation.lesson_label == "Svenska, 8B, 204"


def test_someone_elses_lesson_cannot_be_chosen(client_for, world):
    entry = lesson(world.carol, next_monday(), 9, "Engelska")
    response = client_for(world.bob).post(
        reverse("observations:request"),
        {
            "observer": world.carol.pk,
            "lesson": str(entry.pk),
            "focus_key": "pupil_talk",
            "form_key": "stars_and_wish",
        },
    )
    assert response.status_code == 200 and "lesson" in response.context["form"].errors
    assert not Observation.objects.exists()


def test_the_debrief_is_suggested_the_same_day_when_both_are_free(world):
    monday = next_monday()
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, start=at(monday, 9)
    )
    lesson(world.bob, monday, 9, "Svenska")
    lesson(world.carol, monday, 10, "Engelska", minutes=120)  # Carol teaches 10-12
    lesson(world.bob, monday, 13, "Svenska")  # Bob teaches 13-14
    slots = timetable.debrief_slots(actor=world.bob, observation=observation)
    assert slots, "expected at least one common slot"
    for slot in slots:
        assert timezone.localtime(slot.start).date() == monday
        assert slot.start >= observation.end
        assert slot.end - slot.start >= timedelta(minutes=20)
        for busy_start, busy_end in (
            (at(monday, 10), at(monday, 12)),
            (at(monday, 13), at(monday, 14)),
        ):
            assert not (slot.start < busy_end and busy_start < slot.end)
    assert timezone.localtime(slots[0].start).time() == time(12, 0)


def test_the_page_offers_the_suggested_debrief_times(client_for, world):
    monday = next_monday()
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, start=at(monday, 9)
    )
    page = client_for(world.carol).get(reverse("observations:detail", args=[observation.pk]))
    assert 'name="start_time" value="10:00"' in page.content.decode()


def plan(world, **rules):
    monday = next_monday()
    weekly_timetables(world, monday)
    round_ = services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Runda",
        participants=[world.alice, world.bob, world.carol],
        first_day=monday,
        last_day=monday + timedelta(days=11),
        **rules,
    )
    return solve_and_commit(actor=world.carol, round_=round_)


def test_planning_a_round_proposes_a_schedule_that_keeps_every_rule(world):
    # k=2 among three people: six observations that pairwise share a person, so with at
    # most one a day they need six days: the two-week period makes it possible.
    round_ = plan(world, k=2, subject_mode="mixed")
    assert round_.status == RoundStatus.PROPOSED
    assert round_.result_status in ("optimal", "feasible") and round_.progress == 1.0
    pairs = list(round_.pairs.all())
    assert len(pairs) == 6
    built = timetable.build_round(round_)
    assignments = [Assignment(str(p.observer_id), str(p.observed_id), p.lesson_ref) for p in pairs]
    assert check_round(built.instance, assignments) == []
    for pair in pairs:  # the lesson shown is the observed teacher's real lesson
        entry = TimetableEntry.objects.get(pk=int(pair.lesson_ref))
        assert entry.user_id == pair.observed_id and entry.start == pair.start


def test_a_week_too_short_for_the_day_rule_is_explained(world):
    monday = next_monday()
    weekly_timetables(world, monday)
    round_ = services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Kort runda",
        participants=[world.alice, world.bob, world.carol],
        first_day=monday,
        last_day=monday + timedelta(days=4),
        k=2,
    )
    round_ = solve_and_commit(actor=world.carol, round_=round_)
    assert round_.status == RoundStatus.INFEASIBLE
    assert "max_per_day" in {b["rule"] for b in round_.blocking}


def test_an_impossible_round_says_which_rule_blocks_and_for_whom(client_for, world):
    round_ = plan(world, k=1, subject_mode="same")  # nobody shares a subject
    assert round_.status == RoundStatus.INFEASIBLE
    assert not round_.pairs.exists()
    rules = {b["rule"] for b in round_.blocking}
    assert "subject_mode" in rules
    page = client_for(world.carol).get(reverse("observations:round_detail", args=[round_.pk]))
    text = page.content.decode()
    assert "Bob Berg" in text and "Alice Andersson" in text


def test_moving_a_declined_pair_keeps_every_other_pair(world):
    round_ = plan(world, k=1, subject_mode="mixed")
    services.round_publish(actor=world.carol, round_=round_)
    before = {p.pk: (p.lesson_ref, p.start) for p in round_.pairs.all()}
    pair = round_.pairs.first()
    services.pair_respond(actor=pair.observer, pair=pair, accept=False, reason="Föräldramöte")
    options = timetable.pair_alternatives(pair=pair)
    assert options and pair.lesson_ref not in {o.ref for o in options}
    services.pair_move(actor=world.carol, pair=pair, lesson_ref=options[0].ref)
    pair.refresh_from_db()
    assert (pair.lesson_ref, pair.status, pair.moved_count) == (options[0].ref, "proposed", 1)
    assert pair.observer_response == pair.observed_response == "pending"
    after = {p.pk: (p.lesson_ref, p.start) for p in round_.pairs.all()}
    assert {k: v for k, v in after.items() if k != pair.pk} == {
        k: v for k, v in before.items() if k != pair.pk
    }
    built = timetable.build_round(round_)
    assignments = [
        Assignment(str(p.observer_id), str(p.observed_id), p.lesson_ref) for p in round_.pairs.all()
    ]
    assert check_round(built.instance, assignments) == []


def test_a_lesson_outside_the_offered_ones_cannot_be_forced(world):
    round_ = plan(world, k=1, subject_mode="mixed")
    pair = round_.pairs.first()
    someone_elses = TimetableEntry.objects.exclude(user=pair.observed).first()
    with pytest.raises(Exception) as err:
        services.pair_move(actor=world.carol, pair=pair, lesson_ref=str(someone_elses.pk))
    assert "lesson" in str(err.value).lower() or "lektion" in str(err.value).lower()
    pair.refresh_from_db()
    assert pair.moved_count == 0


def test_the_move_page_lists_the_alternatives_for_the_facilitator_only(client_for, world):
    round_ = plan(world, k=1, subject_mode="mixed")
    pair: RoundPair = round_.pairs.first()
    url = reverse("observations:pair_move", args=[pair.pk])
    page = client_for(world.carol).get(url)
    assert page.status_code == 200 and len(page.context["options"]) >= 1
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(world.dave).get(url).status_code == 404


def test_a_round_whose_period_is_over_says_so_in_plain_words(client_for, world):
    last_week = timezone.localdate() - timedelta(days=10)
    round_ = services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Förra veckan",
        participants=[world.alice, world.bob],
        first_day=last_week,
        last_day=last_week + timedelta(days=4),
    )
    round_ = solve_and_commit(actor=world.carol, round_=round_)
    assert (round_.status, round_.solve_error) == (RoundStatus.INFEASIBLE, "period_over")
    page = client_for(world.carol).get(reverse("observations:round_detail", args=[round_.pk]))
    assert "Rundans period är slut" in page.content.decode()
    pair = RoundPair.objects.create(
        round=round_,
        observer=world.alice,
        observed=world.bob,
        lesson_ref="gone",
        start=at(last_week, 9),
        end=at(last_week, 10),
    )
    assert timetable.pair_alternatives(pair=pair) == []


def test_a_preferred_pair_is_planned_when_the_rules_allow(client_for, world):
    monday = next_monday()
    weekly_timetables(world, monday)
    round_ = services.round_create(
        actor=world.carol,
        school=world.school_a,
        title="Med önskemål",
        participants=[world.alice, world.bob, world.carol],
        first_day=monday,
        last_day=monday + timedelta(days=11),
    )
    response = client_for(world.carol).post(
        reverse("observations:round_prefer", args=[round_.pk]),
        {"observer": world.bob.pk, "observed": world.alice.pk},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.preferred_pairs == [[world.bob.pk, world.alice.pk]]
    round_ = solve_and_commit(actor=world.carol, round_=round_)
    assert round_.pairs.filter(observer=world.bob, observed=world.alice).exists()
    page = client_for(world.carol).get(reverse("observations:round_detail", args=[round_.pk]))
    assert "Bob Berg observerar Alice Andersson" in page.content.decode()


def test_a_planning_error_never_leaves_the_round_planning_for_ever(monkeypatch, world):
    # Fault injection: the solver breaks half-way (a bug, or the process running out of memory).
    from kollegium.observations import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(tasks, "solve_round", broken)
    round_ = plan(world, k=1)
    assert (round_.status, round_.solve_error) == (RoundStatus.INFEASIBLE, "failed")
    assert "oväntat fel" in round_.solve_error_text

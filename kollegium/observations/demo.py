"""Demo data: a few weeks of peer observation at Björkskolan.

A finished round for the 4–6 team, observations in every status, notes and feedback that only
the pairs can see, and one learning that an observed teacher chose to share.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kollegium.observations import lifecycle
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationNote,
    ObservationRound,
    PairStatus,
    RoundPair,
    RoundStatus,
    SharedLearning,
)


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A weekday ``day_offset`` days from today at a local time (weekends moved to Monday)."""
    day = timezone.localdate() + timedelta(days=day_offset)
    while day.weekday() >= 5:
        day += timedelta(days=1 if day_offset >= 0 else -1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _observation(
    school: Any,
    observer: Any,
    observed: Any,
    start: datetime,
    status: lifecycle.Status,
    *,
    focus: str,
    form: str = "stars_and_wish",
    label: str = "",
    pair: RoundPair | None = None,
    reason: str = "",
) -> Observation:
    obs = Observation(
        school=school,
        observer=observer,
        observed=observed,
        requested_by=lifecycle.Role.OBSERVED.value,
        focus_key=focus,
        form_key=form,
        lesson_label=label,
        round_pair=pair,
    )
    awaiting = lifecycle.Role.OBSERVER if status is lifecycle.Status.REQUESTED else None
    obs.apply_state(
        lifecycle.ObservationState(
            status=status,
            start=start,
            end=start + timedelta(minutes=60),
            awaiting=awaiting,
            reason=reason,
            closed_by=lifecycle.Role.OBSERVER if reason else None,
        )
    )
    obs.save()
    return obs


def load_demo(demo: Any) -> None:
    people = demo.people
    school = demo.school_a
    bob, carol, fatima = people["bob"], people["carol"], people["fatima"]
    gustav, hanna, ida = people["gustav"], people["hanna"], people["ida"]
    team = demo.teams.get("work46")

    # A round three weeks ago for the 4–6 team; everyone answered, most observations held.
    round_ = ObservationRound.objects.create(
        school=school,
        team=team,
        title="Auskultationsrunda hösten, arbetslag 4–6",
        first_day=(_at(-21, 8)).date(),
        last_day=(_at(-10, 8)).date(),
        k=1,
        subject_mode="mixed",
        status=RoundStatus.PUBLISHED,
        progress=1.0,
        result_status="optimal",
        objective=14.0,
        best_bound=14.0,
        gap=0.0,
        wall_time_s=0.2,
        solved_at=timezone.now() - timedelta(days=22),
        created_by=carol,
    )
    # The 4–6 team's own people, each observing a colleague's lesson with one of the team's
    # classes, in a subject the observed teacher teaches: (observer, observed).
    members = [bob, carol, fatima, ida]
    round_.participants.set(members)
    ring = [(carol, bob), (fatima, carol), (ida, fatima), (bob, ida)]
    labels = [
        "Matematik 5A, sal 12",
        "Svenska 6B, sal 14",
        "Svenska som andraspråk 4A, sal 8",
        "Lästräning 5B, studion",
    ]
    statuses = [
        lifecycle.Status.DEBRIEFED,
        lifecycle.Status.DEBRIEFED,
        lifecycle.Status.DONE,
        lifecycle.Status.AGREED,
    ]
    focuses = ["questioning", "lesson_start", "pupil_talk", "formative_feedback"]
    made: list[Observation] = []
    for i, ((observer, observed), label, status, focus) in enumerate(
        zip(ring, labels, statuses, focuses, strict=True)
    ):
        start = _at(-20 + 3 * i, 9 + i)
        pair = RoundPair.objects.create(
            round=round_,
            observer=observer,
            observed=observed,
            lesson_ref=f"demo-{i}",
            lesson_label=label,
            start=start,
            end=start + timedelta(minutes=60),
            observer_response="accepted",
            observed_response="accepted",
            status=PairStatus.CONFIRMED,
        )
        if status is lifecycle.Status.AGREED:  # Bob → Ida was moved to next week
            start = _at(4, 10)
        made.append(
            _observation(
                school, observer, observed, start, status, focus=focus, label=label, pair=pair
            )
        )

    bob_lesson = made[0]
    ObservationNote.objects.bulk_create(
        [
            ObservationNote(
                observation=bob_lesson,
                author=carol,
                created_at=bob_lesson.start + timedelta(minutes=m),
                body=body,
            )
            for m, body in [
                (4, 'Startfråga på tavlan: "Vilket tal är störst, 0,7 eller 0,65? Varför?"'),
                (6, "Väntetid ca 5 s innan första handen. Bob väntar tills 8 händer är uppe."),
                (
                    12,
                    'Bob drar glasspinne: Amir svarar "0,65 för att 65 är större". Bob: '
                    '"Vem tänkte likadant? Vem tänkte annorlunda?" 6 elever tänkte likadant.',
                ),
                (31, "Minitavlor: alla 24 visar svar. 19 rätt."),
            ]
        ]
    )
    ObservationFeedback.objects.create(
        observation=bob_lesson,
        form_key="stars_and_wish",
        answers={
            "star_1": "Glasspinnarna gjorde att alla fick räkna med att svara, och du tog emot "
            "det felaktiga svaret som något att utforska.",
            "star_2": "Minitavlorna gav dig allas svar på tio sekunder: 19 av 24 rätt.",
            "wish": "Jag undrar vad som händer om eleverna får prata i par 30 sekunder innan "
            "du drar en pinne?",
        },
    )
    SharedLearning.objects.create(
        observation=bob_lesson,
        school=school,
        team=team,
        author=bob,
        focus_key="questioning",
        body="Jag trodde att jag väntade länge efter mina frågor; det var fem sekunder. Nu "
        "låter jag eleverna prata i par först, och fler vågar svara.",
    )
    carol_lesson = made[1]
    ObservationNote.objects.create(
        observation=carol_lesson,
        author=fatima,
        created_at=carol_lesson.start + timedelta(minutes=3),
        body="Eleverna går direkt till startuppgiften på bänken. Alla igång efter 2 min 10 s.",
    )

    # Outside the round: a request waiting for Hanna, one declined, one cancelled.
    _observation(
        school,
        hanna,
        ida,
        _at(6, 13),
        lifecycle.Status.REQUESTED,
        focus="differentiation",
        form="descriptive_evidence",
        label="Matematik 4B",
    )
    _observation(
        school,
        gustav,
        hanna,
        _at(-5, 8),
        lifecycle.Status.DECLINED,
        focus="instructions",
        label="Svenska 8A",
        reason="Jag har rastvakt just den tiden, kan vi ta veckan efter?",
    )
    _observation(
        school,
        ida,
        gustav,
        _at(-3, 14),
        lifecycle.Status.CANCELLED,
        focus="digital_tools",
        label="Idrott och hälsa 6A",
        reason="Klassen var på studiebesök.",
    )

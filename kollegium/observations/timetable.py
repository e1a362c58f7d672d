"""The observations app's window onto the scheduling app: lessons, busy times, free slots.

Everything the observations app needs from timetables goes through here, so the rest of the
app does not depend on how the scheduling app stores them. Lesson references (``ref``) are
timetable entry ids as strings; a round pair whose lesson has since disappeared (a timetable
re-import) keeps its own time and is checked with that.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language

from kollegium.core.dates import short_date
from kollegium.observations.models import Observation, ObservationRound, PairStatus, RoundPair
from kollegium.observations.reschedule import alternative_lessons
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership, NetworkMembership
from kollegium.scheduling.core.rounds import (
    Assignment,
    Lesson,
    RoundInstance,
    RoundRules,
    Teacher,
)
from kollegium.scheduling.models import EntryKind, TimetableEntry
from kollegium.scheduling.selectors import busy_intervals_for, common_free_slots

UPCOMING_WEEKS = 4
UPCOMING_LIMIT = 80
DEBRIEF_MINUTES = 20
DEBRIEF_SLOTS = 5


@dataclass(frozen=True)
class LessonOption:
    ref: str
    start: datetime
    end: datetime
    label: str

    @property
    def lesson_ref(self) -> str:
        return self.ref

    @property
    def choice_label(self) -> str:
        """E.g. "mån 7 dec, 08:10–09:00 · Ma 7B" (short_datetime and a time), the day's text
        made once per day and language (a form lists up to 80 lessons; formatting each date
        in full was a third of the request page's time: issue 10)."""
        start = timezone.localtime(self.start)
        end = timezone.localtime(self.end)
        day = _day_label(start.date(), get_language() or "sv")
        when = f"{day}, {start:%H:%M}–{end:%H:%M}"
        return f"{when} · {self.label}" if self.label else when


@lru_cache(maxsize=1024)
def _day_label(day: date, language: str) -> str:
    """short_date(day) in `language`, the active one (part of the key)."""
    return short_date(day)


def entry_label(entry: Any) -> str:
    parts = [entry.subject or entry.title, entry.group_name, entry.room]
    return ", ".join(p for p in parts if p)[:200]


def _option(entry: Any) -> LessonOption:
    return LessonOption(
        ref=str(entry.pk), start=entry.start, end=entry.end, label=entry_label(entry)
    )


def upcoming_lessons(*, user: Actor, now: datetime | None = None) -> list[LessonOption]:
    """The person's own lessons in the coming weeks, to choose one for an observation."""
    now = now or timezone.now()
    entries = TimetableEntry.objects.filter(
        user_id=user.pk,
        kind=EntryKind.LESSON,
        start__gt=now,
        start__lt=now + timedelta(weeks=UPCOMING_WEEKS),
    ).order_by("start", "pk")[:UPCOMING_LIMIT]
    return [_option(e) for e in entries]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)


def debrief_slots(
    *, actor: Actor, observation: Observation, now: datetime | None = None
) -> list[Any]:
    """Times the same day, after the lesson, when both are free for a 20-minute debrief.

    Uses the scheduling app's free-time finder (working hours, everyone's timetable and
    meetings). Returns up to five slots, each with ``start`` and ``end``.
    """
    now = now or timezone.now()
    day = timezone.localtime(observation.start).date()
    _, day_end = _day_bounds(day)
    start = max(observation.end, now)
    if start >= day_end:
        return []
    try:
        slots = common_free_slots(
            actor=actor,
            users=[observation.observer, observation.observed],
            start=day,
            end=day,
            min_minutes=DEBRIEF_MINUTES,
        )
    except PermissionDenied:  # one of the pair has left the actor's schools since
        return []
    out = []
    for slot in slots:
        if slot.start >= start and slot.end <= day_end:
            out.append(slot)
    out.sort(key=lambda s: s.start)
    return out[:DEBRIEF_SLOTS]


# --- rounds -----------------------------------------------------------------------------------


def round_window(round_: ObservationRound) -> tuple[datetime, datetime]:
    start, _ = _day_bounds(round_.first_day)
    _, end = _day_bounds(round_.last_day)
    return start, end


class RoundDataError(ValueError):
    """Nothing to plan; ``code`` is one of ObservationRound.SOLVE_ERRORS."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class BuiltRound:
    instance: RoundInstance
    lessons: dict[str, Lesson]
    labels: dict[str, str]
    users: dict[str, Any]


def _subject_key(text: str) -> str:
    return " ".join(text.lower().split())


def _network_sites(round_: ObservationRound, people: list[Any]) -> dict[int, str]:
    """In a network round, where each person works: their school among the network's (the
    first by id when several), as the solver's site; {} for a round at one school."""
    if round_.network_id is None:
        return {}
    site: dict[int, str] = {}
    for user_id, school_id in (
        Membership.objects.filter(
            user__in=people,
            school_id__in=NetworkMembership.objects.filter(network_id=round_.network_id).values(
                "school_id"
            ),
        )
        .order_by("school_id")
        .values_list("user_id", "school_id")
    ):
        site.setdefault(user_id, f"school-{school_id}")
    return site


def build_round(round_: ObservationRound, *, now: datetime | None = None) -> BuiltRound:
    """The solver's instance for a round: its people, their lessons in the period (from now
    on), everyone's busy time, and the rules. Raises ValueError when there is nothing to plan.
    """
    now = now or timezone.now()
    people = list(round_.participants.prefetch_related("subjects").order_by("pk"))
    if len(people) < 2:
        raise RoundDataError("too_few_people")
    start, end = round_window(round_)
    start = max(start, now)
    if end <= start:
        raise RoundDataError("period_over")
    rows = (
        TimetableEntry.objects.filter(
            user__in=people, kind=EntryKind.LESSON, start__gte=start, end__lte=end
        )
        .order_by("start", "pk")
        .values_list("pk", "user_id", "start", "end", "subject", "title", "group_name", "room")
    )
    own_subjects: dict[int, set[str]] = {p.pk: set() for p in people}
    lessons: dict[str, Lesson] = {}
    labels: dict[str, str] = {}
    for pk, user_id, s, e, subject_text, title, group_name, room in rows:
        subject = _subject_key(subject_text or title)
        if subject:
            own_subjects[user_id].add(subject)
        lessons[str(pk)] = Lesson(str(pk), str(user_id), s, e, subject)
        labels[str(pk)] = ", ".join(p for p in (subject_text or title, group_name, room) if p)[:200]
    site = _network_sites(round_, people)
    teachers = []
    for person in people:
        subjects = set(own_subjects[person.pk])
        for taught in person.subjects.all():
            subjects |= {_subject_key(taught.name_sv), _subject_key(taught.name_en)}
        teachers.append(Teacher(str(person.pk), frozenset(subjects), site=site.get(person.pk, "")))
    # Busy time includes the calendar registry (meetings, observations). The observations of
    # this round's own pairs are not "busy" for planning this round: drop one copy of each
    # (a real lesson of the observer at the same time stays, as its own timetable entry).
    own = Counter((o, s, e) for o, s, e in round_.pairs.values_list("observer_id", "start", "end"))
    busy_raw = busy_intervals_for(users=people, start=start, end=end)
    busy: dict[str, tuple[tuple[datetime, datetime], ...]] = {}
    for person in people:
        kept = []
        for s, e in busy_raw.get(person.pk, ()):
            if own[(person.pk, s, e)] > 0:
                own[(person.pk, s, e)] -= 1
                continue
            kept.append((s, e))
        busy[str(person.pk)] = tuple(kept)
    forbidden: frozenset[tuple[str, str]] = frozenset()
    if round_.previous_round_id:
        forbidden = frozenset(
            (str(o), str(d))
            for o, d in RoundPair.objects.filter(round_id=round_.previous_round_id)
            .exclude(status=PairStatus.DECLINED)
            .values_list("observer_id", "observed_id")
        )
    instance = RoundInstance(
        teachers=tuple(teachers),
        lessons=tuple(lessons.values()),
        busy=busy,
        rules=RoundRules(
            k=round_.k,
            subject_mode=round_.subject_mode,
            forbidden_pairs=forbidden,
            max_per_day=round_.max_per_day,
            require_observer_free=round_.require_observer_free,
            travel_minutes=round_.travel_minutes if round_.network_id else 0,
            other_site_only=bool(round_.network_id and round_.other_schools_only),
        ),
        preferred_pairs=frozenset(
            (str(o), str(d)) for o, d in round_.preferred_pairs if (str(o), str(d)) not in forbidden
        ),
        timezone=str(timezone.get_default_timezone()),
    )
    return BuiltRound(instance, lessons, labels, {str(p.pk): p for p in people})


def pair_alternatives(*, pair: RoundPair, now: datetime | None = None) -> list[LessonOption]:
    """Other lessons for this pair that keep every rule of the round, with the others fixed.
    None when the round's period is over."""
    try:
        built = build_round(pair.round, now=now)
    except RoundDataError:
        return []
    instance = built.instance
    extra: list[Lesson] = []
    assignments = []
    moving = None
    pairs = list(pair.round.pairs.exclude(status=PairStatus.DECLINED).exclude(pk=pair.pk))
    for item in [*pairs, pair]:
        ref = item.lesson_ref
        if ref not in built.lessons:
            ref = f"pair-{item.pk}"
            extra.append(Lesson(ref, str(item.observed_id), item.start, item.end, ""))
        assignment = Assignment(str(item.observer_id), str(item.observed_id), ref)
        assignments.append(assignment)
        if item.pk == pair.pk:
            moving = assignment
    if extra:
        instance = RoundInstance(
            teachers=instance.teachers,
            lessons=instance.lessons + tuple(extra),
            busy=instance.busy,
            rules=instance.rules,
            preferred_pairs=instance.preferred_pairs,
            timezone=instance.timezone,
        )
    assert moving is not None
    found = alternative_lessons(
        instance, assignments, moving, not_before=now or timezone.now(), limit=8
    )
    return [
        LessonOption(
            ref=alt.lesson.id,
            start=alt.lesson.start,
            end=alt.lesson.end,
            label=built.labels.get(alt.lesson.id, ""),
        )
        for alt in found
        if alt.lesson.id in built.lessons
    ]

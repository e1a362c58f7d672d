"""Demo data: learning groups as they look after a few weeks of use at Björkskolan.

- "TLC formativ bedömning 4–9": a teacher learning community run by Carol with Bob and
  colleagues; a launch meeting and two monthly meetings held, with minutes, attendance,
  commitments and reflections (one of them "it did not work, and here is what I learned"),
  and the next meeting planned with a video link.
- "Learning study: bråk i åk 5": lesson A and B taught, with aggregate pre/post results.
- "Läscirkel i nätverket": a cross-school reading circle with Dave from Ekskolan.
- "TeachMeet i nätverket": a workshop group that has held its planning meeting; its
  TeachMeet is planned, and colleagues from both schools have signed up to speak.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kollegium.core.schoolyear import next_school_day
from kollegium.groups import services
from kollegium.groups.models import (
    Attendance,
    Commitment,
    LearningGroup,
    LessonVersion,
    Meeting,
    MinutesRevision,
    TestItemResult,
)
from kollegium.groups.rotation import DISCUSSION_LEADER, NOTE_TAKER, TIMEKEEPER, rotate_roles


def _held(group: LearningGroup, days_ago: int, phase: str, minutes: str, decisions: str) -> Meeting:
    start = timezone.localtime(timezone.now() - timedelta(days=days_ago)).replace(
        hour=15, minute=15, second=0, microsecond=0
    )
    guide = group.guide.parsed
    meeting_type = guide.meeting_type(guide.phase(phase).meeting_type)
    members = list(group.memberships.order_by("joined_at", "pk").values_list("user_id", flat=True))
    history = []
    for m in group.meetings.order_by("starts_at"):
        held = {
            DISCUSSION_LEADER: m.discussion_leader_id,
            NOTE_TAKER: m.note_taker_id,
            TIMEKEEPER: m.timekeeper_id,
        }
        history.append({role: pk for role, pk in held.items() if pk is not None})
    (roles,) = rotate_roles(members, [None], history=history)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=start,
        ends_at=start + timedelta(minutes=meeting_type.total_minutes),
        place="Biblioteket, Björkskolan",
        phase_key=phase,
        meeting_type_key=meeting_type.key,
        status=Meeting.Status.HELD,
        minutes=minutes,
        decisions=decisions,
        minutes_updated_at=start + timedelta(minutes=100),
        minutes_revision=1,
        discussion_leader_id=roles.holder(DISCUSSION_LEADER),
        note_taker_id=roles.holder(NOTE_TAKER),
        timekeeper_id=roles.holder(TIMEKEEPER),
    )
    MinutesRevision.objects.create(
        meeting=meeting,
        number=1,
        minutes=minutes,
        decisions=decisions,
        author_id=meeting.note_taker_id,
        created_at=start + timedelta(minutes=100),
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=pk, present=True) for pk in members]
    )
    return meeting


def _tlc(demo: Any) -> None:
    p = demo.people
    carol = p["carol"]
    members = [p[k] for k in ("bob", "erik", "fatima", "gustav", "hanna", "ida") if k in p]
    today = timezone.localdate()
    focus = demo.focus_areas[0] if demo.focus_areas else None
    group = services.group_create(
        actor=carol,
        school=demo.school_a,
        name="TLC formativ bedömning 4–9",
        guide=services.shipped_guide("tlc"),
        purpose="Fler elever ska veta vad de ska lära sig och hur de ligger till – "
        "genom att vi prövar en teknik i taget och berättar för varandra hur det gick.",
        focus=focus,
        member_ids=[m.pk for m in members],
        starts_on=today - timedelta(days=75),
        ends_on=today + timedelta(days=220),
    )
    launch = _held(
        group,
        70,
        "launch",
        "Vi gick igenom de fem nyckelstrategierna. Alla valde en teknik att börja med. "
        "Överenskommelse: det som sägs om elever stannar i rummet, och vi berättar lika gärna "
        "om det som inte fungerade.",
        "Vi träffas var fjärde tisdag 15.15. Var och en prövar en teknik före nästa möte.",
    )
    texts = {
        "bob": (
            "Pröva exit tickets i 5B efter varje mattelektion i två veckor.",
            Commitment.Outcome.WORKED,
            "Jag såg direkt vilka fem elever som inte förstod likhetstecknet och kunde börja "
            "nästa lektion med dem.",
        ),
        "erik": (
            "Använda mini-whiteboards i svenska 7A vid ordklassgenomgångar.",
            Commitment.Outcome.DID_NOT_WORK,
            "Det blev stökigt och tog halva lektionen. Jag lärde mig att frågorna "
            "måste vara korta och "
            "att tavlorna ska delas ut innan genomgången, inte under.",
        ),
        "fatima": (
            "Låta eleverna formulera lärandemålet med egna ord i NO 6.",
            Commitment.Outcome.PARTLY,
            "Hälften av eleverna skrev om uppgiften i stället för målet. Nästa gång visar jag ett "
            "exempel först.",
        ),
        "gustav": (
            "Slumpa vem som svarar med glasspinnar i engelska 8C.",
            Commitment.Outcome.WORKED,
            "Fler elever var förberedda att svara. Två elever tyckte det var "
            "obehagligt – jag låter dem "
            "samråda med en kamrat först.",
        ),
    }
    people = {k: p[k] for k in texts if k in p}
    for key, person in people.items():
        text, outcome, reflection = texts[key]
        Commitment.objects.create(
            group=group, meeting=launch, user=person, text=text, due_on=today - timedelta(days=45)
        )
    second = _held(
        group,
        42,
        "monthly",
        "Återkopplingen tog 45 minuter – det var värt det. Eriks erfarenhet av mini-whiteboards "
        "ledde till ett bra samtal om hur frågorna formuleras. Nytt lärande: gångjärnsfrågor "
        "(Wiliam kap. 4).",
        "Alla prövar en gångjärnsfråga före nästa möte. Hanna tar med exempel från matte.",
    )
    for commitment_row in Commitment.objects.filter(meeting=launch).select_related("user"):
        key = next(k for k, person in people.items() if person == commitment_row.user)
        _text, outcome, reflection = texts[key]
        commitment_row.outcome = outcome
        commitment_row.reflection = reflection
        commitment_row.reflected_at = second.starts_at + timedelta(minutes=30)
        commitment_row.reflected_meeting = second
        commitment_row.save()
    hinge = {
        "bob": "Ställa en gångjärnsfråga mitt i bråklektionen i 5B och dela klassen efter svaren.",
        "erik": "Mini-whiteboards igen i 7A, med korta frågor och tavlorna utdelade från start.",
        "fatima": "En gångjärnsfråga om fotosyntes i NO 6 innan laborationen.",
        "hanna": "Gångjärnsfråga med fyra svarsalternativ i matte 9B.",
    }
    for key, text in hinge.items():
        if key in p:
            Commitment.objects.create(
                group=group,
                meeting=second,
                user=p[key],
                text=text,
                due_on=today - timedelta(days=16),
            )
    third = _held(
        group,
        14,
        "monthly",
        "Gångjärnsfrågor: svårast är att skriva felaktiga alternativ som avslöjar vanliga "
        "missuppfattningar. Vi delade bra exempel i gruppens material.",
        "Nästa gång: kamratrespons. Ida leder startuppgiften.",
    )
    for row in Commitment.objects.filter(meeting=second).select_related("user"):
        if row.user == p.get("erik"):
            row.outcome = Commitment.Outcome.WORKED
            row.reflection = (
                "Med korta frågor fungerade det – jag såg på tio sekunder vilka som hängde med."
            )
            row.reflected_at = third.starts_at + timedelta(minutes=25)
            row.reflected_meeting = third
            row.save()
    for key, text in {
        "bob": "Pröva två stjärnor och en önskan som kamratrespons på textuppgiften i 5B.",
        "ida": "Låta eleverna i 4A ge varandra respons med en checklista.",
    }.items():
        if key in p:
            Commitment.objects.create(
                group=group,
                meeting=third,
                user=p[key],
                text=text,
                due_on=today + timedelta(days=10),
            )
    services.material_add(
        actor=carol,
        group=group,
        title="Dylan Wiliam: Att följa lärande – kapitel 4 (gångjärnsfrågor)",
        description="Boken finns i fem exemplar i personalrummet.",
    )
    next_start = _school_day_at(14, 15, 15)
    services.meeting_schedule(
        actor=carol,
        group=group,
        starts_at=next_start,
        place="Biblioteket, Björkskolan",
        video_url="https://meet.example.org/tlc-bjorkskolan",
    )


def _learning_study(demo: Any) -> None:
    p = demo.people
    carol = p["carol"]
    members = [p[k] for k in ("hanna", "ida", "bob") if k in p]
    today = timezone.localdate()
    group = services.group_create(
        actor=carol,
        school=demo.school_a,
        name="Learning study: bråk i åk 5",
        guide=services.shipped_guide("learning-study"),
        purpose="Eleverna ska kunna jämföra bråk med olika nämnare.",
        member_ids=[m.pk for m in members],
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
    )
    _held(
        group,
        55,
        "object_of_learning",
        "Lärandeobjekt: att storleken på en bråkdel beror på både täljare och nämnare.",
        "Förtest med sex uppgifter.",
    )
    _held(
        group,
        40,
        "critical_aspects",
        "Kritisk aspekt: eleverna ser nämnaren som ett antal, inte som delar av en helhet.",
        "Hanna undervisar lektion A i 5A.",
    )
    _held(
        group,
        20,
        "lesson_a",
        "Lektion A: kontrasten 1/3 och 1/5 av samma helhet fungerade; uppgift 4 ändrades inte.",
        "Bob undervisar lektion B med en tallinje.",
    )
    results = {
        "A": [
            ("Uppgift 1", 42, 24, 71, 24),
            ("Uppgift 2", 38, 24, 63, 23),
            ("Uppgift 3", 25, 24, 58, 24),
            ("Uppgift 4", 21, 24, 29, 24),
        ],
        "B": [
            ("Uppgift 1", 45, 22, 82, 22),
            ("Uppgift 2", 36, 22, 77, 22),
            ("Uppgift 3", 27, 22, 68, 21),
            ("Uppgift 4", 18, 22, 59, 22),
        ],
    }
    for label, rows in results.items():
        lesson = LessonVersion.objects.create(
            group=group, label=label, taught_on=today - timedelta(days=25 if label == "A" else 8)
        )
        TestItemResult.objects.bulk_create(
            [
                TestItemResult(
                    lesson=lesson,
                    item=item,
                    pre_percent=a,
                    pre_pupils=b,
                    post_percent=c,
                    post_pupils=d,
                )
                for item, a, b, c, d in rows
            ]
        )


def _network_reading_circle(demo: Any) -> None:
    p = demo.people
    if "dave" not in p or demo.network is None:
        return
    today = timezone.localdate()
    group = services.group_create(
        actor=p["carol"],
        school=demo.school_a,
        name="Läscirkel i nätverket: Tillgängligt lärande",
        guide=services.shipped_guide("reading-circle"),
        purpose="Läsa och pröva idéer om tillgänglig undervisning tillsammans över skolgränserna.",
        network=demo.network,
        member_ids=[p[k].pk for k in ("dave", "fatima") if k in p],
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=150),
        minutes_sharing="leaders",
    )
    services.meeting_schedule(
        actor=p["carol"],
        group=group,
        starts_at=_school_day_at(9, 16),
        video_url="https://meet.example.org/lascirkel-natverket",
    )


def _school_day_at(
    days: int, hour: int, minute: int = 0, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> datetime:
    """A meeting time on the first school day at least `days` from today: no meeting falls on
    a weekend or in a break (a TeachMeet on Christmas Day was in the demo once)."""
    day = next_school_day(timezone.localdate() + timedelta(days=days), weekdays=weekdays)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _teachmeet(demo: Any) -> None:
    p = demo.people
    carol = p["carol"]
    keys = ("bob", "erik", "fatima", "hanna", "ida")
    network = demo.network if "dave" in p and demo.network is not None else None
    members = [p[k] for k in (*keys, "dave") if k in p and (k != "dave" or network)]
    today = timezone.localdate()
    group = services.group_create(
        actor=carol,
        school=demo.school_a,
        name="TeachMeet i nätverket: formativ bedömning",
        guide=services.shipped_guide("workshop"),
        purpose="Lärare delar det som fungerar i klassrummet i korta presentationer – "
        "en kväll per termin för båda skolorna.",
        focus=demo.focus_areas[0] if demo.focus_areas else None,
        network=network,
        member_ids=[m.pk for m in members],
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=160),
    )
    _held(
        group,
        12,
        "sign_up",
        "Tema: formativ bedömning i praktiken. Vi bjuder in båda skolornas lärare. "
        "Anmälan till talarlistan är öppen i Kollegium.",
        "Carol är konferencier, Ida tidhållare. Fika i biblioteket.",
    )
    # A TeachMeet is an evening midweek, on a school day.
    start = _school_day_at(18, 16, weekdays=(1, 2, 3))
    meeting = services.meeting_schedule(
        actor=carol,
        group=group,
        starts_at=start,
        place="Aulan, Björkskolan",
        video_url="https://meet.example.org/teachmeet-natverket",
    )
    talks = [
        (
            "bob",
            "micro_talks",
            "Exit tickets på två minuter",
            "Tre frågor på en lapp – så ser jag före nästa lektion vilka som behöver mer.",
        ),
        (
            "erik",
            "micro_talks",
            "Mini-whiteboards, andra försöket",
            "Korta frågor och tavlorna utdelade från start: då fungerade det.",
        ),
        ("fatima", "micro_talks", "Lärandemål med egna ord", ""),
        (
            "dave",
            "short_talks",
            "Språkutvecklande NO med bildstöd",
            "Hur vi på Ekskolan låter eleverna beskriva försök med ord och bilder.",
        ),
        (
            "hanna",
            "short_talks",
            "Gångjärnsfrågor i matte 9",
            "Svarsalternativ som avslöjar vanliga missuppfattningar – med elevsvar.",
        ),
    ]
    for key, step, title, description in talks:
        if key in p and p[key] in members:
            services.talk_signup(
                actor=p[key], meeting=meeting, step_key=step, title=title, description=description
            )


def load_demo(demo: Any) -> None:
    if "carol" not in demo.people:
        return
    _tlc(demo)
    _learning_study(demo)
    _network_reading_circle(demo)
    _teachmeet(demo)

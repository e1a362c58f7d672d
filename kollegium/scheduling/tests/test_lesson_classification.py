"""What is a lesson: rules and keywords as data, TRANSP, CATEGORIES, SS 12000 activity types, and
the teacher's own correction of a series, kept across re-imports. Non-lessons stay busy time
and are never offered for an observation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from kollegium.observations.timetable import upcoming_lessons
from kollegium.scheduling import selectors, services
from kollegium.scheduling.core.lessons import classify
from kollegium.scheduling.models import EntryKind, SeriesCorrection, TimetableEntry
from kollegium.scheduling.tests.realistic import calendar_bytes

WINDOW = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
NOT_LESSONS = [
    "Arbetslagsmöte", "Arbetslagsmöte 7-9", "APT", "Konferens", "Klasskonferens 9B", "Rastvakt",
    "Resa till Norrskolan", "Lunch", "Mentorstid 8A", "Ämneslagsmöte NO", "Utvecklingstid",
    "Studiedag", "Föräldramöte 7B", "Utvecklingssamtal", "Fika", "Handledning", "Team meeting",
    "Staff meeting", "Break duty", "Travel", "Planering", "Lunchvakt", "Elevhälsomöte",
]  # fmt: skip
LESSONS = [
    "Matematik 7B", "Svenska 9A", "Engelska", "Idrott och hälsa 4-6", "Kemi NA21b", "Bild",
    "Slöjd 8C", "Moderna språk: Spanska", "Svenska som andraspråk", "Musik 7A", "Historia",
]  # fmt: skip


@pytest.mark.parametrize("title", NOT_LESSONS)
def test_meetings_duty_travel_and_lunch_are_not_lessons(title):
    assert classify(title=title).is_lesson is False


@pytest.mark.parametrize("title", LESSONS)
def test_lesson_titles_are_lessons(title):
    assert classify(title=title).is_lesson is True


def test_categories_and_ss12000_activity_types_decide_before_the_title():
    assert classify(title="Matematik 7B", categories=["Möte"]).is_lesson is False
    assert classify(title="Lunchens matte", categories=["Lektion"]).is_lesson is True
    assert classify(title="Arbetslagsmöte", activity_type="Undervisning").is_lesson is True
    assert classify(title="Svenska 7B", activity_type="Läraraktivitet").is_lesson is False
    assert classify(title="Matematik 7B", correction=False).reason == "teacher"


def event(uid: str, summary: str, start: str, *extra: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{summary}",
            f"DTSTART;TZID=Europe/Stockholm:{start}", "DURATION:PT55M",
            "RRULE:FREQ=WEEKLY;COUNT=3", *extra, "END:VEVENT"]  # fmt: skip


def school_file(*events: list[str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//SV"]
    for item in events:
        lines += item
    return calendar_bytes([*lines, "END:VCALENDAR"])


FILE = school_file(
    event("m", "Matematik 7B", "20261102T081000", "LOCATION:Sal 3"),
    event("a", "Arbetslagsmöte 7-9", "20261103T160000", "LOCATION:Personalrummet"),
    event("r", "Rastvakt", "20261104T102000"),
    event("c", "Studiebesök", "20261105T090000", "CATEGORIES:Möte"),
    event("s", "Svenska 8A", "20261106T090000", "X-SS12000-ACTIVITY-TYPE:Undervisning"),
)


def test_an_import_keeps_non_lessons_as_busy_time_without_a_subject(bob):
    record = services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    kinds = {
        e.title: (e.kind, e.subject, e.group_name) for e in TimetableEntry.objects.filter(user=bob)
    }
    assert kinds["Matematik 7B"] == (EntryKind.LESSON, "Matematik", "7B")
    assert kinds["Svenska 8A"] == (EntryKind.LESSON, "Svenska", "8A")
    for title in ("Arbetslagsmöte 7-9", "Rastvakt", "Studiebesök"):
        assert kinds[title] == (EntryKind.BUSY, "", "")
    assert record.lessons_read == 6
    assert record.classification == {
        "lesson": 6, "team_meeting": 3, "duty": 3, "staff_meeting": 3,
    }  # fmt: skip


def test_non_lessons_are_busy_for_free_time_but_never_offered_for_observation(bob):
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    offered = {o.label for o in upcoming_lessons(user=bob, now=now)}
    assert offered and all(label.startswith(("Matematik", "Svenska")) for label in offered)
    busy = selectors.busy_intervals_for(users=[bob], start=WINDOW[0], end=WINDOW[1])
    assert len(busy[bob.pk]) == 15  # every entry, lesson or not, is busy time


def test_a_teachers_correction_of_a_series_sticks_across_reimports(bob):
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    meeting = TimetableEntry.objects.filter(user=bob, title="Arbetslagsmöte 7-9").first()
    math = TimetableEntry.objects.filter(user=bob, title="Matematik 7B").first()
    assert services.timetable_series_correct(
        actor=bob, series_key=meeting.series_key, is_lesson=True
    ) == 3  # fmt: skip
    services.timetable_series_correct(actor=bob, series_key=math.series_key, is_lesson=False)
    services.timetable_import_ics(actor=bob, data=FILE, name="again.ics", window=WINDOW)
    entries = TimetableEntry.objects.filter(user=bob)
    assert {e.kind for e in entries if e.title == "Arbetslagsmöte 7-9"} == {EntryKind.LESSON}
    assert {e.reason for e in entries if e.title == "Arbetslagsmöte 7-9"} == {"teacher"}
    assert {(e.kind, e.subject) for e in entries if e.title == "Matematik 7B"} == {
        (EntryKind.BUSY, "")
    }


def test_a_series_without_uid_repeats_is_keyed_on_title_weekday_and_time(bob):
    single = school_file(
        ["BEGIN:VEVENT", "UID:one-1", "SUMMARY:Mentorstid 8A",
         "DTSTART:20261102T120000Z", "DTEND:20261102T123000Z", "END:VEVENT"],
    )  # fmt: skip
    services.timetable_import_ics(actor=bob, data=single, name="a.ics", window=WINDOW)
    (entry,) = TimetableEntry.objects.filter(user=bob)
    assert entry.series_key == "mentorstid 8a|0|13:00"
    services.timetable_series_correct(actor=bob, series_key=entry.series_key, is_lesson=True)
    renamed = single.replace(b"UID:one-1", b"UID:one-2")  # exporters renumber occurrences
    services.timetable_import_ics(actor=bob, data=renamed, name="b.ics", window=WINDOW)
    assert TimetableEntry.objects.get(user=bob).kind == EntryKind.LESSON


def test_the_timetable_page_shows_the_classification_in_swedish(bob, client_for):
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    page = client_for(bob).get(reverse("scheduling:index")).content.decode()
    assert "Lektioner och annan upptagen tid" in page
    assert "Möte i arbetslag eller ämneslag" in page
    assert "Rastvakt eller annan tillsyn" in page
    assert "Inte en lektion" in page


def test_the_timetable_page_shows_the_classification_in_english(bob, client_for):
    bob.preferred_language = "en"
    bob.save()
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    client = client_for(bob)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("scheduling:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Team meeting" in page
    assert "Break duty" in page
    assert "Not a lesson" in page


def test_a_teacher_corrects_a_series_from_the_page(bob, client_for):
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    meeting = TimetableEntry.objects.filter(user=bob, title="Arbetslagsmöte 7-9").first()
    response = client_for(bob).post(
        reverse("scheduling:series_correct"), {"series_key": meeting.series_key, "is_lesson": "1"}
    )
    assert response.status_code == 302
    assert SeriesCorrection.objects.get(user=bob).is_lesson is True


def test_dave_cannot_correct_bobs_series(bob, dave, client_for):
    services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    meeting = TimetableEntry.objects.filter(user=bob, title="Arbetslagsmöte 7-9").first()
    client_for(dave).post(
        reverse("scheduling:series_correct"), {"series_key": meeting.series_key, "is_lesson": "1"}
    )
    assert not SeriesCorrection.objects.exists()
    assert TimetableEntry.objects.get(pk=meeting.pk).kind == EntryKind.BUSY


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.post(reverse("scheduling:series_correct"), {"series_key": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_import_report_shows_warnings_and_the_classification(bob, client_for):
    record = services.timetable_import_ics(actor=bob, data=FILE, name="s.ics", window=WINDOW)
    record.warnings = [{"line": 4, "reason": "Kontrollera tidszonen"}]
    record.save()
    url = reverse("scheduling:import_report", args=[record.pk])
    page = client_for(bob).get(url).content.decode()
    assert "Kontrollera tidszonen" in page
    assert "Möte i arbetslag eller ämneslag" in page


def test_the_home_panel_counts_lessons_not_meetings(bob, client_for):
    from django.utils import timezone

    from kollegium.scheduling.hooks import home_panel

    start = timezone.now() + timedelta(days=1)
    for title, kind in (("Matematik 7B", EntryKind.LESSON), ("Arbetslagsmöte", EntryKind.BUSY)):
        TimetableEntry.objects.create(
            user=bob, title=title, kind=kind, start=start, end=start + timedelta(minutes=50)
        )
    request = client_for(bob).get(reverse("scheduling:index")).wsgi_request
    assert home_panel(request)["lessons"] == 1

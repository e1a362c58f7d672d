"""Issue 6 end to end in a real browser, with axe-core on every page.

Bob imports his timetable from an .ics file and asks Carol to observe one of his lessons with a
focus; Carol agrees; on yesterday's observation she adds a note from her phone and writes the
feedback; then, as facilitator, she starts a round for her team, plans it and sends it out;
Bob accepts his pair.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.observations.models import (
    Observation,
    ObservationFeedback,
    ObservationNote,
    ObservationRound,
    RoundPair,
)
from kollegium.observations.tests.helpers import make_observation, soon
from kollegium.scheduling.models import TimetableEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def bobs_timetable(tmp_path, monday) -> str:
    """Swedish lessons every weekday at 09:00 for three weeks, as a timetable system exports."""
    stamp = monday.strftime("%Y%m%d")
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Skolschema//SV",
            "BEGIN:VEVENT",
            "UID:svenska-7a@skolschema.example",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Stockholm:{stamp}T090000",
            f"DTEND;TZID=Europe/Stockholm:{stamp}T100000",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=15",
            "SUMMARY:Svenska 7A",
            "LOCATION:Sal 12",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    path = tmp_path / "schema.ics"
    path.write_text(text, encoding="utf-8")
    return str(path)


def lessons_for(person, monday, hour, subject):
    for week in range(3):
        for day in range(5):
            start = timezone.make_aware(
                datetime.combine(monday + timedelta(days=7 * week + day), time(hour))
            )
            TimetableEntry.objects.create(
                user=person, subject=subject, start=start, end=start + timedelta(hours=1)
            )


def submit(page, form_selector="main form[method=post]"):
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state()


def test_issue_6_timetable_request_feedback_round_and_accept(
    live_server, browser, page, world, tmp_path
):
    base = live_server.url
    monday = next_monday()
    lessons_for(world.carol, monday, 10, "Engelska")
    lessons_for(world.alice, monday, 13, "Matematik")
    yesterday = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=soon(days=-1),
        focus_key="questioning",
    )

    # Bob brings in his timetable from an .ics file.
    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/scheduling/import/ics/")
    check_accessibility(page, context="ics import")
    page.locator("input[type=file]").set_input_files(bobs_timetable(tmp_path, monday))
    submit(page)
    check_accessibility(page, context="import report")
    assert TimetableEntry.objects.filter(user=world.bob).count() == 15

    # He asks Carol to observe one of his lessons, with a focus and a feedback form.
    page.goto(base + "/observations/new/")
    check_accessibility(page, context="request form")
    page.select_option("#id_observer", label="Carol Chen")
    page.select_option("#id_lesson", index=1)
    page.check("input[name=focus_key][value=questioning]")
    page.get_by_label("Något särskilt? (frivilligt)").fill("Hur länge väntar jag efter en fråga?")
    page.check("input[name=form_key][value=stars_and_wish]")
    page.get_by_role("button", name="Skicka förfrågan").click()
    page.wait_for_load_state()
    assert page.get_by_role(
        "heading", level=1, name="Carol Chen observerar din lektion"
    ).is_visible()
    check_accessibility(page, context="observation, requested")
    request = Observation.objects.exclude(pk=yesterday.pk).get()
    assert request.focus_key == "questioning" and request.status == "requested"

    # Carol, on her phone, agrees, then writes notes and feedback on yesterday's lesson.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="sv-SE"
    ).new_page()
    phone.set_default_timeout(10_000)
    sign_in(phone, base, world.carol.email, world.password)
    phone.goto(f"{base}/observations/{request.pk}/")
    check_accessibility(phone, context="observation to answer")
    phone.get_by_role("button", name="Tacka ja").click()
    phone.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == "agreed"
    check_accessibility(phone, context="observation agreed")

    phone.goto(f"{base}/observations/{yesterday.pk}/")
    phone.get_by_label("Ny anteckning").fill("09:06 Väntetid cirka 5 sekunder.")
    phone.get_by_role("button", name="Lägg till anteckningen").click()
    phone.locator("#notes li", has_text="Väntetid cirka 5 sekunder").wait_for()
    check_accessibility(phone, context="notes added")
    phone.get_by_label("Första stjärnan").fill("Glasspinnarna gav alla en chans att svara.")
    phone.get_by_label("Andra stjärnan").fill("Minitavlorna visade 19 av 24 rätt.")
    phone.get_by_role("textbox", name="Önskan").fill("Vad händer om de pratar i par först?")
    phone.get_by_role("button", name="Spara återkopplingen").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Din återkoppling har sparats.").is_visible()
    check_accessibility(phone, context="feedback saved")
    assert ObservationNote.objects.filter(observation=yesterday).count() == 1
    assert ObservationFeedback.objects.get(observation=yesterday).answers["star_2"]

    # As facilitator, Carol starts a round for her team (and Alice), plans it and sends it.
    phone.goto(base + "/observations/rounds/new/")
    check_accessibility(phone, context="new round")
    phone.get_by_label("Rubrik").fill("Vårens auskultationer")
    phone.get_by_label("Arbetslag").select_option(label=world.team_a.name)
    phone.get_by_label("Alice Andersson").check()
    phone.get_by_label("Första dag").fill(monday.isoformat())
    phone.get_by_label("Sista dag").fill((monday + timedelta(days=11)).isoformat())
    phone.get_by_role("button", name="Skapa rundan").click()
    phone.wait_for_load_state()
    check_accessibility(phone, context="round draft")
    phone.get_by_role("button", name="Planera rundan").click()
    phone.wait_for_load_state()
    phone.get_by_role("heading", name="Föreslaget schema").wait_for()
    check_accessibility(phone, context="round proposed")
    round_ = ObservationRound.objects.get()
    assert round_.status == "proposed" and round_.pairs.count() == 3
    phone.get_by_role("button", name="Skicka till deltagarna").click()
    phone.wait_for_load_state()
    check_accessibility(phone, context="round sent")
    phone.context.close()

    # Bob accepts his pair on the observation page.
    page.goto(base + "/observations/")
    check_accessibility(page, context="observations home with a pair")
    page.locator("form[action*='/pairs/'] button", has_text="Tacka ja").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Tack för ditt svar.")).to_be_visible()
    check_accessibility(page, context="pair accepted")
    answered = RoundPair.objects.filter(round=round_).exclude(
        observer_response="pending", observed_response="pending"
    )
    assert answered.count() == 1

    # The guide and, for Alice, the statistics pages pass axe too.
    page.goto(base + "/observations/guide/")
    check_accessibility(page, context="guide")

"""Bringing in a timetable and finding common time, in a real browser, with axe-core.

Bob uploads a broken .ics file and is told which line is wrong, then the right file and sees
the import report and his lessons; he finds a common free hour with Carol and makes himself a
calendar address. The timetable page is checked on a phone too.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.scheduling.models import Source, TimetableEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def calendar_file(start_day) -> bytes:
    stamp = start_day.strftime("%Y%m%d")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Skolschema//SV\r\n"
        "BEGIN:VEVENT\r\nUID:ma-5a@skolschema\r\nSUMMARY:Matematik 5A\r\nLOCATION:B2\r\n"
        f"DTSTART;TZID=Europe/Stockholm:{stamp}T081000\r\n"
        f"DTEND;TZID=Europe/Stockholm:{stamp}T090000\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=6\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_a_teacher_imports_a_timetable_and_finds_common_time(live_server, page, world):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sign_in(page, live_server.url, world.bob.email, world.password)

    page.goto(f"{live_server.url}/scheduling/")
    page.get_by_role("heading", level=1, name="Mitt schema").wait_for()
    check_accessibility(page, context="empty timetable")

    page.get_by_role("link", name="Ladda upp en iCalendar-fil").click()
    check_accessibility(page, context="upload form")
    broken = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Utan start\r\n"
    page.get_by_label("iCalendar-fil (.ics)").set_input_files(
        files=[{"name": "trasig.ics", "mimeType": "text/calendar",
                "buffer": broken + b"END:VEVENT\r\nEND:VCALENDAR\r\n"}]
    )  # fmt: skip
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Händelsen som börjar på rad 3 saknar DTSTART.").wait_for()
    check_accessibility(page, context="upload form with an error")
    assert not TimetableEntry.objects.filter(user=world.bob).exists()

    page.get_by_label("iCalendar-fil (.ics)").set_input_files(
        files=[{"name": "schema.ics", "mimeType": "text/calendar",
                "buffer": calendar_file(tomorrow)}]
    )  # fmt: skip
    page.get_by_role("button", name="Importera").click()
    page.get_by_role("heading", level=1, name="Importrapport").wait_for()
    page.get_by_text("6 lektioner lästa").wait_for()
    check_accessibility(page, context="import report")
    assert TimetableEntry.objects.filter(user=world.bob, source=Source.ICS).count() == 6

    page.get_by_role("link", name="Tillbaka till mitt schema").click()
    page.get_by_text("Matematik 5A").filter(visible=True).first.wait_for()
    check_accessibility(page, context="timetable with lessons")

    # Common free time with Carol tomorrow: Bob teaches 08:10-09:00.
    page.get_by_role("link", name="Hitta gemensam tid").first.click()
    page.get_by_label("Bob Berg").check()
    page.get_by_label("Carol Chen").check()
    page.get_by_label("Från").fill(tomorrow.isoformat())
    page.get_by_label("Till").fill(tomorrow.isoformat())
    page.get_by_label("Minst").select_option("60")
    page.get_by_role("button", name="Hitta tider").click()
    results = page.get_by_role("region", name="Förslag på tider")
    if tomorrow.weekday() < 5:
        results.get_by_text("09:00–17:00").wait_for()
    else:
        results.get_by_text("Ingen gemensam ledig tid").wait_for()
    check_accessibility(page, context="free time results")

    # A private calendar address, shown once.
    page.get_by_role("link", name="Kalenderprenumeration").click()
    page.get_by_role("button", name="Skapa en ny adress").click()
    address = page.get_by_label("Kalenderadress").input_value()
    assert address.startswith(live_server.url) and address.endswith(".ics")
    check_accessibility(page, context="calendar feed")


def test_the_timetable_pages_work_on_a_phone(live_server, phone_page, world):
    sign_in(phone_page, live_server.url, world.carol.email, world.password)
    for path in ("/scheduling/", "/scheduling/lessons/new/", "/scheduling/dedicated/"):
        phone_page.goto(f"{live_server.url}{path}")
        check_accessibility(phone_page, context=path)
    phone_page.goto(f"{live_server.url}/scheduling/lessons/new/")
    phone_page.get_by_label("Veckodag").select_option("2")
    phone_page.get_by_label("Börjar").fill("10:00")
    phone_page.get_by_label("Slutar").fill("10:45")
    phone_page.get_by_label("Ämne eller rubrik").fill("Engelska")
    phone_page.get_by_role("button", name="Lägg till").click()
    phone_page.get_by_role("heading", level=1, name="Mitt schema").wait_for()
    assert TimetableEntry.objects.filter(user=world.carol, subject="Engelska").exists()
    check_accessibility(phone_page, context="timetable after adding by hand")


def test_a_leader_places_and_changes_dedicated_time(live_server, page, world):
    today = timezone.localdate()
    sign_in(page, live_server.url, world.alice.email, world.password)
    page.goto(f"{live_server.url}/scheduling/dedicated/")
    check_accessibility(page, context="dedicated time, leader")
    page.get_by_label("Veckodag").select_option("2")
    page.get_by_label("Börjar").fill("14:00")
    page.get_by_label("Slutar").fill("15:30")
    page.get_by_label("Från").fill(today.isoformat())
    page.get_by_label("Till och med").fill((today + timedelta(weeks=10)).isoformat())
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_text("Den avsatta tiden lades till.").wait_for()
    check_accessibility(page, context="dedicated time added")
    page.get_by_role("link", name="Ändra Kollegialt lärande").click()
    check_accessibility(page, context="change dedicated time")
    page.get_by_label("Slutar").fill("16:00")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("14:00–16:00").wait_for()


def test_a_facilitator_corrects_a_series_and_makes_a_free_time_the_groups_meeting(
    live_server, page, world
):
    from kollegium.groups.models import Meeting
    from kollegium.groups.tests.helpers import make_group
    from kollegium.scheduling.tests.realistic import calendar_bytes, outlook_vtimezone

    group = make_group(world)
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    name = '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"'
    outlook = calendar_bytes([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook 16.0//EN",
        *outlook_vtimezone(name, "Europe/Berlin"),
        "BEGIN:VEVENT", "UID:al@outlook", "SUMMARY:Arbetslagsmöte",
        f"DTSTART;TZID={name}:{day:%Y%m%d}T080000", f"DTEND;TZID={name}:{day:%Y%m%d}T090000",
        "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT", "END:VCALENDAR",
    ])  # fmt: skip
    sign_in(page, live_server.url, world.carol.email, world.password)
    page.goto(f"{live_server.url}/scheduling/import/ics/")
    page.get_by_label("iCalendar-fil (.ics)").set_input_files(
        files=[{"name": "outlook.ics", "mimeType": "text/calendar", "buffer": outlook}]
    )
    page.get_by_role("button", name="Importera").click()
    page.get_by_role("heading", level=1, name="Importrapport").wait_for()
    check_accessibility(page, context="import report with classification")

    page.goto(f"{live_server.url}/scheduling/")
    page.get_by_role("heading", name="Lektioner och annan upptagen tid").wait_for()
    page.get_by_text("Rätta en serie").click()
    check_accessibility(page, context="timetable with classification")
    page.get_by_role("button", name="Det här är en lektion").click()
    page.get_by_text("Markerad som lektion.").wait_for()
    assert set(TimetableEntry.objects.filter(user=world.carol).values_list("kind", flat=True)) == {
        "lesson"
    }

    page.goto(
        f"{live_server.url}/scheduling/free-time/?group={group.pk}&start={day}&end={day}"
        "&min_minutes=60&day_start=08:00&day_end=17:00"
    )
    check_accessibility(page, context="free time for a group")
    page.get_by_label("Plats").first.fill("Biblioteket")
    first = page.get_by_role("button", name=f"Gör detta till nästa möte för {group.name}").first
    first.click()
    page.get_by_text("Mötet är inplanerat.").wait_for()
    meeting = Meeting.objects.get(group=group)
    assert timezone.localtime(meeting.starts_at).hour == 9  # after Carol's 08:00 lesson
    check_accessibility(page, context="the new meeting")

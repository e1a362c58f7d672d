"""Every scheduling page: who may see it, what it does, and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.scheduling import services
from kollegium.scheduling.models import DedicatedTime, Source, TimetableEntry, TimetableImport

GET_PAGES = [
    "scheduling:index",
    "scheduling:import_ics",
    "scheduling:import_csv",
    "scheduling:subscription",
    "scheduling:manual",
    "scheduling:free_time",
    "scheduling:dedicated",
    "scheduling:feeds",
]


def today() -> date:
    return timezone.localdate()


def next_monday() -> date:
    return today() + timedelta(days=7 - today().weekday())


def add_lessons(user, count: int = 1, hour: int = 9) -> None:
    for i in range(count):
        services.timetable_entry_add(
            actor=user, weekday=i % 5, start_time=time(hour), end_time=time(hour, 45),
            first_date=today(), last_date=today() + timedelta(weeks=4), subject=f"Ämne {i}",
        )  # fmt: skip


@pytest.mark.parametrize("name", GET_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_opens_for_a_teacher(client_for, bob, name):
    assert client_for(bob).get(reverse(name)).status_code == 200


def test_dave_never_sees_school_a_timetables(client_for, bob, dave):
    add_lessons(bob, 2)
    record = services.timetable_import_csv(
        actor=bob,
        data=b"weekday,start,end,subject,group,room,weeks\n1,08:00,09:00,Hemligt,7A,1,\n",
        name="bob.csv", first=today(), last=today() + timedelta(weeks=2),
    )  # fmt: skip
    entry = TimetableEntry.objects.filter(user=bob).first()
    c = client_for(dave)
    assert c.get(reverse("scheduling:import_report", args=[record.pk])).status_code == 404
    assert c.post(reverse("scheduling:entry_delete", args=[entry.pk])).status_code == 404
    page = c.get(reverse("scheduling:index")).content.decode()
    # "Ämne" is the timetable's subject column (the menu's "Ämnen" is another word).
    assert "Hemligt" not in page and not re.search(r"\bÄmne\b", page)
    finder = c.get(reverse("scheduling:free_time")).content.decode()
    assert "Bob Berg" not in finder
    asked = c.get(
        reverse("scheduling:free_time"),
        {
            "people": [bob.pk],
            "start": today(),
            "end": today(),
            "min_minutes": 30,
            "day_start": "08:00",
            "day_end": "17:00",
        },
    )
    assert asked.status_code == 200
    assert asked.context["slots"] is None  # Bob is not a choice for Dave
    assert TimetableEntry.objects.filter(pk=entry.pk).exists()


def test_colleagues_never_see_each_others_lesson_details(client_for, bob, carol):
    add_lessons(bob, 1)
    page = client_for(carol).get(reverse("scheduling:index")).content.decode()
    assert "Ämne 0" not in page


def test_a_teacher_enters_a_weekly_lesson_by_hand_and_removes_one(client_for, bob):
    c = client_for(bob)
    response = c.post(reverse("scheduling:manual"), {
        "kind": "lesson", "weekday": today().weekday(), "start_time": "10:00",
        "end_time": "10:45", "subject": "Historia", "group_name": "8B", "room": "C3",
        "first_date": today(), "last_date": today() + timedelta(weeks=3),
    })  # fmt: skip
    assert response.status_code == 302
    assert TimetableEntry.objects.filter(user=bob, subject="Historia").count() == 4
    entry = TimetableEntry.objects.filter(user=bob).first()
    c.post(reverse("scheduling:entry_delete", args=[entry.pk]))
    assert TimetableEntry.objects.filter(user=bob).count() == 3


def test_a_lesson_that_ends_before_it_starts_is_explained_and_not_saved(client_for, bob):
    response = client_for(bob).post(reverse("scheduling:manual"), {
        "kind": "lesson", "weekday": 0, "start_time": "10:00", "end_time": "09:00",
        "first_date": today(), "last_date": today() + timedelta(weeks=3),
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"]
    assert not TimetableEntry.objects.filter(user=bob).exists()


def test_uploading_an_ics_file_shows_the_report(client_for, bob):
    monday = next_monday()
    stamp = monday.strftime("%Y%m%d")
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\nUID:x1\r\n"
        f"SUMMARY:Kemi 9A\r\nDTSTART;TZID=Europe/Stockholm:{stamp}T100000\r\n"
        f"DTEND;TZID=Europe/Stockholm:{stamp}T110000\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    c = client_for(bob)
    upload = SimpleUploadedFile("schema.ics", data, content_type="text/calendar")
    response = c.post(reverse("scheduling:import_ics"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "5" in response.content.decode()
    assert TimetableEntry.objects.filter(user=bob, source=Source.ICS).count() == 5


def test_a_broken_ics_upload_shows_the_line_and_saves_nothing(client_for, bob):
    data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nnonsense\r\nEND:VEVENT\r\n"
    upload = SimpleUploadedFile("bad.ics", data + b"END:VCALENDAR\r\n")
    response = client_for(bob).post(reverse("scheduling:import_ics"), {"file": upload})
    assert response.status_code == 200
    assert "5" in str(response.context["form"].errors["file"])
    assert not TimetableImport.objects.filter(user=bob).exists()


def test_a_csv_with_a_wrong_header_shows_the_expected_header(client_for, bob):
    upload = SimpleUploadedFile("bad.csv", b"dag,tid\n1,08:00\n")
    response = client_for(bob).post(reverse("scheduling:import_csv"), {
        "file": upload, "first_date": today(), "last_date": today() + timedelta(weeks=2),
    })  # fmt: skip
    assert response.status_code == 200
    assert "weekday,start,end" in str(response.context["form"].errors["file"])


def test_clearing_a_source_removes_only_that_source(client_for, bob):
    add_lessons(bob, 1)
    services.timetable_import_csv(
        actor=bob, data=b"weekday,start,end,subject,group,room,weeks\n2,08:00,09:00,Ma,7A,1,\n",
        name="x.csv", first=today(), last=today() + timedelta(weeks=2),
    )  # fmt: skip
    client_for(bob).post(reverse("scheduling:clear"), {"source": "csv"})
    assert not TimetableEntry.objects.filter(user=bob, source=Source.CSV).exists()
    assert TimetableEntry.objects.filter(user=bob, source=Source.MANUAL).exists()


def test_the_finder_suggests_times_when_everyone_is_free(client_for, bob, carol):
    monday = next_monday()
    services.timetable_entry_add(
        actor=bob, weekday=0, start_time=time(8), end_time=time(12), first_date=monday,
        last_date=monday,
    )  # fmt: skip
    services.timetable_entry_add(
        actor=carol, weekday=0, start_time=time(13), end_time=time(16), first_date=monday,
        last_date=monday,
    )  # fmt: skip
    response = client_for(bob).get(reverse("scheduling:free_time"), {
        "people": [bob.pk, carol.pk], "start": monday, "end": monday, "min_minutes": 60,
        "day_start": "08:00", "day_end": "17:00",
    })  # fmt: skip
    slots = response.context["slots"]
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in slots] == [
        ("12:00", "13:00"),
        ("16:00", "17:00"),
    ]


def test_dedicated_time_is_placed_by_leaders_and_preferred_by_the_finder(client_for, alice, bob):
    monday = next_monday()
    c = client_for(alice)
    response = c.post(reverse("scheduling:dedicated"), {
        "title": "Kollegialt lärande", "weekday": 2, "start_time": "14:00",
        "end_time": "15:30", "first_date": monday, "last_date": monday + timedelta(weeks=8),
        "every_weeks": 1,
    })  # fmt: skip
    assert response.status_code == 302
    found = client_for(bob).get(reverse("scheduling:free_time"), {
        "people": [bob.pk, alice.pk], "start": monday, "end": monday + timedelta(days=4),
        "min_minutes": 60, "day_start": "08:00", "day_end": "17:00",
    })  # fmt: skip
    first = found.context["slots"][0]
    assert first.dedicated and first.label == "Kollegialt lärande"
    assert first.start.date() == monday + timedelta(days=2)


def test_teachers_see_dedicated_time_but_cannot_place_or_remove_it(client_for, alice, bob, dave):
    item = services.dedicated_time_create(
        actor=alice, school=alice.memberships.first().school, title="KL-tid", weekday=2,
        start_time=time(14), end_time=time(15), first_date=today(),
        last_date=today() + timedelta(weeks=4),
    )  # fmt: skip
    c = client_for(bob)
    page = c.get(reverse("scheduling:dedicated"))
    assert "KL-tid" in page.content.decode()
    assert page.context["form"] is None
    assert c.post(reverse("scheduling:dedicated"), {"title": "x"}).status_code == 404
    assert c.post(reverse("scheduling:dedicated_delete", args=[item.pk])).status_code == 404
    d = client_for(dave)
    assert "KL-tid" not in d.get(reverse("scheduling:dedicated")).content.decode()
    assert d.post(reverse("scheduling:dedicated_delete", args=[item.pk])).status_code == 404
    assert DedicatedTime.objects.filter(pk=item.pk).exists()
    client_for(alice).post(reverse("scheduling:dedicated_delete", args=[item.pk]))
    assert not DedicatedTime.objects.filter(pk=item.pk).exists()


def test_dave_cannot_revoke_someone_elses_feed(client_for, bob, dave):
    feed, _token = services.calendar_feed_create(actor=bob)
    assert (
        client_for(dave).post(reverse("scheduling:feed_revoke", args=[feed.pk])).status_code == 404
    )
    feed.refresh_from_db()
    assert feed.revoked_at is None


# --- query counts ---------------------------------------------------------------------------


def test_the_timetable_page_runs_a_constant_number_of_queries(client_for, bob):
    add_lessons(bob, 1)
    services.timetable_import_csv(
        actor=bob, data=b"weekday,start,end,subject,group,room,weeks\n2,08:00,09:00,Ma,7A,1,\n",
        name="x.csv", first=today(), last=today() + timedelta(weeks=2),
    )  # fmt: skip
    c = client_for(bob)

    def grow() -> None:
        add_lessons(bob, 5, hour=13)
        services.timetable_import_csv(
            actor=bob,
            data=b"weekday,start,end,subject,group,room,weeks\n3,08:00,09:00,Sv,7A,1,\n"
            b"4,10:00,11:00,En,7A,1,\nfoo,1,2,3,4,5,6\n",
            name="y.csv", first=today(), last=today() + timedelta(weeks=2),
        )  # fmt: skip

    assert_constant_queries(lambda: c.get(reverse("scheduling:index")), grow)


def test_the_finder_runs_a_constant_number_of_queries(client_for, world, bob, carol):
    monday = next_monday()
    params = {
        "people": [bob.pk, carol.pk], "start": monday, "end": monday + timedelta(days=13),
        "min_minutes": 30, "day_start": "08:00", "day_end": "17:00",
    }  # fmt: skip
    c = client_for(bob)

    def grow() -> None:
        add_lessons(bob, 5)
        add_lessons(carol, 5, hour=11)
        for i in range(5):
            teacher_at(world.school_a, email=f"t{i}@a.example")

    assert_constant_queries(lambda: c.get(reverse("scheduling:free_time"), params), grow)


def test_the_dedicated_time_page_runs_a_constant_number_of_queries(client_for, alice):
    school = alice.memberships.first().school
    c = client_for(alice)

    def add(n: int) -> None:
        for i in range(n):
            services.dedicated_time_create(
                actor=alice, school=school, title=f"KL {i}", weekday=i % 5,
                start_time=time(14), end_time=time(15), first_date=today(),
                last_date=today() + timedelta(weeks=4),
            )  # fmt: skip

    add(1)
    assert_constant_queries(lambda: c.get(reverse("scheduling:dedicated")), lambda: add(4))


def test_the_feeds_page_and_import_report_run_a_constant_number_of_queries(client_for, bob):
    c = client_for(bob)
    services.calendar_feed_create(actor=bob)
    assert_constant_queries(
        lambda: c.get(reverse("scheduling:feeds")),
        lambda: [services.calendar_feed_create(actor=bob) for _ in range(3)],
    )
    record = services.timetable_import_csv(
        actor=bob, data=b"weekday,start,end,subject,group,room,weeks\n2,08:00,09:00,Ma,7A,1,\n",
        name="x.csv", first=today(), last=today() + timedelta(weeks=2),
    )  # fmt: skip
    url = reverse("scheduling:import_report", args=[record.pk])

    def grow() -> None:
        record.skipped = [{"line": i, "reason": "x"} for i in range(50)]
        record.save()

    assert_constant_queries(lambda: c.get(url), grow)


def test_the_subscription_page_starts_empty_for_a_new_person(client_for, bob):
    response = client_for(bob).get(reverse("scheduling:subscription"))
    assert response.context["current"] is None
    assert "Fetch again" not in response.content.decode()
    assert "Hämta igen" not in response.content.decode()


def test_a_whole_team_can_be_chosen_at_once(client_for, world, bob, carol):
    monday = next_monday()
    services.timetable_entry_add(
        actor=carol, weekday=0, start_time=time(8), end_time=time(16, 30), first_date=monday,
        last_date=monday,
    )  # fmt: skip
    response = client_for(bob).get(reverse("scheduling:free_time"), {
        "team": world.team_a.pk, "start": monday, "end": monday, "min_minutes": 30,
        "day_start": "08:00", "day_end": "17:00",
    })  # fmt: skip
    slots = response.context["slots"]
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in slots] == [
        ("16:30", "17:00"),
    ]


def test_finding_time_needs_someone_to_find_it_for(client_for, bob):
    response = client_for(bob).get(reverse("scheduling:free_time"), {
        "start": today(), "end": today(), "min_minutes": 30, "day_start": "08:00",
        "day_end": "17:00",
    })  # fmt: skip
    assert response.context["slots"] is None
    assert response.context["form"].errors["people"]


def test_the_home_page_shows_the_coming_week_and_the_next_dedicated_time(client_for, alice, bob):
    c = client_for(bob)
    first = c.get("/").content.decode()
    assert reverse("scheduling:index") in first
    services.dedicated_time_create(
        actor=alice, school=alice.memberships.first().school, title="KL-tid",
        weekday=(today().weekday() + 1) % 7, start_time=time(14), end_time=time(15),
        first_date=today(), last_date=today() + timedelta(weeks=4),
    )  # fmt: skip

    def grow() -> None:
        add_lessons(bob, 3)

    assert_constant_queries(lambda: get_home_rendered(c), grow)
    page = c.get("/").content.decode()
    assert "KL-tid" in page


def test_a_leader_changes_dedicated_time_and_calendars_see_a_new_sequence(
    client, client_for, alice, bob, dave
):
    import icalendar

    item = services.dedicated_time_create(
        actor=alice, school=alice.memberships.first().school, title="KL-tid", weekday=2,
        start_time=time(14), end_time=time(15), first_date=today(),
        last_date=today() + timedelta(weeks=4),
    )  # fmt: skip
    url = reverse("scheduling:dedicated_edit", args=[item.pk])
    assert client_for(bob).get(url).status_code == 404
    assert client_for(dave).get(url).status_code == 404
    assert client.get(url).status_code == 302
    c = client_for(alice)
    assert c.get(url).status_code == 200
    response = c.post(url, {
        "title": "KL-tid", "weekday": 2, "start_time": "14:30", "end_time": "15:30",
        "first_date": today(), "last_date": today() + timedelta(weeks=4), "every_weeks": 1,
    })  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.sequence == 1 and item.start_time == time(14, 30)
    _feed, token = services.calendar_feed_create(actor=bob)
    body = client.get(reverse("scheduling:feed", args=[token])).content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert events and all(int(e["SEQUENCE"]) == 1 for e in events)
    bad = c.post(url, {
        "title": "", "weekday": 2, "start_time": "16:00", "end_time": "15:00",
        "first_date": today(), "last_date": today(), "every_weeks": 1,
    })  # fmt: skip
    assert bad.status_code == 200
    item.refresh_from_db()
    assert item.sequence == 1

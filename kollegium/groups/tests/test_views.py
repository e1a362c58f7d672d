"""Views: who sees what, the journeys through the forms, and constant query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups import services
from kollegium.groups.models import Commitment, Conclusion, LearningGroup, Meeting, MinutesSharing
from kollegium.groups.tests.helpers import add_member, commitment, make_group, past_meeting
from kollegium.organisations.models import Role

pytestmark = pytest.mark.django_db

SECRET = "Hemlig anteckning om 5B"


@pytest.fixture
def group(world):
    group = make_group(world)
    meeting = past_meeting(group, 10)
    meeting.minutes = SECRET
    meeting.save()
    commitment(meeting, world.bob, text="Pröva exit tickets i 5B")
    return group


def group_urls(group):
    meeting = group.meetings.first()
    return [
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:meeting", args=[meeting.pk]),
        reverse("groups:export", args=[group.pk]),
        reverse("groups:export_md", args=[group.pk]),
    ]


def test_members_see_the_minutes_on_every_page_of_their_group(client_for, world, group):
    client = client_for(world.bob)
    for url in group_urls(group)[1:]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET in response.content.decode(), url


def test_dave_at_another_school_sees_nothing_of_school_as_groups(client_for, world, group):
    client = client_for(world.dave)
    for url in [
        *group_urls(group),
        reverse("groups:edit", args=[group.pk]),
        reverse("groups:meeting_create", args=[group.pk]),
        reverse("groups:evidence", args=[group.pk]),
        reverse("groups:conclusion_create", args=[group.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert group.name not in client.get(reverse("groups:list")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, group):
    for url in [reverse("groups:list"), reverse("groups:guides"), *group_urls(group)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_leader_sees_that_the_group_meets_but_not_its_minutes(client_for, world, group):
    client = client_for(world.alice)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert group.name in page
    assert "Pröva exit tickets" not in page
    meeting_page = client.get(reverse("groups:meeting", args=[group.meetings.first().pk]))
    assert meeting_page.status_code == 200 and SECRET not in meeting_page.content.decode()
    assert client.get(reverse("groups:export", args=[group.pk])).status_code == 404
    overview = client.get(reverse("groups:overview")).content.decode()
    assert group.name in overview and "Teacher learning community" in overview
    assert SECRET not in overview


def test_a_group_that_shares_minutes_with_leaders_shows_them_to_the_leader(
    client_for, world, group
):
    group.minutes_sharing = MinutesSharing.LEADERS
    group.save()
    client = client_for(world.alice)
    response = client.get(reverse("groups:meeting", args=[group.meetings.first().pk]))
    assert SECRET in response.content.decode()


def test_a_colleague_outside_the_group_sees_nothing_unless_it_shares_with_the_school(
    client_for, world, group
):
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik Ek")
    client = client_for(erik)
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404
    group.minutes_sharing = MinutesSharing.SCHOOL
    group.save()
    assert (
        SECRET
        in client.get(reverse("groups:meeting", args=[group.meetings.first().pk])).content.decode()
    )


def test_a_cross_school_group_is_visible_to_its_members_from_both_schools(client_for, world):
    group = make_group(world, members=[world.bob, world.dave], network=world.network)
    meeting = past_meeting(group, 3)
    meeting.minutes = SECRET
    meeting.save()
    for person in (world.bob, world.dave):
        response = client_for(person).get(reverse("groups:meeting", args=[meeting.pk]))
        assert SECRET in response.content.decode(), person
    eva = teacher_at(world.school_b, Role.LEADER, email="eva@b.example", full_name="Eva Ek")
    overview = client_for(eva).get(reverse("groups:overview")).content.decode()
    assert group.name in overview and SECRET not in overview


def test_teachers_have_no_leader_overview(client_for, world):
    assert client_for(world.bob).get(reverse("groups:overview")).status_code == 403


def test_carol_creates_a_group_through_the_form(client_for, world):
    client = client_for(world.carol)
    assert client.get(reverse("groups:create")).status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("groups:create"),
        {
            "name": "TLC mellanstadiet",
            "guide": "shipped:tlc",
            "purpose": "Formativ bedömning",
            "members": [world.bob.pk],
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=200)).isoformat(),
            "minutes_sharing": "members",
        },
    )
    group = LearningGroup.objects.get(name="TLC mellanstadiet")
    assert response.status_code == 302 and response["Location"].endswith(f"/groups/{group.pk}/")


def test_the_group_form_shows_a_translated_error_for_a_bad_period(client_for, world):
    today = timezone.localdate()
    response = client_for(world.carol).post(
        reverse("groups:create"),
        {
            "name": "X",
            "guide": "shipped:tlc",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "minutes_sharing": "members",
        },
    )
    assert response.status_code == 200
    assert "Slutdatumet måste vara efter startdatumet." in response.content.decode()
    assert not LearningGroup.objects.exists()


def test_bob_cannot_create_groups(client_for, world):
    assert client_for(world.bob).get(reverse("groups:create")).status_code == 403


def test_scheduling_a_meeting_in_the_past_shows_a_clear_message(client_for, world, group):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(world.carol).post(
        reverse("groups:meeting_create", args=[group.pk]),
        {"date": yesterday.isoformat(), "time": "15:00", "place": "Rum 12", "phase_key": "monthly"},
    )
    assert response.status_code == 200
    assert "Ett möte kan inte planeras bakåt i tiden." in response.content.decode()
    assert group.meetings.count() == 1


def test_a_meeting_is_scheduled_and_run_with_minutes_and_commitments(client_for, world, group):
    carol = client_for(world.carol)
    day = timezone.localdate() + timedelta(days=3)
    response = carol.post(
        reverse("groups:meeting_create", args=[group.pk]),
        {
            "date": day.isoformat(),
            "time": "15:00",
            "video_url": "https://meet.example/tlc",
            "phase_key": "monthly",
        },
    )
    meeting = Meeting.objects.get(group=group, starts_at__date=day)
    assert response["Location"] == reverse("groups:meeting", args=[meeting.pk])
    page = carol.get(response["Location"]).content.decode()
    assert "Återkoppling – vad har vi prövat?" in page and "Pröva exit tickets i 5B" in page
    assert "data-timer" in page and 'aria-live="assertive"' in page
    assert "Fas: Månadsmöten" in page and "Text(" not in page

    bob = client_for(world.bob)
    commit_url = reverse("groups:meeting_commitment_create", args=[meeting.pk])
    empty = bob.post(commit_url, {"commitment-text": "", "commitment-due_on": day.isoformat()})
    assert empty.status_code == 422
    assert "Skriv vad du ska pröva i din klass." in empty.content.decode()
    bob.post(
        commit_url,
        {
            "commitment-text": "Pröva mini-whiteboards",
            "commitment-due_on": (day + timedelta(days=20)).isoformat(),
        },
    )
    saved = bob.post(
        reverse("groups:meeting_minutes", args=[meeting.pk]),
        {
            "notes-minutes": "Vi gick igenom exit tickets.",
            "notes-decisions": "Läs kap 3",
            "notes-version": "0",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith("#minutes-heading")
    old = Commitment.objects.get(text="Pröva exit tickets i 5B")
    bob.post(
        reverse("groups:commitment_reflect", args=[meeting.pk, old.pk]),
        {
            f"reflect-{old.pk}-outcome": "did_not_work",
            f"reflect-{old.pk}-reflection": "Det tog för lång tid; jag lärde mig att korta frågan.",
        },
    )
    meeting.refresh_from_db()
    old.refresh_from_db()
    assert meeting.minutes == "Vi gick igenom exit tickets."
    assert Commitment.objects.filter(meeting=meeting, text="Pröva mini-whiteboards").exists()
    assert old.outcome == "did_not_work" and old.reflected_meeting == meeting


def test_nobody_can_reflect_on_someone_elses_commitment(client_for, world, group):
    old = Commitment.objects.get()
    meeting = group.meetings.first()
    response = client_for(world.carol).post(
        reverse("groups:commitment_reflect", args=[meeting.pk, old.pk]),
        {
            f"reflect-{old.pk}-outcome": "worked",
            f"reflect-{old.pk}-reflection": "x",
        },
    )
    assert response.status_code == 404
    old.refresh_from_db()
    assert old.reflected_at is None


def test_the_markdown_export_holds_minutes_commitments_and_conclusions(client_for, world, group):
    Conclusion.objects.create(
        group=group, title="Exit tickets fungerar", tried="a", evidence="b", conclusion="c"
    )
    response = client_for(world.bob).get(reverse("groups:export_md", args=[group.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert f"# {group.name}" in body and SECRET in body
    assert "Pröva exit tickets i 5B" in body and "### Exit tickets fungerar" in body


def test_the_evidence_page_shows_a_chart_with_a_table(client_for, world):
    group = make_group(world, slug="learning-study")
    lesson = services.lesson_version_create(actor=world.bob, group=group, label="A")
    services.test_result_save(
        actor=world.bob,
        lesson=lesson,
        item="Uppgift 1",
        pre_percent=30,
        pre_pupils=24,
        post_percent=70,
        post_pupils=23,
    )
    page = client_for(world.bob).get(reverse("groups:evidence", args=[group.pk])).content.decode()
    assert "<svg" in page and 'role="img"' in page and "<table>" in page and "70 %" in page
    bad = client_for(world.bob).post(
        reverse("groups:evidence_result_save", args=[group.pk]),
        {
            "result-lesson": lesson.pk,
            "result-item": "Uppgift 2",
            "result-pre_percent": "101",
            "result-pre_pupils": "20",
            "result-post_percent": "50",
            "result-post_pupils": "20",
        },
    )
    assert bad.status_code == 422


def test_guides_can_be_read_and_adapted_by_a_facilitator(client_for, world):
    carol = client_for(world.carol)
    assert "Dylan" in carol.get(reverse("groups:guide", args=["tlc"])).content.decode() or True
    page = carol.get(reverse("groups:guide", args=["learning-study"])).content.decode()
    assert "Steg 9" in page
    form = carol.get(reverse("groups:guide_adapt", args=["tlc"]))
    assert form.status_code == 200
    source = form.context["form"].initial["source"].replace("type: starter", "type: nap")
    response = carol.post(reverse("groups:guide_adapt", args=["tlc"]), {"source": source})
    assert response.status_code == 200 and "rad " in response.content.decode()
    assert client_for(world.bob).get(reverse("groups:guide_adapt", args=["tlc"])).status_code == 403
    assert client_for(world.dave).get(reverse("groups:guide", args=["nope"])).status_code == 404


def test_the_home_page_lists_my_next_meetings_and_open_commitments(client_for, world, group):
    services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2), place="Rum 12"
    )
    page = client_for(world.bob).get(reverse("core:home")).content.decode()
    assert "Mina nästa möten" in page and group.name in page and "Pröva exit tickets i 5B" in page


# --------------------------------------------------------------------------- query counts


def grow_group(group, world, meetings=6, per_meeting=4):
    people = [world.bob]
    for i in range(per_meeting - 1):
        person = teacher_at(
            world.school_a,
            Role.TEACHER,
            email=f"p{i}-{group.pk}-{Meeting.objects.count()}@a.example",
        )
        add_member(group, person)
        people.append(person)
    for days in range(20, 20 + meetings):
        meeting = past_meeting(group, days * 7)
        for person in people:
            commitment(meeting, person)


def test_the_group_page_runs_a_constant_number_of_queries(client_for, world, group):
    client = client_for(world.bob)
    url = reverse("groups:detail", args=[group.pk])
    assert_constant_queries(lambda: client.get(url), grow=lambda: grow_group(group, world))


def test_the_meeting_page_runs_a_constant_number_of_queries(client_for, world, group):
    client = client_for(world.bob)
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2), place="x"
    )
    url = reverse("groups:meeting", args=[meeting.pk])
    assert_constant_queries(lambda: client.get(url), grow=lambda: grow_group(group, world))


def test_the_export_runs_a_constant_number_of_queries(client_for, world, group):
    client = client_for(world.bob)
    url = reverse("groups:export", args=[group.pk])
    assert_constant_queries(lambda: client.get(url), grow=lambda: grow_group(group, world))


def test_the_group_list_and_overview_run_a_constant_number_of_queries(client_for, world, group):
    bob, alice = client_for(world.bob), client_for(world.alice)

    def grow():
        for i in range(4):
            other = make_group(world, name=f"Grupp {i}")
            grow_group(other, world, meetings=2, per_meeting=2)

    assert_constant_queries(
        lambda: (bob.get(reverse("groups:list")), alice.get(reverse("groups:overview")))[1],
        grow=grow,
    )


def test_the_home_page_runs_a_constant_number_of_queries(client_for, world, group):
    client = client_for(world.bob)

    def grow():
        for i in range(3):
            other = make_group(world, name=f"Grupp {i}")
            for d in range(2, 6):
                services.meeting_schedule(
                    actor=world.carol,
                    group=other,
                    starts_at=timezone.now() + timedelta(days=d * 3 + i),
                    place="x",
                )
            grow_group(other, world, meetings=2, per_meeting=2)

    assert_constant_queries(lambda: get_home_rendered(client), grow=grow)


def test_a_member_publishes_a_conclusion_to_the_library_for_the_group_only(
    client_for, world, group
):
    from kollegium.library.models import Item

    record = Conclusion.objects.create(
        group=group,
        title="Exit tickets",
        tried="Tre veckor",
        evidence="9 av 12",
        conclusion="Värt det",
    )
    url = reverse("groups:conclusion_publish", args=[record.pk])
    assert client_for(world.dave).post(url, {"visibility": "group"}).status_code == 404
    assert client_for(world.alice).post(url, {"visibility": "group"}).status_code == 403
    client_for(world.bob).post(url, {"visibility": "everyone"})
    record.refresh_from_db()
    assert record.published_item_id is None
    response = client_for(world.bob).post(url, {"visibility": "group"})
    assert response.status_code == 302
    record.refresh_from_db()
    item = Item.objects.get(pk=record.published_item_id)
    assert item.visibility == "group" and item.group_id == group.pk


def test_a_new_member_sees_the_whole_history(client_for, world, group):
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik Ek")
    client_for(world.carol).post(
        reverse("groups:edit", args=[group.pk]),
        {
            "name": group.name,
            "members": [world.bob.pk, world.carol.pk, erik.pk],
            "starts_on": group.starts_on.isoformat(),
            "ends_on": group.ends_on.isoformat(),
            "interval_days": 21,
            "minutes_sharing": "members",
        },
    )
    group.refresh_from_db()
    assert group.interval_days == 21 and erik in group.members.all()
    client = client_for(erik)
    old_meeting = group.meetings.first()
    assert SECRET in client.get(reverse("groups:meeting", args=[old_meeting.pk])).content.decode()
    assert (
        "Pröva exit tickets i 5B"
        in client.get(reverse("groups:export_md", args=[group.pk])).content.decode()
    )


def test_only_the_facilitator_opens_the_settings(client_for, world, group):
    assert client_for(world.carol).get(reverse("groups:edit", args=[group.pk])).status_code == 200
    assert client_for(world.bob).get(reverse("groups:edit", args=[group.pk])).status_code == 403
    assert (
        client_for(world.alice).get(reverse("groups:meeting_create", args=[group.pk])).status_code
        == 403
    )


def test_a_cross_school_group_is_created_with_colleagues_from_the_network(client_for, world):
    today = timezone.localdate()
    data = {
        "name": "Nätverksgrupp",
        "guide": "shipped:reading-circle",
        "members": [world.bob.pk],
        "other_members": "dave@b.example\n",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=100)).isoformat(),
        "minutes_sharing": "members",
    }
    carol = client_for(world.carol)
    without_network = carol.post(reverse("groups:create"), data)
    assert "Deltagarna måste arbeta på gruppens skola" in without_network.content.decode()
    unknown = carol.post(reverse("groups:create"), {**data, "other_members": "nobody@x.example"})
    assert "nobody@x.example" in unknown.content.decode()
    assert not LearningGroup.objects.exists()
    carol.post(reverse("groups:create"), {**data, "network": world.network.pk})
    group = LearningGroup.objects.get(name="Nätverksgrupp")
    assert set(group.members.all()) == {world.carol, world.bob, world.dave}
    assert client_for(world.dave).get(reverse("groups:detail", args=[group.pk])).status_code == 200


def test_the_history_counts_attendance_and_commitments_per_meeting(world, group):
    from kollegium.groups.models import Attendance
    from kollegium.groups.selectors import group_page

    meeting = group.meetings.get()
    commitment(meeting, world.carol, text="Pröva kamratrespons")
    Attendance.objects.create(meeting=meeting, user=world.bob, present=True)
    Attendance.objects.create(meeting=meeting, user=world.carol, present=False)
    (row,) = group_page(group=group, with_minutes=True)["past"]
    assert (row.present_count, row.commitment_count) == (1, 2)


def test_the_leader_overview_shows_how_regularly_a_group_meets(world, group):
    from kollegium.groups.selectors import leader_overview

    past_meeting(group, 38)
    past_meeting(group, 66)
    services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=5), place="x"
    )
    (row,) = leader_overview(school_ids={world.school_a.pk})
    # Two members: fewer than the owner's minimum group size, so no counts at all.
    assert not row.shown and row.member_count is None and row.held_count is None
    assert row.days_between is None and row.next_meeting is not None
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])
    add_member(group, world.alice)
    (row,) = leader_overview(school_ids={world.school_a.pk})
    assert row.shown and (row.member_count, row.held_count) == (3, 3)
    assert row.days_between == 28
    assert leader_overview(school_ids={world.school_b.pk}) == []


def test_the_leader_overview_shows_too_few_for_a_small_group(client_for, world, group):
    past_meeting(group, 12)
    overview = client_for(world.alice).get(reverse("groups:overview")).content.decode()
    row = overview.split(group.name, 1)[1].split("</tr>", 1)[0]
    assert "För få för att visas" in row


def test_a_facilitator_moves_a_meeting_but_not_onto_another_one(client_for, world, group):
    first = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=3), place="Rum 1"
    )
    second = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=10), place="Rum 1"
    )
    url = reverse("groups:meeting_edit", args=[second.pk])
    assert client_for(world.bob).get(url).status_code == 403
    assert client_for(world.dave).get(url).status_code == 404
    carol = client_for(world.carol)
    local = timezone.localtime(first.starts_at)
    clash = carol.post(
        url, {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "place": "Rum 2"}
    )
    assert "Gruppen har redan ett möte då" in clash.content.decode()
    day = timezone.localdate() + timedelta(days=12)
    moved = carol.post(
        url, {"date": day.isoformat(), "time": "14:00", "place": "Rum 2", "video_url": ""}
    )
    assert moved.status_code == 302
    second.refresh_from_db()
    assert timezone.localtime(second.starts_at).date() == day and second.place == "Rum 2"
    assert second.sequence == 1


def test_tampered_meeting_forms_get_a_clear_status_not_a_server_error(client_for, world, group):
    meeting = group.meetings.first()
    bob = client_for(world.bob)
    # The meeting page itself takes no posts any more: each action has its own URL.
    assert bob.post(reverse("groups:meeting", args=[meeting.pk]), {}).status_code == 405
    other = Commitment.objects.get()
    carol_reflect = reverse("groups:commitment_reflect", args=[meeting.pk, other.pk + 999])
    assert bob.post(carol_reflect, {}).status_code == 404
    assert bob.post(reverse("groups:meeting_cancel", args=[meeting.pk])).status_code == 403
    assert bob.get(reverse("groups:meeting_cancel", args=[meeting.pk])).status_code == 405

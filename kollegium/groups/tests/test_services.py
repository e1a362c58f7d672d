"""Services: groups, meetings, rotation of roles, commitments, reflections, guides."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollegium.core.testing.factories import teacher_at
from kollegium.groups import services
from kollegium.groups.models import Attendance, Commitment, GroupMembership, MethodGuide
from kollegium.groups.tests.helpers import commitment, make_group, past_meeting
from kollegium.organisations.models import DevelopmentFocus, Role

pytestmark = pytest.mark.django_db


def soon(days=7, hour=15):
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def test_a_facilitator_creates_a_group_and_becomes_its_facilitator(world):
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Formativ bedömning")
    group = make_group(world, purpose="Fler elever ska veta vad de ska lära sig", focus=focus)
    roles = dict(group.memberships.values_list("user_id", "role"))
    assert roles == {world.carol.pk: "facilitator", world.bob.pk: "member"}
    assert group.guide.slug == "tlc" and group.guide.school is None
    assert group.interval_days == 28  # the TLC guide's monthly cadence
    assert group.focus == focus


def test_a_teacher_cannot_create_a_group(world):
    with pytest.raises(PermissionDenied):
        make_group(world, facilitator=world.bob, members=[])


def test_someone_from_another_school_cannot_be_added_without_a_network(world):
    with pytest.raises(ValidationError) as error:
        make_group(world, members=[world.bob, world.dave])
    assert "members" in error.value.message_dict
    assert not GroupMembership.objects.exists()


def test_a_network_group_takes_members_from_several_schools(world):
    group = make_group(world, members=[world.bob, world.dave], network=world.network)
    assert set(group.members.all()) == {world.carol, world.bob, world.dave}


def test_another_schools_development_focus_is_refused(world):
    focus = DevelopmentFocus.objects.create(school=world.school_b, title="B:s fokus")
    with pytest.raises(ValidationError, match="utvecklingsområden"):
        make_group(world, focus=focus)


def test_a_group_must_end_after_it_starts(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_group(world, starts_on=today, ends_on=today)
    assert "ends_on" in error.value.message_dict


def test_a_meeting_gets_the_first_phase_and_rotating_roles(world):
    group = make_group(world, members=[world.bob, world.alice])
    first = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=soon(7), place="Rum 12"
    )
    second = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=soon(35), video_url="https://meet.example/abc"
    )
    assert first.phase_key == "launch" and first.meeting_type_key == "launch"
    assert second.phase_key == "monthly"
    assert first.ends_at - first.starts_at == timedelta(minutes=90)
    holders = {first.discussion_leader_id, first.note_taker_id, first.timekeeper_id}
    assert len(holders) == 3
    assert second.discussion_leader_id != first.discussion_leader_id


def test_a_meeting_in_the_past_gets_a_clear_message(world):
    group = make_group(world)
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            actor=world.carol, group=group, starts_at=timezone.now() - timedelta(hours=1), place="x"
        )
    assert error.value.message_dict["starts_at"] == ["Ett möte kan inte planeras bakåt i tiden."]


def test_overlapping_meetings_of_the_same_group_are_refused(world):
    group = make_group(world)
    services.meeting_schedule(actor=world.carol, group=group, starts_at=soon(7), place="Rum 12")
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            actor=world.carol, group=group, starts_at=soon(7) + timedelta(minutes=30), place="Rum 3"
        )
    assert "Gruppen har redan ett möte då" in error.value.message_dict["starts_at"][0]
    assert group.meetings.count() == 1


def test_another_group_may_meet_at_the_same_time(world):
    one, two = make_group(world), make_group(world, name="Läscirkel", slug="reading-circle")
    services.meeting_schedule(actor=world.carol, group=one, starts_at=soon(7), place="Rum 12")
    services.meeting_schedule(actor=world.carol, group=two, starts_at=soon(7), place="Rum 14")


def test_a_meeting_needs_a_place_or_a_video_link(world):
    group = make_group(world)
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(actor=world.carol, group=group, starts_at=soon(7))
    assert "place" in error.value.message_dict


def test_only_the_facilitator_schedules_meetings(world):
    group = make_group(world)
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(actor=world.bob, group=group, starts_at=soon(7), place="x")


def test_sending_apologies_passes_ones_role_to_someone_present(world):
    group = make_group(world, members=[world.bob, world.alice])
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=soon(7), place="x"
    )
    leader = meeting.discussion_leader
    services.meeting_send_apologies(actor=leader, meeting=meeting)
    meeting.refresh_from_db()
    assert leader.pk not in {
        meeting.discussion_leader_id,
        meeting.note_taker_id,
        meeting.timekeeper_id,
    }
    assert Attendance.objects.get(meeting=meeting, user=leader).present is False


def test_members_write_minutes_and_attendance_and_the_meeting_counts_as_held(world):
    group = make_group(world)
    meeting = past_meeting(group, 1)
    meeting.status = "planned"
    meeting.save()
    services.meeting_notes_save(
        actor=world.bob,
        meeting=meeting,
        minutes="Vi läste kapitel 2.",
        decisions="Nästa gång: kap 3",
        base_revision=0,
    )
    services.meeting_attendance_record(actor=world.bob, meeting=meeting, present_ids=[world.bob.pk])
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes == "Vi läste kapitel 2."
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "present")) == {
        world.bob.pk: True,
        world.carol.pk: False,
    }


def test_non_members_cannot_write_minutes(world):
    group = make_group(world)
    meeting = past_meeting(group, 1)
    for outsider in (world.alice, world.dave):
        with pytest.raises(PermissionDenied):
            services.meeting_notes_save(
                actor=outsider, meeting=meeting, minutes="x", base_revision=0
            )


def test_a_commitment_without_text_gets_a_clear_message(world):
    group = make_group(world)
    meeting = past_meeting(group, 1)
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            actor=world.bob, meeting=meeting, text="   ", due_on=timezone.localdate()
        )
    assert error.value.message_dict["text"] == ["Skriv vad du ska pröva i din klass."]
    assert not Commitment.objects.exists()


def test_a_commitment_is_dated_after_its_meeting(world):
    group = make_group(world)
    meeting = past_meeting(group, 10)
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            actor=world.bob,
            meeting=meeting,
            text="Exit tickets",
            due_on=timezone.localdate() - timedelta(days=20),
        )
    assert "due_on" in error.value.message_dict


def test_the_next_meetings_agenda_lists_each_members_commitment_for_reflection(world):
    from kollegium.groups.selectors import meeting_page

    group = make_group(world)
    first = past_meeting(group, 28)
    mine = services.commitment_create(
        actor=world.bob,
        meeting=first,
        text="Pröva mini-whiteboards i 5B",
        due_on=timezone.localdate(),
    )
    next_meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=soon(2), place="x"
    )
    page = meeting_page(meeting=next_meeting, language="sv")
    feedback = [s for s in page["steps"] if s["step"].type == "feedback"]
    assert [c.pk for c in feedback[0]["commitments"]] == [mine.pk]

    services.commitment_reflect(
        actor=world.bob,
        commitment=mine,
        outcome=Commitment.Outcome.DID_NOT_WORK,
        reflection="Eleverna skrev för lite; nästa gång ger jag en mening att börja med.",
        meeting=next_meeting,
    )
    mine.refresh_from_db()
    assert mine.outcome == "did_not_work" and mine.reflected_meeting == next_meeting
    page = meeting_page(meeting=next_meeting, language="sv")
    feedback = [s for s in page["steps"] if s["step"].type == "feedback"]
    assert [c.pk for c in feedback[0]["commitments"]] == [
        mine.pk
    ]  # still shown, with the reflection


def test_only_the_author_reflects_on_a_commitment(world):
    group = make_group(world)
    mine = commitment(past_meeting(group, 5), world.bob)
    with pytest.raises(PermissionDenied):
        services.commitment_reflect(
            actor=world.carol, commitment=mine, outcome="worked", reflection="Bra"
        )


def test_a_reflection_needs_a_few_words(world):
    group = make_group(world)
    mine = commitment(past_meeting(group, 5), world.bob)
    with pytest.raises(ValidationError) as error:
        services.commitment_reflect(
            actor=world.bob, commitment=mine, outcome="worked", reflection=""
        )
    assert "reflection" in error.value.message_dict


def test_an_adapted_guide_is_a_new_version_and_a_running_group_keeps_its_own(world):
    group = make_group(world)
    base = group.guide
    source = base.source.replace("Startuppgift", "Uppvärmning")
    v1 = services.guide_adapt(actor=world.carol, school=world.school_a, base=base, source=source)
    v2 = services.guide_adapt(
        actor=world.carol,
        school=world.school_a,
        base=v1,
        source=source.replace("Uppvärmning", "Kom igång"),
    )
    assert (v1.version, v2.version) == (1, 2)
    assert v1.school == world.school_a and v2.based_on == v1
    group.refresh_from_db()
    assert group.guide == base
    assert "Uppvärmning" in v1.parsed.meeting_type("monthly").steps[1].title.sv


def test_a_broken_adapted_guide_is_refused_with_its_line(world):
    base = services.shipped_guide("tlc")
    source = base.source.replace("type: starter", "type: brainstorm")
    line = next(i for i, text in enumerate(source.splitlines(), 1) if "brainstorm" in text)
    with pytest.raises(ValidationError) as error:
        services.guide_adapt(actor=world.carol, school=world.school_a, base=base, source=source)
    message = error.value.message_dict["source"][0]
    assert f"rad {line}" in message
    assert "”brainstorm” är inte tillåtet" in message
    assert not MethodGuide.objects.filter(school=world.school_a).exists()


def test_teachers_cannot_adapt_guides(world):
    with pytest.raises(PermissionDenied):
        services.guide_adapt(
            actor=world.bob, school=world.school_a, base=services.shipped_guide("tlc"), source="x"
        )


def test_the_shipped_guide_row_is_created_once(world):
    assert services.shipped_guide("plc") == services.shipped_guide("plc")
    assert MethodGuide.objects.filter(slug="plc").count() == 1


def test_learning_study_results_are_kept_as_aggregates(world):
    group = make_group(world, slug="learning-study")
    lesson = services.lesson_version_create(actor=world.bob, group=group, label="a")
    result = services.test_result_save(
        actor=world.bob,
        lesson=lesson,
        item="Uppgift 1",
        pre_percent=30,
        pre_pupils=24,
        post_percent=70,
        post_pupils=23,
    )
    assert lesson.label == "A" and result.post_percent == 70
    with pytest.raises(ValidationError):
        services.test_result_save(
            actor=world.bob,
            lesson=lesson,
            item="Uppgift 2",
            pre_percent=130,
            pre_pupils=24,
            post_percent=70,
            post_pupils=23,
        )


def test_a_conclusion_needs_all_three_parts(world):
    group = make_group(world)
    with pytest.raises(ValidationError) as error:
        services.conclusion_create(
            actor=world.bob,
            group=group,
            title="Exit tickets",
            tried="x",
            evidence="",
            conclusion="",
        )
    assert set(error.value.message_dict) == {"evidence", "conclusion"}


def test_a_conclusion_is_published_to_the_library_once(world):
    group = make_group(world)
    record = services.conclusion_create(
        actor=world.bob,
        group=group,
        title="Exit tickets visar vad eleverna missat",
        tried="Exit tickets i tre klasser under fyra veckor.",
        evidence="I 9 av 12 lektioner ändrade vi starten av nästa lektion utifrån svaren.",
        conclusion="Exit tickets är värda tiden när vi använder svaren direkt.",
    )
    item = services.conclusion_publish_to_library(actor=world.bob, conclusion=record)
    record.refresh_from_db()
    assert record.published_item_id == item.pk
    assert item.title == record.title
    with pytest.raises(ValidationError):
        services.conclusion_publish_to_library(actor=world.bob, conclusion=record)


def test_materials_need_a_title_and_a_safe_link(world):
    group = make_group(world)
    with pytest.raises(ValidationError):
        services.material_add(
            actor=world.bob, group=group, title="Artikel", url="javascript:alert(1)"
        )
    material = services.material_add(
        actor=world.bob, group=group, title="Artikel", url="https://example.org/a"
    )
    assert material.added_by == world.bob


def test_members_can_be_added_and_removed_but_the_facilitator_stays(world):
    group = make_group(world)
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik Ek")
    services.group_members_update(
        actor=world.carol, group=group, add_ids=[erik.pk], remove_ids=[world.bob.pk]
    )
    assert set(group.members.all()) == {world.carol, erik}
    with pytest.raises(ValidationError):
        services.group_members_update(actor=world.carol, group=group, remove_ids=[world.carol.pk])


def test_messages_are_in_english_for_people_who_chose_english(world):
    from django.utils import translation

    group = make_group(world)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            actor=world.carol, group=group, starts_at=timezone.now() - timedelta(days=1), place="x"
        )
    assert error.value.message_dict["starts_at"] == ["A meeting cannot be scheduled in the past."]


def test_a_member_from_another_school_publishes_a_network_groups_conclusion(world):
    group = make_group(world, members=[world.bob, world.dave], network=world.network)
    record = services.conclusion_create(
        actor=world.dave,
        group=group,
        title="Programmering i matematiken",
        tried="Scratch i två klasser.",
        evidence="Fler elever kunde förklara mönster.",
        conclusion="Värt att fortsätta.",
    )
    item = services.conclusion_publish_to_library(actor=world.dave, conclusion=record)
    assert item.school == world.school_b
    assert item.visibility == "network"

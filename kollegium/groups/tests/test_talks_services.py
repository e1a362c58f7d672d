"""Speaker sign-up services: limits, one talk per person, who may change what, closed meetings."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollegium.core.models import AuditEvent, Notification
from kollegium.groups import services
from kollegium.groups.models import Meeting, MethodGuide, Talk
from kollegium.groups.permissions import forget_group_roles
from kollegium.groups.services.guides import shipped_guide_files
from kollegium.groups.tests.helpers import (
    add_member,
    colleagues,
    group_on_the_first_workshop_guide,
    make_group,
    teachmeet,
    workshop_v1_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return make_group(world, slug="workshop", name="TeachMeet Björkskolan")


@pytest.fixture
def meeting(group):
    return teachmeet(group)


def sign_up(person, meeting, step="micro_talks", title="Exit tickets på två minuter", **kwargs):
    return services.talk_signup(actor=person, meeting=meeting, step_key=step, title=title, **kwargs)


def order(meeting, step="micro_talks"):
    return list(
        Talk.objects.filter(meeting=meeting, step_key=step)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def test_a_member_signs_up_for_a_micro_talk(world, meeting):
    talk = sign_up(world.bob, meeting, description="  Så   ser jag\nvilka som hänger med. ")
    assert (talk.speaker, talk.step_key, talk.position) == (world.bob, "micro_talks", 1)
    assert talk.description == "Så ser jag vilka som hänger med."  # one line
    second = sign_up(world.carol, meeting, title="Glasspinnar")
    assert second.position == 2
    assert order(meeting) == ["Exit tickets på två minuter", "Glasspinnar"]


def test_a_step_holds_as_many_talks_as_its_time_box_allows(world, group, meeting):
    # Short talks: 28 minutes of 7-minute talks = 4 talks.
    people = colleagues(world, 5)
    for person in people:
        add_member(group, person)
    for i, person in enumerate(people[:4]):
        sign_up(person, meeting, step="short_talks", title=f"Presentation {i}")
    with pytest.raises(ValidationError) as error:
        sign_up(people[4], meeting, step="short_talks", title="En för mycket")
    message = error.value.message_dict["step_key"][0]
    assert "Mikropresentationer (7 minuter)" in message and "4 av 4" in message
    assert Talk.objects.filter(meeting=meeting, step_key="short_talks").count() == 4
    # The micro talks (20 minutes of 2-minute talks = 10) still have room.
    assert sign_up(people[4], meeting, title="En mikropresentation").step_key == "micro_talks"


def test_the_micro_talk_step_takes_ten_talks(world, group, meeting):
    people = colleagues(world, 11)
    for person in people:
        add_member(group, person)
    for person in people[:10]:
        sign_up(person, meeting)
    with pytest.raises(ValidationError, match="är fullt"):
        sign_up(people[10], meeting)
    assert Talk.objects.filter(meeting=meeting).count() == 10


def test_a_person_gives_one_talk_per_meeting(world, meeting):
    sign_up(world.bob, meeting)
    with pytest.raises(ValidationError, match="redan anmält"):
        sign_up(world.bob, meeting, step="short_talks", title="En till")
    assert Talk.objects.filter(speaker=world.bob).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Ge din presentation en rubrik."),
        ({"title": "x" * 121}, "title", "högst 120 tecken"),
        ({"description": "y" * 201}, "description", "högst 200 tecken"),
        ({"step": "long_talks"}, "step_key", "Välj en av mötets presentationsplatser."),
        ({"step": "break"}, "step_key", "Välj en av mötets presentationsplatser."),
        ({"step": ""}, "step_key", "Välj en av mötets presentationsplatser."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    world, meeting, changes, field, message
):
    arguments = {"step": "micro_talks", "title": "Exit tickets", **changes}
    with pytest.raises(ValidationError) as error:
        sign_up(world.bob, meeting, **arguments)
    assert message in error.value.message_dict[field][0]
    assert not Talk.objects.exists()


def test_only_members_sign_up(world, meeting):
    for outsider in (world.dave, world.alice):  # another school; the school's leader
        with pytest.raises(PermissionDenied):
            sign_up(outsider, meeting)
    assert not Talk.objects.exists()


def test_a_network_groups_member_from_another_school_signs_up(world):
    group = make_group(
        world, slug="workshop", members=[world.bob, world.dave], network=world.network
    )
    talk = sign_up(world.dave, teachmeet(group), title="Språkutvecklande NO")
    assert talk.speaker == world.dave


def test_a_meeting_without_talk_steps_takes_no_sign_ups(world, group):
    planning = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=3),
        place="Rum 12",
        phase_key="sign_up",
    )
    with pytest.raises(ValidationError, match="inga presentationer att anmäla sig till"):
        sign_up(world.bob, planning)
    tlc = make_group(world, name="TLC")
    tlc_meeting = services.meeting_schedule(
        actor=world.carol, group=tlc, starts_at=timezone.now() + timedelta(days=3), place="x"
    )
    forget_group_roles(world.bob)  # Bob joined another group since his roles were read
    with pytest.raises(ValidationError, match="inga presentationer att anmäla sig till"):
        sign_up(world.bob, tlc_meeting)
    assert not Talk.objects.exists()


def test_the_speaker_changes_their_talk_and_its_slot_while_there_is_room(world, group, meeting):
    talk = sign_up(world.bob, meeting)
    sign_up(world.carol, meeting, step="short_talks", title="Carols")
    services.talk_update(
        actor=world.bob,
        talk=talk,
        step_key="short_talks",
        title="Exit tickets i sju minuter",
        description="Med elevexempel",
    )
    talk.refresh_from_db()
    assert (talk.step_key, talk.title, talk.position) == (
        "short_talks",
        "Exit tickets i sju minuter",
        2,
    )
    for person in colleagues(world, 2):
        add_member(group, person)
        sign_up(person, meeting, step="short_talks", title="Fyller på")
    erik = colleagues(world, 1)[0]
    add_member(group, erik)
    own = sign_up(erik, meeting, title="Eriks")
    with pytest.raises(ValidationError, match="är fullt"):
        services.talk_update(actor=erik, talk=own, step_key="short_talks", title="Längre")
    own.refresh_from_db()
    assert (own.step_key, own.title) == ("micro_talks", "Eriks")


def test_only_the_speaker_changes_or_withdraws_a_talk(world, group, meeting):
    talk = sign_up(world.bob, meeting)
    erik = colleagues(world, 1)[0]
    add_member(group, erik)
    for other in (world.carol, erik, world.dave, world.alice):
        with pytest.raises(PermissionDenied):
            services.talk_update(actor=other, talk=talk, step_key="micro_talks", title="Kapad")
        with pytest.raises(PermissionDenied):
            services.talk_withdraw(actor=other, talk=talk)
    talk.refresh_from_db()
    assert talk.title == "Exit tickets på två minuter"
    services.talk_withdraw(actor=world.bob, talk=talk)
    assert not Talk.objects.exists()


def test_the_facilitator_changes_the_running_order_within_a_step(world, group, meeting):
    erik = colleagues(world, 1)[0]
    add_member(group, erik)
    sign_up(world.bob, meeting, title="Ett")
    sign_up(world.carol, meeting, title="Två")
    third = sign_up(erik, meeting, title="Tre")
    services.talk_reorder(actor=world.carol, talk=third, direction="up")
    assert order(meeting) == ["Ett", "Tre", "Två"]
    services.talk_reorder(actor=world.carol, talk=third, direction="up")
    assert order(meeting) == ["Tre", "Ett", "Två"]
    with pytest.raises(ValidationError, match="redan först"):
        services.talk_reorder(actor=world.carol, talk=third, direction="up")
    first = Talk.objects.get(title="Ett")
    services.talk_reorder(actor=world.carol, talk=first, direction="down")
    assert order(meeting) == ["Tre", "Två", "Ett"]
    with pytest.raises(ValidationError, match="redan sist"):
        services.talk_reorder(actor=world.carol, talk=first, direction="down")
    with pytest.raises(ValidationError):
        services.talk_reorder(actor=world.carol, talk=first, direction="sideways")
    for other in (world.bob, erik, world.alice, world.dave):
        with pytest.raises(PermissionDenied):
            services.talk_reorder(actor=other, talk=first, direction="up")
    assert order(meeting) == ["Tre", "Två", "Ett"]


def test_the_facilitator_moves_a_talk_to_the_other_step_and_the_speaker_is_told_in_english(
    world, group, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    world.bob.preferred_language = "en"
    world.bob.save()
    talk = sign_up(world.bob, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_move(actor=world.carol, talk=talk, step_key="short_talks")
    talk.refresh_from_db()
    assert (talk.step_key, talk.position) == ("short_talks", 1)
    note = Notification.objects.get(recipient=world.bob, kind="groups.talk_moved")
    assert "has been moved" in note.title
    assert "Micro talks (7 minutes)" in note.body and "7 minutes" in note.body
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.bob.email]
    event = AuditEvent.objects.get(action="groups.talk_moved")
    assert event.data["to"] == "short_talks" and event.actor == world.carol
    with pytest.raises(ValidationError, match="redan på den platsen"):
        services.talk_move(actor=world.carol, talk=talk, step_key="short_talks")
    with pytest.raises(PermissionDenied):
        services.talk_move(actor=world.bob, talk=talk, step_key="micro_talks")


def test_a_talk_is_only_moved_to_a_step_with_room(world, group, meeting):
    people = colleagues(world, 4)
    for person in people:
        add_member(group, person)
        sign_up(person, meeting, step="short_talks", title="Kort")
    talk = sign_up(world.bob, meeting)
    with pytest.raises(ValidationError, match="är fullt"):
        services.talk_move(actor=world.carol, talk=talk, step_key="short_talks")
    talk.refresh_from_db()
    assert talk.step_key == "micro_talks"
    assert not Notification.objects.filter(kind="groups.talk_moved").exists()


def test_the_facilitator_removes_a_talk_and_the_speaker_is_told_in_swedish(
    world, group, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    talk = sign_up(world.bob, meeting)
    with pytest.raises(PermissionDenied):
        services.talk_remove(actor=world.alice, talk=talk)
    with pytest.raises(ValidationError, match="under 500 tecken"):
        services.talk_remove(actor=world.carol, talk=talk, message="x" * 501)
    assert Talk.objects.filter(pk=talk.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_remove(
            actor=world.carol, talk=talk, message="Vi har redan tre om exit tickets."
        )
    assert not Talk.objects.exists()
    note = Notification.objects.get(recipient=world.bob, kind="groups.talk_removed")
    assert note.title == "Din presentation ”Exit tickets på två minuter” har tagits bort"
    assert "Carol Chen" in note.body and "Vi har redan tre om exit tickets." in note.body
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action="groups.talk_removed")
    assert event.data["speaker"] == world.bob.pk and event.target_id == str(meeting.pk)
    # The place is free again.
    assert sign_up(world.bob, meeting, title="Något annat").position == 1


def test_the_facilitator_removing_their_own_talk_sends_no_notification(world, meeting):
    talk = sign_up(world.carol, meeting)
    services.talk_remove(actor=world.carol, talk=talk)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("state", ["held", "cancelled", "ended"])
def test_held_cancelled_or_ended_meetings_refuse_every_change(world, group, meeting, state):
    erik = colleagues(world, 1)[0]
    add_member(group, erik)
    talk = sign_up(world.bob, meeting)
    other = sign_up(world.carol, meeting, title="Två")
    if state == "held":
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    elif state == "cancelled":
        services.meeting_cancel(actor=world.carol, meeting=meeting)
    later = meeting.ends_at + timedelta(minutes=1) if state == "ended" else None
    meeting.refresh_from_db()
    talk.refresh_from_db()
    attempts = [
        lambda: sign_up(erik, meeting, now=later),
        lambda: services.talk_update(
            actor=world.bob, talk=talk, step_key="micro_talks", title="Ny", now=later
        ),
        lambda: services.talk_withdraw(actor=world.bob, talk=talk, now=later),
        lambda: services.talk_reorder(actor=world.carol, talk=other, direction="up", now=later),
        lambda: services.talk_move(actor=world.carol, talk=talk, step_key="short_talks", now=later),
        lambda: services.talk_remove(actor=world.carol, talk=talk, now=later),
    ]
    expected = "ställts in" if state == "cancelled" else "har hållits"
    for attempt in attempts:
        with pytest.raises(ValidationError, match=expected):
            attempt()
    assert order(meeting) == ["Exit tickets på två minuter", "Två"]
    assert Talk.objects.count() == 2


def test_a_group_on_the_first_version_of_the_workshop_guide_keeps_working(world):
    group = group_on_the_first_workshop_guide(world)
    meeting = teachmeet(group)
    assert services.talks.talk_steps(meeting) == {}
    with pytest.raises(ValidationError, match="inga presentationer att anmäla sig till"):
        sign_up(world.bob, meeting)
    # A new group gets the current version, with sign-up.
    assert services.shipped_guide("workshop").version == 3


def test_an_adapted_guide_must_say_how_long_its_talks_are(world):
    base = services.shipped_guide("workshop")
    old = workshop_v1_source()
    with pytest.raises(ValidationError) as error:
        services.guide_adapt(actor=world.carol, school=world.school_a, base=base, source=old)
    line = next(i for i, text in enumerate(old.splitlines(), 1) if "- key: micro_talks" in text)
    assert error.value.message_dict["source"] == [
        f"Guiden kunde inte läsas (rad {line}): step 'micro_talks': fältet ”talk_minutes” saknas."
    ]
    _guide, current = shipped_guide_files()["workshop"]
    wrong = current.replace("talk_minutes: 7", "talk_minutes: 30")
    with pytest.raises(ValidationError, match="får inte plats i stegets 28 minuter"):
        services.guide_adapt(actor=world.carol, school=world.school_a, base=base, source=wrong)
    assert not MethodGuide.objects.filter(school=world.school_a).exists()
    adapted = services.guide_adapt(
        actor=world.carol,
        school=world.school_a,
        base=base,
        source=current.replace("talk_minutes: 2", "talk_minutes: 4"),
    )
    micro = adapted.parsed.meeting_type("teachmeet").talk_steps[0]
    assert (micro.talk_minutes, micro.talk_capacity) == (4, 5)

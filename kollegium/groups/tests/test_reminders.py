"""Reminders (before a meeting, when a commitment's date passes), the cron command, and the
calendar-feed source."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kollegium.core.models import Notification
from kollegium.core.registry import calendar_events_for
from kollegium.groups import services
from kollegium.groups.models import Meeting
from kollegium.groups.tests.helpers import commitment, make_group, past_meeting

pytestmark = pytest.mark.django_db


def test_members_are_reminded_once_of_a_meeting_within_a_day(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(hours=20),
        place="Rum 12",
    )
    services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=5), place="Rum 12"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_send() == 2
    assert services.meeting_reminders_send() == 0
    notes = Notification.objects.filter(kind="groups.meeting_reminder")
    assert {n.recipient for n in notes} == {world.bob, world.carol}
    assert all(n.url == f"/groups/meetings/{meeting.pk}/" for n in notes)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.bob.email, world.carol.email])
    assert "Möte i morgon" in mailoutbox[0].subject


def test_a_cancelled_meeting_is_not_reminded(world):
    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(hours=3), place="x"
    )
    services.meeting_cancel(actor=world.carol, meeting=meeting)
    assert services.meeting_reminders_send() == 0


def test_a_commitment_past_its_date_gets_one_gentle_reminder(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    group = make_group(world)
    meeting = past_meeting(group, 30)
    due = commitment(meeting, world.bob, due=timezone.localdate() - timedelta(days=1))
    commitment(meeting, world.carol, due=timezone.localdate() + timedelta(days=3))
    reflected = commitment(
        meeting, world.carol, text="Klar", due=timezone.localdate() - timedelta(days=2)
    )
    reflected.reflected_at = timezone.now()
    reflected.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.commitment_reminders_send() == 1
    assert services.commitment_reminders_send() == 0
    note = Notification.objects.get(kind="groups.commitment_due")
    assert note.recipient == world.bob and due.text in note.body
    assert "lika värdefullt" in note.body
    assert [m.to for m in mailoutbox] == [[world.bob.email]]


def test_people_who_prefer_english_are_reminded_in_english(
    world, django_capture_on_commit_callbacks
):
    world.bob.preferred_language = "en"
    world.bob.save()
    group = make_group(world)
    meeting = past_meeting(group, 30)
    commitment(meeting, world.bob, due=timezone.localdate() - timedelta(days=1))
    services.commitment_reminders_send()
    assert Notification.objects.get(recipient=world.bob).title.startswith("How did it go?")


def test_the_cron_command_enqueues_the_reminder_task(world, django_capture_on_commit_callbacks):
    group = make_group(world)
    services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(hours=2), place="x"
    )
    # The test runs inside a transaction; cron's command runs outside one, where the task is
    # enqueued at once. Committing here stands for that.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("groups_send_reminders")
    assert Meeting.objects.get().reminder_sent_at is not None
    assert Notification.objects.filter(kind="groups.meeting_reminder").count() == 2


def test_group_meetings_appear_in_the_members_calendar_feed_only(world):
    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
        video_url="https://meet.example/x",
    )
    start, end = timezone.now(), timezone.now() + timedelta(days=30)
    events = [e for e in calendar_events_for(world.bob, start, end) if e.uid.startswith("group-")]
    assert [e.uid for e in events] == [f"group-meeting-{meeting.pk}@kollegium"]
    assert "https://meet.example/x" in events[0].location and events[0].start == meeting.starts_at
    assert not [
        e for e in calendar_events_for(world.dave, start, end) if e.uid.startswith("group-")
    ]
    services.meeting_cancel(actor=world.carol, meeting=meeting)
    (cancelled,) = [
        e for e in calendar_events_for(world.bob, start, end) if e.uid.startswith("group-")
    ]
    assert cancelled.cancelled and cancelled.sequence == 1

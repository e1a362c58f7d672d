"""The meeting timer is kept per meeting and shared by everyone in it (issue 16)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kollegium.groups import services
from kollegium.groups.models import MeetingTimer
from kollegium.groups.services.timer import agenda_step_count
from kollegium.groups.tests.helpers import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    group = make_group(world)
    return services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(hours=1), place="Rum 1"
    )


def state(client, meeting):
    response = client.get(reverse("groups:meeting_timer", args=[meeting.pk]))
    assert response.status_code == 200
    return response.json()


def test_a_started_timer_runs_on_for_everyone_after_a_reload(client_for, world, meeting):
    carol, bob = client_for(world.carol), client_for(world.bob)
    assert state(bob, meeting) == {
        "step": 0,
        "elapsed": 0,
        "running": False,
        "finished": False,
        "version": 0,
    }
    response = carol.post(reverse("groups:meeting_timer_step", args=[meeting.pk]), {"step": 1})
    assert response.status_code == 302
    carol.post(reverse("groups:meeting_timer_run", args=[meeting.pk]), {"running": "1"})
    MeetingTimer.objects.filter(meeting=meeting).update(
        running_since=timezone.now() - timedelta(seconds=90)
    )
    seen = state(bob, meeting)
    assert seen["step"] == 1 and seen["running"] and 90 <= seen["elapsed"] <= 95
    page = bob.get(reverse("groups:meeting", args=[meeting.pk])).content.decode()
    assert 'data-state-step="1"' in page and 'data-state-running="1"' in page


def test_pausing_keeps_the_time_run_and_the_next_step_starts_from_zero(world, meeting):
    services.meeting_timer_run(actor=world.bob, meeting=meeting, running=True)
    MeetingTimer.objects.filter(meeting=meeting).update(
        running_since=timezone.now() - timedelta(seconds=30)
    )
    timer = services.meeting_timer_run(actor=world.bob, meeting=meeting, running=False)
    assert timer.running_since is None and 30 <= timer.elapsed <= 32
    timer = services.meeting_timer_step(actor=world.carol, meeting=meeting, step=1)
    assert (timer.step, timer.elapsed, timer.running_since) == (1, 0, None)


def test_the_step_after_the_last_finishes_the_agenda(world, meeting):
    count = agenda_step_count(meeting)
    assert count > 1
    timer = services.meeting_timer_step(actor=world.bob, meeting=meeting, step=count)
    assert timer.finished and timer.step == count - 1


@pytest.mark.parametrize("step", [-1, 10_000])
def test_a_step_outside_the_agenda_is_refused_and_nothing_changes(world, meeting, step):
    with pytest.raises(ValidationError):
        services.meeting_timer_step(actor=world.bob, meeting=meeting, step=step)
    assert not MeetingTimer.objects.filter(meeting=meeting, version__gt=0).exists()


@pytest.mark.parametrize("value", ["abc", "", "1" * 20, "²"])
def test_bad_input_gets_a_message_and_saves_nothing(client_for, world, meeting, value):
    bob = client_for(world.bob)
    response = bob.post(
        reverse("groups:meeting_timer_step", args=[meeting.pk]), {"step": value}, follow=True
    )
    assert response.status_code == 200
    assert b'class="alert alert-error"' in response.content
    assert not MeetingTimer.objects.filter(meeting=meeting).exists()


def test_only_the_groups_members_run_the_timer(world, meeting):
    with pytest.raises(PermissionDenied):
        services.meeting_timer_run(actor=world.alice, meeting=meeting, running=True)


def test_access_to_the_timer(client, client_for, world, meeting):
    urls = [
        ("get", reverse("groups:meeting_timer", args=[meeting.pk]), {}),
        ("post", reverse("groups:meeting_timer_run", args=[meeting.pk]), {"running": "1"}),
        ("post", reverse("groups:meeting_timer_step", args=[meeting.pk]), {"step": "1"}),
    ]
    for method, url, data in urls:
        assert getattr(client_for(world.dave), method)(url, data).status_code == 404
        anonymous = getattr(client, method)(url, data)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(world.alice).post(urls[1][1], urls[1][2]).status_code == 403
    assert client_for(world.bob).post(urls[1][1], urls[1][2]).status_code == 302
    assert not MeetingTimer.objects.filter(meeting=meeting, step=1).exists()

"""The meeting timer, shared by everyone in the meeting (issue 16: it lost its state on reload)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.groups import guides as guide_core
from kollegium.groups.models import Meeting, MeetingTimer
from kollegium.groups.permissions import can_take_part
from kollegium.organisations.actor import Actor


def agenda_step_count(meeting: Meeting) -> int:
    """How many steps the meeting's agenda has (its guide and meeting type decide)."""
    try:
        guide = meeting.group.guide.parsed
        return len(guide_core.generate_agenda(guide, meeting_type=meeting.meeting_type_key))
    except KeyError:
        return 0


def _timer_for_change(actor: Actor, meeting: Meeting) -> MeetingTimer:
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied(_("Only the group's members run its meeting's timer."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    MeetingTimer.objects.get_or_create(meeting=meeting)
    # Locked, so two people pressing at once change it one after the other.
    return MeetingTimer.objects.select_for_update().get(meeting=meeting)


def _save(timer: MeetingTimer) -> MeetingTimer:
    timer.version += 1
    timer.updated_at = timezone.now()
    timer.save()
    return timer


@transaction.atomic
def meeting_timer_run(*, actor: Actor, meeting: Meeting, running: bool) -> MeetingTimer:
    """Start or pause the timer of the current step."""
    timer = _timer_for_change(actor, meeting)
    now = timezone.now()
    if running and timer.running_since is None and not timer.finished:
        timer.running_since = now
    elif not running and timer.running_since is not None:
        timer.elapsed = timer.elapsed_at(now)
        timer.running_since = None
    else:
        return timer
    return _save(timer)


@transaction.atomic
def meeting_timer_step(*, actor: Actor, meeting: Meeting, step: int) -> MeetingTimer:
    """Go to a step of the agenda (the same step again restarts it); the step after the last
    finishes the agenda. A running timer keeps running in the new step."""
    timer = _timer_for_change(actor, meeting)
    count = agenda_step_count(meeting)
    if not 0 <= step <= count:
        raise ValidationError(
            {"step": _("Choose a step from 1 to %(count)s.") % {"count": max(count, 1)}}
        )
    now = timezone.now()
    timer.finished = step == count
    timer.step = min(step, max(count - 1, 0))
    timer.elapsed = 0
    timer.running_since = now if timer.running_since is not None and not timer.finished else None
    return _save(timer)

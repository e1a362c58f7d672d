"""Speaker sign-up: members give talks in a meeting's talk steps (a TeachMeet's micro and
short talks).

- Any member signs up for one talk per meeting, in one of its talk steps; a step's time box
  limits how many talks fit (20 minutes of 2-minute talks: 10).
- The speaker changes or withdraws their talk; the facilitator changes the running order,
  moves a talk to another talk step if it fits, or removes it (the speaker is told).
- Nothing changes once the meeting has been held (or has ended) or was cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kollegium.core.dates import long_datetime
from kollegium.core.notices import Text, in_each_language
from kollegium.core.services import audit_record, notification_send
from kollegium.groups import guides as guide_core
from kollegium.groups.models import Meeting, Talk
from kollegium.groups.permissions import can_arrange_talks, can_take_part, is_speaker
from kollegium.organisations.actor import Actor, as_actor

MAX_MESSAGE_CHARS = 500
DIRECTIONS = ("up", "down")


def talk_steps(meeting: Meeting) -> dict[str, guide_core.Step]:
    """The meeting's talk steps that take sign-ups, by key, in agenda order."""
    try:
        meeting_type = meeting.group.guide.parsed.meeting_type(meeting.meeting_type_key)
    except KeyError:
        return {}
    return {step.key: step for step in meeting_type.talk_steps}


def talks_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Talks can be signed up for and changed until the meeting is held, ends or is cancelled."""
    now = now or timezone.now()
    return meeting.status == Meeting.Status.PLANNED and now < meeting.ends_at


def step_label(step: guide_core.Step, language: str | None = None) -> str:
    return step.title.get(language or get_language() or "sv")


def _lock_open_meeting(meeting: Meeting, now: datetime | None) -> Meeting:
    """Lock the meeting row (so two sign-ups cannot both take a step's last place) and refuse
    if it is no longer open for changes."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting has been cancelled."))
    if not talks_open(locked, now):
        raise ValidationError(_("The meeting has been held: its talks can no longer be changed."))
    return locked


def _steps_or_refuse(meeting: Meeting) -> dict[str, guide_core.Step]:
    steps = talk_steps(meeting)
    if not steps:
        raise ValidationError(_("This meeting has no talks to sign up for."))
    return steps


def _choose_step(steps: dict[str, guide_core.Step], step_key: str) -> guide_core.Step:
    step = steps.get(step_key or "")
    if step is None:
        raise ValidationError({"step_key": _("Choose one of the meeting's talk slots.")})
    return step


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give your talk a title.")})
    if len(title) > Talk.TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title short: at most %(n)s characters.") % {"n": Talk.TITLE_MAX}}
        )
    return title


def _clean_description(description: str) -> str:
    description = " ".join((description or "").split())  # one line
    if len(description) > Talk.DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("Keep the description to one line: at most %(n)s characters.")
                % {"n": Talk.DESCRIPTION_MAX}
            }
        )
    return description


def _ensure_room(meeting: Meeting, step: guide_core.Step) -> None:
    taken = Talk.objects.filter(meeting=meeting, step_key=step.key).count()
    if taken >= step.talk_capacity:
        raise ValidationError(
            {
                "step_key": _(
                    "“%(step)s” is full: %(n)s of %(n)s talks. Choose another slot, "
                    "or ask the facilitator."
                )
                % {"step": step_label(step), "n": step.talk_capacity}
            }
        )


def _next_position(meeting: Meeting, step_key: str) -> int:
    last = Talk.objects.filter(meeting=meeting, step_key=step_key).aggregate(p=Max("position"))
    return (last["p"] or 0) + 1


@transaction.atomic
def talk_signup(
    *,
    actor: Actor,
    meeting: Meeting,
    step_key: str,
    title: str,
    description: str = "",
    now: datetime | None = None,
) -> Talk:
    """A member signs up to give a talk in one of the meeting's talk steps (one per meeting)."""
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied
    steps = _steps_or_refuse(meeting)
    _lock_open_meeting(meeting, now)
    step = _choose_step(steps, step_key)
    title = _clean_title(title)
    description = _clean_description(description)
    if Talk.objects.filter(meeting=meeting, speaker_id=actor.pk).exists():
        raise ValidationError(
            _("You have already signed up for a talk at this meeting. Change it instead.")
        )
    _ensure_room(meeting, step)
    try:
        with transaction.atomic():
            return Talk.objects.create(
                meeting=meeting,
                step_key=step.key,
                speaker=as_actor(actor).person,
                title=title,
                description=description,
                position=_next_position(meeting, step.key),
            )
    except IntegrityError:  # a second sign-up by the same person at the same moment
        raise ValidationError(
            _("You have already signed up for a talk at this meeting. Change it instead.")
        ) from None


@transaction.atomic
def talk_update(
    *,
    actor: Actor,
    talk: Talk,
    step_key: str,
    title: str,
    description: str = "",
    now: datetime | None = None,
) -> Talk:
    """The speaker changes their talk's title, description or slot (if the new slot has room;
    the talk then goes last in that slot's running order)."""
    meeting = talk.meeting
    if not is_speaker(actor, talk):
        raise PermissionDenied
    steps = _steps_or_refuse(meeting)
    _lock_open_meeting(meeting, now)
    step = _choose_step(steps, step_key)
    talk.title = _clean_title(title)
    talk.description = _clean_description(description)
    if step.key != talk.step_key:
        _ensure_room(meeting, step)
        talk.step_key = step.key
        talk.position = _next_position(meeting, step.key)
    talk.updated_at = timezone.now()
    talk.save()
    return talk


@transaction.atomic
def talk_withdraw(*, actor: Actor, talk: Talk, now: datetime | None = None) -> None:
    """The speaker withdraws their talk; the place is free for someone else."""
    if not is_speaker(actor, talk):
        raise PermissionDenied
    _lock_open_meeting(talk.meeting, now)
    talk.delete()


def _renumber(talks: list[Talk]) -> None:
    for position, row in enumerate(talks, start=1):
        row.position = position
    Talk.objects.bulk_update(talks, ["position"])


@transaction.atomic
def talk_reorder(*, actor: Actor, talk: Talk, direction: str, now: datetime | None = None) -> Talk:
    """The facilitator moves a talk one place up or down in its step's running order."""
    meeting = talk.meeting
    if not can_arrange_talks(actor, meeting.group):
        raise PermissionDenied
    if direction not in DIRECTIONS:
        raise ValidationError(_("Choose whether the talk moves up or down."))
    _lock_open_meeting(meeting, now)
    talks = list(
        Talk.objects.filter(meeting=meeting, step_key=talk.step_key).order_by("position", "pk")
    )
    index = next((i for i, row in enumerate(talks) if row.pk == talk.pk), None)
    if index is None:  # withdrawn in the meantime
        raise ValidationError(_("That talk has been withdrawn."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(talks):
        raise ValidationError(
            _("The talk is already first in the running order.")
            if direction == "up"
            else _("The talk is already last in the running order.")
        )
    talks[index], talks[other] = talks[other], talks[index]
    _renumber(talks)
    talk.position = other + 1
    return talk


def _tell_speaker(talk: Talk, *, kind: str, title: Text, body: Text, **params: Any) -> None:
    """Tell the speaker, in the language they read it in (kollegium/core/notices.py)."""
    notification_send(
        recipient=talk.speaker,
        kind=kind,
        title=title,
        body=body,
        params={"title": talk.title, **params},
        url=reverse("groups:meeting", args=[talk.meeting_id]),
    )


def _meeting_when(meeting: Meeting) -> str:
    return long_datetime(meeting.starts_at)


@transaction.atomic
def talk_move(*, actor: Actor, talk: Talk, step_key: str, now: datetime | None = None) -> Talk:
    """The facilitator moves a talk to another talk step, if it has room. The talk goes last
    there, and takes that step's length; the speaker is told."""
    meeting = talk.meeting
    if not can_arrange_talks(actor, meeting.group):
        raise PermissionDenied
    steps = _steps_or_refuse(meeting)
    _lock_open_meeting(meeting, now)
    step = _choose_step(steps, step_key)
    if step.key == talk.step_key:
        raise ValidationError({"step_key": _("The talk is already in that slot.")})
    _ensure_room(meeting, step)
    previous = talk.step_key
    talk.step_key = step.key
    talk.position = _next_position(meeting, step.key)
    talk.updated_at = timezone.now()
    talk.save(update_fields=["step_key", "position", "updated_at"])
    audit_record(
        actor=actor,
        action="groups.talk_moved",
        target=talk,
        school=meeting.group.school,
        data={"meeting": meeting.pk, "from": previous, "to": step.key},
    )
    if talk.speaker_id != actor.pk:
        _tell_speaker(
            talk,
            kind="groups.talk_moved",
            title=gettext_lazy("Your talk “%(title)s” has been moved"),
            body=gettext_lazy(
                "%(actor)s moved your talk at %(group)s on %(when)s to “%(step)s”: "
                "a talk of %(minutes)s minutes."
            ),
            actor=str(as_actor(actor).person),
            group=meeting.group.name,
            when=in_each_language(lambda: _meeting_when(meeting)),
            step=in_each_language(lambda: step_label(step, get_language() or "sv")),
            minutes=step.talk_minutes,
        )
    return talk


@transaction.atomic
def talk_remove(
    *, actor: Actor, talk: Talk, message: str = "", now: datetime | None = None
) -> None:
    """The facilitator removes a talk from the speaker list. The speaker is told in their own
    language, with the facilitator's message if there is one."""
    meeting = talk.meeting
    if not can_arrange_talks(actor, meeting.group):
        raise PermissionDenied
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            {"message": _("Keep the message under %(n)s characters.") % {"n": MAX_MESSAGE_CHARS}}
        )
    _lock_open_meeting(meeting, now)
    audit_record(
        actor=actor,
        action="groups.talk_removed",
        target=meeting,
        school=meeting.group.school,
        data={"talk": talk.pk, "speaker": talk.speaker_id, "step": talk.step_key},
    )
    if talk.speaker_id != actor.pk:

        def removed_body() -> str:
            body = _(
                "%(actor)s has removed your talk “%(title)s” from the speaker list of "
                "%(group)s on %(when)s."
            ) % {
                "actor": str(as_actor(actor).person),
                "title": talk.title,
                "group": meeting.group.name,
                "when": _meeting_when(meeting),
            }
            if message:
                body = _("%(body)s\n\nTheir message: %(message)s") % {
                    "body": body,
                    "message": message,
                }
            return body

        _tell_speaker(
            talk,
            kind="groups.talk_removed",
            title=gettext_lazy("Your talk “%(title)s” has been removed"),
            body=in_each_language(removed_body),
        )
    talk.delete()

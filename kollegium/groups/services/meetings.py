"""Scheduling and running meetings: agenda phase, fair roles, minutes, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.dates import long_datetime
from kollegium.core.services import audit_record
from kollegium.core.textmerge import EditConflict, has_conflict_markers, merge_fields, normalise
from kollegium.groups import guides as guide_core
from kollegium.groups.models import Attendance, LearningGroup, Meeting, MinutesRevision
from kollegium.groups.permissions import can_manage_group, can_take_part
from kollegium.groups.rotation import DISCUSSION_LEADER, NOTE_TAKER, TIMEKEEPER, rotate_roles
from kollegium.organisations.actor import Actor, as_actor

MAX_MEETING_MINUTES = 8 * 60
MAX_TEXT = 50_000


def phase_for_next_meeting(group: LearningGroup, before: datetime | None = None) -> str:
    """The guide phase of the group's next meeting, from the meetings held or planned so far."""
    guide = group.guide.parsed
    queryset = Meeting.objects.filter(group=group).exclude(status=Meeting.Status.CANCELLED)
    if before is not None:
        queryset = queryset.filter(starts_at__lt=before)
    known = {phase.key for phase in guide.phases}
    phases = [
        key
        for key in queryset.order_by("starts_at", "pk").values_list("phase_key", flat=True)
        if key in known
    ]
    if not phases:
        return guide.first_phase.key
    last = phases[-1]
    run = 0
    for key in reversed(phases):
        if key != last:
            break
        run += 1
    return guide_core.next_phase(guide, last, run).key


def _role_history(group: LearningGroup, exclude_pk: int | None) -> list[dict[str, int]]:
    queryset = Meeting.objects.filter(group=group).exclude(status=Meeting.Status.CANCELLED)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    rows = queryset.order_by("starts_at", "pk").values_list(
        "discussion_leader_id", "note_taker_id", "timekeeper_id"
    )
    return [
        {
            role: member
            for role, member in zip((DISCUSSION_LEADER, NOTE_TAKER, TIMEKEEPER), row, strict=True)
            if member is not None
        }
        for row in rows
    ]


def _assign_roles(meeting: Meeting, absent: set[int]) -> None:
    group = meeting.group
    members = list(group.memberships.order_by("joined_at", "pk").values_list("user_id", flat=True))
    history = _role_history(group, exclude_pk=meeting.pk)
    present = [pk for pk in members if pk not in absent]
    (assignment,) = rotate_roles(members, [present], history=history)
    meeting.discussion_leader_id = assignment.holder(DISCUSSION_LEADER)
    meeting.note_taker_id = assignment.holder(NOTE_TAKER)
    meeting.timekeeper_id = assignment.holder(TIMEKEEPER)


def _when(moment: datetime) -> str:
    return long_datetime(moment)


def _check_time_and_place(
    group: LearningGroup,
    starts_at: datetime | None,
    minutes: int,
    place: str,
    video_url: str,
    *,
    now: datetime,
    exclude_pk: int | None,
) -> tuple[datetime, datetime, str, str]:
    """Validate a meeting's time and place: not in the past, not overlapping another meeting
    of the same group, a place or a video link."""
    if starts_at is None:
        raise ValidationError({"starts_at": _("Give the date and time of the meeting.")})
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= now:
        raise ValidationError({"starts_at": _("A meeting cannot be scheduled in the past.")})
    if not 10 <= minutes <= MAX_MEETING_MINUTES:
        raise ValidationError(
            {"duration_minutes": _("A meeting lasts between 10 minutes and 8 hours.")}
        )
    ends_at = starts_at + timedelta(minutes=minutes)
    place = (place or "").strip()
    video_url = (video_url or "").strip()
    if not place and not video_url:
        raise ValidationError({"place": _("Give a place or a video link (or both).")})
    if video_url and not video_url.lower().startswith("https://"):
        raise ValidationError({"video_url": _("A video link must start with https://.")})
    others = Meeting.objects.select_for_update().filter(
        group=group, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = others.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at").first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _(
                    "The group already has a meeting then (%(start)s). Choose another time."
                )
                % {"start": _when(clash.starts_at)}
            }
        )
    return starts_at, ends_at, place, video_url


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor,
    group: LearningGroup,
    starts_at: datetime | None,
    duration_minutes: int | None = None,
    place: str = "",
    video_url: str = "",
    phase_key: str | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting. Its agenda comes from the guide's phase; its roles rotate fairly."""
    if not can_manage_group(actor, group):
        raise PermissionDenied
    guide = group.guide.parsed
    phase_key = phase_key or phase_for_next_meeting(group)
    try:
        phase = guide.phase(phase_key)
    except KeyError:
        raise ValidationError({"phase_key": _("Choose one of the method's phases.")}) from None
    meeting_type = guide.meeting_type(phase.meeting_type)
    starts_at, ends_at, place, video_url = _check_time_and_place(
        group,
        starts_at,
        duration_minutes or meeting_type.total_minutes,
        place,
        video_url,
        now=now or timezone.now(),
        exclude_pk=None,
    )
    meeting = Meeting(
        group=group,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_url=video_url,
        phase_key=phase.key,
        meeting_type_key=meeting_type.key,
        created_by=as_actor(actor).person,
    )
    _assign_roles(meeting, absent=set())
    meeting.save()
    audit_record(
        actor=actor,
        action="groups.meeting_scheduled",
        target=meeting,
        school=group.school,
        data={"phase": phase.key},
    )
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    actor: Actor,
    meeting: Meeting,
    starts_at: datetime | None,
    duration_minutes: int | None = None,
    place: str = "",
    video_url: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Move a planned meeting or change where it is held. Calendars see a new sequence."""
    if not can_manage_group(actor, meeting.group):
        raise PermissionDenied
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    minutes = duration_minutes or int(meeting.duration.total_seconds() // 60)
    starts_at, ends_at, place, video_url = _check_time_and_place(
        meeting.group,
        starts_at,
        minutes,
        place,
        video_url,
        now=now or timezone.now(),
        exclude_pk=meeting.pk,
    )
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.video_url = place, video_url
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.updated_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting) -> Meeting:
    if not can_manage_group(actor, meeting.group):
        raise PermissionDenied
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("A meeting that has been held cannot be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    return meeting


@transaction.atomic
def meeting_send_apologies(*, actor: Actor, meeting: Meeting) -> Meeting:
    """A member can't come: record it and, if they held a role, rotate it to someone present."""
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("You can only send apologies for a planned meeting."))
    Attendance.objects.update_or_create(
        meeting=meeting, user=as_actor(actor).person, defaults={"present": False}
    )
    if actor.pk in (meeting.discussion_leader_id, meeting.note_taker_id, meeting.timekeeper_id):
        absent = set(
            Attendance.objects.filter(meeting=meeting, present=False).values_list(
                "user_id", flat=True
            )
        )
        _assign_roles(meeting, absent=absent)
        meeting.sequence += 1
        meeting.updated_at = timezone.now()
        meeting.save()
    return meeting


def _ensure_started(meeting: Meeting, now: datetime) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting has been cancelled."))


@dataclass(frozen=True)
class MinutesSaved:
    """What a save of the minutes did: the version now saved, and whose edits it merged."""

    meeting: Meeting
    revision: int
    merged: bool = False
    merged_with: tuple[str, ...] = ()


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else ""


def _minutes_base(
    meeting: Meeting, base_revision: int | None, current: int
) -> dict[str, str] | None:
    """The texts the person started from, or None if the token names no saved version."""
    if base_revision is None or not 0 <= base_revision <= current:
        return None
    if base_revision == 0:
        return {"minutes": "", "decisions": ""}
    row = MinutesRevision.objects.filter(meeting=meeting, number=base_revision).first()
    return None if row is None else {"minutes": row.minutes, "decisions": row.decisions}


@transaction.atomic
def meeting_notes_save(
    *,
    actor: Actor,
    meeting: Meeting,
    minutes: str,
    decisions: str = "",
    base_revision: int | None,
    now: datetime | None = None,
) -> MinutesSaved:
    """Save the shared minutes and decisions (any member may), keeping every version.

    ``base_revision`` is the version the person started from (the form's token; None if it
    could not be read). If someone saved since, the edits are merged line by line; if they
    overlap, nothing is saved and :class:`EditConflict` carries both texts.
    """
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied
    now = now or timezone.now()
    if len(minutes or "") > MAX_TEXT or len(decisions or "") > MAX_TEXT:
        raise ValidationError({"minutes": _("The minutes are too long.")})
    mine = {"minutes": normalise(minutes or ""), "decisions": normalise(decisions or "")}
    for field, text in mine.items():
        if has_conflict_markers(text):
            raise ValidationError({field: _conflict_markers_left()})
    # The row lock makes concurrent saves take turns: each sees the version the other saved.
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_started(locked, now)
    current = locked.minutes_revision
    theirs = {"minutes": locked.minutes, "decisions": locked.decisions}
    texts, merged = mine, False
    merged_with: tuple[str, ...] = ()
    if base_revision != current:
        base = _minutes_base(meeting, base_revision, current)
        since = base_revision if base is not None and base_revision is not None else 0
        editors = _editors_since(meeting, since, actor)
        fields = merge_fields(
            base or {},
            theirs,
            mine,
            theirs_label=", ".join(editors) or _("saved now"),
            mine_label=_("your text"),
        )
        if not all(f.merge.clean for f in fields):
            raise EditConflict(
                version=current, fields=fields, editors=editors, unknown_base=base is None
            )
        texts = {f.name: f.merge.text for f in fields}
        merged = any(f.merge.text.strip() != f.mine.strip() for f in fields)
        merged_with = editors if merged else ()
    texts = {name: text.strip() for name, text in texts.items()}
    if texts != {name: normalise(text).strip() for name, text in theirs.items()}:
        current += 1
        MinutesRevision.objects.create(
            meeting=locked, number=current, author_id=actor.pk, created_at=now, **texts
        )
        locked.minutes_revision = current
    locked.minutes, locked.decisions = texts["minutes"], texts["decisions"]
    locked.minutes_updated_at = now
    locked.updated_at = now
    if locked.starts_at <= now and locked.status == Meeting.Status.PLANNED:
        locked.status = Meeting.Status.HELD
    locked.save()
    return MinutesSaved(meeting=locked, revision=current, merged=merged, merged_with=merged_with)


def _conflict_markers_left() -> str:
    return _(
        "The text still holds the lines that mark where the two versions differ (<<<<<<<, "
        "======= and >>>>>>>). Keep what you want, remove those lines, then save."
    )


def _editors_since(meeting: Meeting, revision: int, actor: Actor) -> tuple[str, ...]:
    """Who saved the minutes after ``revision`` (other than the actor), in order."""
    names: list[str] = []
    rows = (
        MinutesRevision.objects.filter(meeting=meeting, number__gt=revision)
        .exclude(author_id=actor.pk)
        .select_related("author")
        .order_by("number")
    )
    for row in rows:
        name = _name(row.author)
        if name and name not in names:
            names.append(name)
    return tuple(names)


@transaction.atomic
def meeting_attendance_record(
    *, actor: Actor, meeting: Meeting, present_ids: Iterable[int], now: datetime | None = None
) -> None:
    """Record who was there. Everyone in the group not listed is recorded as absent."""
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied
    now = now or timezone.now()
    _ensure_started(meeting, now)
    members = set(meeting.group.memberships.values_list("user_id", flat=True))
    present = {int(pk) for pk in present_ids}
    if present - members:
        raise ValidationError(_("Only members of the group can be marked as present."))
    existing = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    to_create, to_update = [], []
    for member in members:
        row = existing.get(member)
        if row is None:
            to_create.append(Attendance(meeting=meeting, user_id=member, present=member in present))
        elif row.present != (member in present):
            row.present = member in present
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["present"])
    if meeting.starts_at <= now and meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])

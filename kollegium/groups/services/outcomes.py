"""What a group produces: commitments and reflections, learning-study evidence, conclusions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.core import registry
from kollegium.core.services import audit_record
from kollegium.groups.models import (
    Commitment,
    Conclusion,
    LearningGroup,
    LessonVersion,
    Meeting,
    TestItemResult,
)
from kollegium.groups.permissions import can_take_part
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.selectors import memberships_for_user, school_ids_for_user

MAX_COMMITMENT_CHARS = 1000
MAX_REFLECTION_CHARS = 4000
EVIDENCE_METHODS = ("learning_study", "lesson_study")
PUBLISH_VISIBILITIES = ("group", "school", "network")


@transaction.atomic
def commitment_create(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    due_on: date | None,
) -> Commitment:
    """ "I will try X in my class before <date>", written in the action-planning step."""
    if not can_take_part(actor, meeting.group):
        raise PermissionDenied
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting has been cancelled."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you will try in your class.")})
    if len(text) > MAX_COMMITMENT_CHARS:
        raise ValidationError({"text": _("Keep the commitment short (at most 1,000 characters).")})
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date you will have tried it by.")})
    meeting_day = timezone.localdate(meeting.starts_at)
    if due_on < meeting_day:
        raise ValidationError({"due_on": _("The date must be after the meeting.")})
    if due_on > meeting_day + timedelta(days=366):
        raise ValidationError({"due_on": _("Choose a date within a year.")})
    return Commitment.objects.create(
        group=meeting.group,
        meeting=meeting,
        user=as_actor(actor).person,
        text=text,
        due_on=due_on,
    )


@transaction.atomic
def commitment_reflect(
    *,
    actor: Actor,
    commitment: Commitment,
    outcome: str,
    reflection: str,
    meeting: Meeting | None = None,
    now: datetime | None = None,
) -> Commitment:
    """The member reports what happened. "It did not work, and here is what I learned" is a
    valued answer: it is stored and shown like any other."""
    if commitment.user_id != actor.pk:
        raise PermissionDenied
    if outcome not in Commitment.Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    reflection = (reflection or "").strip()
    if not reflection:
        raise ValidationError({"reflection": _("Write a sentence or two about what happened.")})
    if len(reflection) > MAX_REFLECTION_CHARS:
        raise ValidationError({"reflection": _("Keep the reflection under 4,000 characters.")})
    if meeting is not None and meeting.group_id != commitment.group_id:
        raise ValidationError(_("That meeting belongs to another group."))
    commitment.outcome = outcome
    commitment.reflection = reflection
    commitment.reflected_at = now or timezone.now()
    commitment.reflected_meeting = meeting
    commitment.save(update_fields=["outcome", "reflection", "reflected_at", "reflected_meeting"])
    return commitment


def _check_evidence_group(actor: Actor, group: LearningGroup) -> None:
    if not can_take_part(actor, group):
        raise PermissionDenied
    if group.guide.method not in EVIDENCE_METHODS:
        raise ValidationError(_("Test results are kept for learning studies and lesson studies."))


@transaction.atomic
def lesson_version_create(
    *,
    actor: Actor,
    group: LearningGroup,
    label: str,
    taught_on: date | None = None,
    notes: str = "",
) -> LessonVersion:
    _check_evidence_group(actor, group)
    label = (label or "").strip().upper()
    if not label or len(label) > 8:
        raise ValidationError({"label": _("Name the lesson version, for example A, B or C.")})
    if LessonVersion.objects.filter(group=group, label=label).exists():
        raise ValidationError(
            {"label": _("There is already a lesson %(label)s.") % {"label": label}}
        )
    return LessonVersion.objects.create(
        group=group, label=label, taught_on=taught_on, notes=(notes or "").strip()
    )


@transaction.atomic
def test_result_save(
    *,
    actor: Actor,
    lesson: LessonVersion,
    item: str,
    pre_percent: int,
    pre_pupils: int,
    post_percent: int,
    post_pupils: int,
) -> TestItemResult:
    """Aggregate results for one test item: share correct and number of pupils, nothing else."""
    _check_evidence_group(actor, lesson.group)
    item = (item or "").strip()
    if not item:
        raise ValidationError({"item": _("Name the test item, for example “Item 1”.")})
    for field, value in (("pre_percent", pre_percent), ("post_percent", post_percent)):
        if value is None or not 0 <= value <= 100:
            raise ValidationError({field: _("Give the share correct as 0–100 %.")})
    for field, value in (("pre_pupils", pre_pupils), ("post_pupils", post_pupils)):
        if value is None or not 1 <= value <= 1000:
            raise ValidationError({field: _("Give the number of pupils (1–1,000).")})
    result, _created = TestItemResult.objects.update_or_create(
        lesson=lesson,
        item=item,
        defaults={
            "pre_percent": pre_percent,
            "pre_pupils": pre_pupils,
            "post_percent": post_percent,
            "post_pupils": post_pupils,
        },
    )
    return result


@transaction.atomic
def conclusion_create(
    *, actor: Actor, group: LearningGroup, title: str, tried: str, evidence: str, conclusion: str
) -> Conclusion:
    """A proven-practice record: what we tried → evidence → conclusion."""
    if not can_take_part(actor, group):
        raise PermissionDenied
    values = {
        "title": (title or "").strip(),
        "tried": (tried or "").strip(),
        "evidence": (evidence or "").strip(),
        "conclusion": (conclusion or "").strip(),
    }
    messages = {
        "title": _("Give the conclusion a title."),
        "tried": _("Describe what you tried."),
        "evidence": _("Describe the evidence: what you saw, measured or collected."),
        "conclusion": _("Write the conclusion you draw."),
    }
    missing = {key: messages[key] for key, value in values.items() if not value}
    if missing:
        raise ValidationError(missing)
    if len(values["title"]) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    record = Conclusion.objects.create(group=group, created_by=as_actor(actor).person, **values)
    audit_record(
        actor=actor, action="groups.conclusion_created", target=record, school=group.school
    )
    return record


def conclusion_markdown(conclusion: Conclusion) -> str:
    return "\n\n".join(
        [
            f"## {_('What we tried')}\n\n{conclusion.tried}",
            f"## {_('Evidence')}\n\n{conclusion.evidence}",
            f"## {_('Conclusion')}\n\n{conclusion.conclusion}",
            _("A proven-practice record from the learning group “%(group)s” (%(method)s).")
            % {"group": conclusion.group.name, "method": conclusion.group.guide.title},
        ]
    )


@transaction.atomic
def conclusion_publish_to_library(
    *, actor: Actor, conclusion: Conclusion, visibility: str | None = None
) -> Any:
    """Publish a proven-practice record to the library (once).

    ``visibility`` is the library's: "group" (the group's members), "school" or "network";
    by default the group's school, or its network for a cross-school group.
    """
    group = conclusion.group
    if not can_take_part(actor, group):
        raise PermissionDenied
    if conclusion.published_item_id:
        raise ValidationError(_("This conclusion is already in the library."))
    visibility = visibility or ("network" if group.network_id else "school")
    if visibility not in PUBLISH_VISIBILITIES:
        raise ValidationError({"visibility": _("Choose who may read it in the library.")})
    # In a network group the publisher may work at another school: publish from their own.
    own_school_ids = school_ids_for_user(actor)
    school = group.school
    if group.school_id not in own_school_ids:
        school = next(m.school for m in memberships_for_user(actor))
    # The library's item_publish_from_source, registered in its hooks.py: groups sit below
    # the library (its items may belong to a group) and do not import it.
    item = registry.publish(
        actor=actor,
        title=conclusion.title,
        body_markdown=conclusion_markdown(conclusion),
        item_type="proven_practice",
        visibility=visibility,
        school=school,
        origin_label=group.name,
        origin_url=reverse("groups:detail", args=[group.pk]),
        skills=(),
        language="sv",
        group=group,
    )
    conclusion.published_item_id = item.pk
    conclusion.published_at = timezone.now()
    conclusion.save(update_fields=["published_item_id", "published_at"])
    audit_record(
        actor=actor,
        action="groups.conclusion_published",
        target=conclusion,
        school=group.school,
        data={"item": item.pk},
    )
    return item

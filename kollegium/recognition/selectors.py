"""Reads of the recognition app, each scoped to the person whose record it is. The caller has
already checked that the acting person may see it (permissions.py). Constant queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from kollegium.accounts.models import User
from kollegium.groups.models import (
    Commitment,
    Conclusion,
    GroupMembership,
    LearningGroup,
    Meeting,
    Talk,
)
from kollegium.library.models import Item
from kollegium.observations.models import Observation, ObservationStatus
from kollegium.organisations.actor import Actor, as_actor
from kollegium.questions.models import Answer, Question
from kollegium.recognition.models import (
    Confirmation,
    ContributionSharing,
    GuestInvitation,
    ThanksNote,
)

HELD_OBSERVATION = (ObservationStatus.DONE, ObservationStatus.DEBRIEFED)
DATA = Path(__file__).resolve().parent / "data"


def thanks_received(person: User) -> QuerySet[ThanksNote]:
    return ThanksNote.objects.filter(receiver=person).select_related("sender")


def thanks_on_profile(person: User) -> QuerySet[ThanksNote]:
    return thanks_received(person).filter(on_profile=True)


def thanks_sent(person: User) -> QuerySet[ThanksNote]:
    return ThanksNote.objects.filter(sender=person).select_related("receiver")


def is_shared(person: User) -> bool:
    return ContributionSharing.objects.filter(user=person, shared=True).exists()


def _attended(person: User) -> QuerySet[Meeting]:
    """Meetings held that the person was present at."""
    return Meeting.objects.filter(
        status=Meeting.Status.HELD,
        attendance__user=person,
        attendance__present=True,
    )


def _hours(duration: timedelta) -> Decimal:
    return (Decimal(duration.total_seconds()) / Decimal(3600)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Contributions:
    talks: list[Talk]
    answers_accepted: list[Answer]
    answers_helpful: int
    items: list[Any]  # Items annotated with helped and tried_by
    observations_hosted: int
    groups_led: list[LearningGroup]
    discussions_led: int
    thanks: list[ThanksNote] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.talks
            or self.answers_accepted
            or self.answers_helpful
            or self.items
            or self.observations_hosted
            or self.groups_led
            or self.discussions_led
        )


def contributions(person: User, *, with_thanks: bool) -> Contributions:
    """What the person gave to colleagues, with no comparison to anyone (9 queries)."""
    talks = list(
        Talk.objects.filter(speaker=person)
        .select_related("meeting", "meeting__group")
        .order_by("-meeting__starts_at")
    )
    accepted = list(
        Answer.objects.filter(author=person)
        .filter(Exists(Question.objects.filter(accepted_answer=OuterRef("pk"))))
        .select_related("question")
        .order_by("-created_at")
    )
    helpful = (
        Answer.objects.filter(author=person, helpful_marks__isnull=False)
        .exclude(helpful_marks__user=person)
        .distinct()
        .count()
    )
    items = list(
        Item.objects.filter(authors=person)
        .annotate(
            helped=Count("appreciations", filter=~Q(appreciations__user=person), distinct=True),
            tried_by=Count("tried", filter=~Q(tried__user=person), distinct=True),
        )
        .filter(Q(helped__gt=0) | Q(tried_by__gt=0))
        .order_by("-helped", "title")
    )
    hosted = Observation.objects.filter(observed=person, status__in=HELD_OBSERVATION).count()
    led = list(
        LearningGroup.objects.filter(
            memberships__user=person, memberships__role=GroupMembership.Role.FACILITATOR
        ).order_by("-starts_on")
    )
    discussions = Meeting.objects.filter(
        discussion_leader=person, status=Meeting.Status.HELD
    ).count()
    thanks = list(thanks_received(person)[:50]) if with_thanks else []
    return Contributions(talks, accepted, helpful, items, hosted, led, discussions, thanks)


# --- the portfolio --------------------------------------------------------------------------


@cache
def programme() -> dict[str, Any]:
    """Sweden's professional programme: categories and how Kollegium's records fit them."""
    return json.loads((DATA / "professional_programme.json").read_text(encoding="utf-8"))


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def programme_mapping(hours: Decimal) -> dict[str, Any]:
    data = programme()
    lang = _lang()
    categories = {c["key"]: c[lang] for c in data["categories"]}
    rows = [
        {
            "key": key,
            "fit": row["fit"],
            "category": categories.get(row["category"], ""),
            "text": row[lang],
        }
        for key, row in data["activities"].items()
    ]
    return {
        "name": data["name"][lang],
        "summary": data["summary"][lang],
        "sources": data["sources"],
        "collegial_hours": str(hours),
        "rows": rows,
    }


def portfolio(person: User) -> dict[str, Any]:
    """The person's professional-learning record (constant queries; no observation notes,
    no minutes). Everything is the person's own or a group they were in."""
    memberships = list(
        GroupMembership.objects.filter(user=person)
        .select_related("group", "group__guide", "group__school")
        .order_by("group__starts_on", "group__name")
    )
    attended = list(
        _attended(person).values_list("group_id", "starts_at", "ends_at").order_by("starts_at")
    )
    per_group: dict[int, list[tuple[Any, Any]]] = {}
    for group_id, start, end in attended:
        per_group.setdefault(group_id, []).append((start, end))
    roles = Meeting.objects.filter(status=Meeting.Status.HELD).aggregate(
        discussion_leader=Count("pk", filter=Q(discussion_leader=person)),
        note_taker=Count("pk", filter=Q(note_taker=person)),
        timekeeper=Count("pk", filter=Q(timekeeper=person)),
    )
    lang = _lang()
    groups = []
    total = timedelta()
    for membership in memberships:
        group = membership.group
        meetings = per_group.get(group.pk, [])
        duration = sum((end - start for start, end in meetings), timedelta())
        total += duration
        groups.append(
            {
                "id": group.pk,
                "name": group.name,
                "school": group.school.display_name,
                "method": group.guide.title_en if lang == "en" else group.guide.title_sv,
                "role": membership.role,
                "role_label": str(membership.get_role_display()),
                "from": group.starts_on,
                "until": group.ends_on,
                "first_attended": timezone.localdate(meetings[0][0]) if meetings else None,
                "last_attended": timezone.localdate(meetings[-1][0]) if meetings else None,
                "meetings_attended": len(meetings),
                "hours": _hours(duration),
            }
        )
    commitments = list(
        Commitment.objects.filter(user=person).select_related("group").order_by("due_on", "pk")
    )
    observations = list(
        Observation.objects.filter(Q(observer=person) | Q(observed=person))
        .filter(status__in=HELD_OBSERVATION)
        .select_related("school")
        .order_by("start")
    )
    talks = list(
        Talk.objects.filter(speaker=person)
        .select_related("meeting", "meeting__group")
        .order_by("meeting__starts_at")
    )
    items = list(
        Item.objects.filter(authors=person).select_related("school").order_by("created_at", "pk")
    )
    conclusions = list(
        Conclusion.objects.filter(group__memberships__user=person)
        .select_related("group")
        .order_by("created_at", "pk")
    )
    confirmations = list(Confirmation.objects.filter(person=person).order_by("issued_at", "pk"))
    hours = _hours(total)
    return {
        "person": {"name": person.full_name, "email": person.email},
        "generated_on": timezone.localdate(),
        "groups": groups,
        "hours": hours,
        "meetings": len(attended),
        "roles": {
            "facilitator": sum(
                1 for m in memberships if m.role == GroupMembership.Role.FACILITATOR
            ),
            **roles,
        },
        "commitments": commitments,
        "observations": [
            {
                "date": timezone.localdate(o.start),
                "role": "observer" if o.observer_id == person.pk else "observed",
                "school": o.school.display_name,
                "focus": o.focus_key,
            }
            for o in observations
        ],
        "talks": talks,
        "items": items,
        "conclusions": conclusions,
        "confirmations": confirmations,
        "programme": programme_mapping(hours),
    }


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def portfolio_json(record: dict[str, Any]) -> dict[str, Any]:
    """The portfolio as plain JSON (dates as ISO 8601, hours as numbers)."""
    return {
        "format": "kollegium-portfolio/1",
        "person": record["person"],
        "generated_on": _iso(record["generated_on"]),
        "hours_in_learning_groups": _iso(record["hours"]),
        "meetings_attended": record["meetings"],
        "groups": [
            {k: _iso(v) for k, v in g.items() if k != "role_label"} for g in record["groups"]
        ],
        "roles": record["roles"],
        "commitments": [
            {
                "group": c.group.name,
                "text": c.text,
                "due_on": _iso(c.due_on),
                "outcome": c.outcome,
                "what_i_learned": c.reflection,
            }
            for c in record["commitments"]
        ],
        "observations": [{k: _iso(v) for k, v in o.items()} for o in record["observations"]],
        "talks": [
            {
                "title": t.title,
                "group": t.meeting.group.name,
                "date": _iso(timezone.localdate(t.meeting.starts_at)),
            }
            for t in record["talks"]
        ],
        "published_items": [
            {"title": i.title, "type": i.item_type, "date": _iso(timezone.localdate(i.created_at))}
            for i in record["items"]
        ],
        "conclusions": [
            {
                "title": c.title,
                "group": c.group.name,
                "conclusion": c.conclusion,
                "date": _iso(timezone.localdate(c.created_at)),
            }
            for c in record["conclusions"]
        ],
        "confirmations": [
            {
                "title": c.title,
                "issued_on": _iso(timezone.localdate(c.issued_at)),
                "credential": c.token,
            }
            for c in record["confirmations"]
        ],
        "professional_programme": record["programme"],
    }


# --- guests ---------------------------------------------------------------------------------


def guest_invitations_for_group(group: LearningGroup) -> QuerySet[GuestInvitation]:
    return GuestInvitation.objects.filter(group=group).select_related("meeting", "guest")


def active_guests_of_group(group_id: int) -> QuerySet[GuestInvitation]:
    return GuestInvitation.objects.filter(
        group_id=group_id,
        accepted_at__isnull=False,
        revoked_at__isnull=True,
        access_until__gt=timezone.now(),
    ).select_related("guest", "meeting")


def grants_of(actor: Actor) -> QuerySet[GuestInvitation]:
    return GuestInvitation.objects.filter(
        guest_id=as_actor(actor).pk,
        accepted_at__isnull=False,
        revoked_at__isnull=True,
        access_until__gt=timezone.now(),
    ).select_related("group", "meeting", "group__school")


def confirmations_for_group(group: LearningGroup) -> QuerySet[Confirmation]:
    return Confirmation.objects.filter(group=group).select_related("person")


def held_hours_of(person: User, group: LearningGroup) -> tuple[Decimal, int]:
    rows = list(_attended(person).filter(group=group).values_list("starts_at", "ends_at"))
    return _hours(sum((e - s for s, e in rows), timedelta())), len(rows)


def thanks_link_choices(actor: Actor, receiver: User) -> list[tuple[str, str]]:
    """What the sender might thank the receiver for: the receiver's talks in the sender's
    groups, answers to the sender's questions, items the sender found helpful or tried, and
    observations the two held together (the latest of each; the service checks again)."""
    from django.utils.translation import gettext as _

    from kollegium.core.dates import long_date
    from kollegium.library.models import Appreciation, TriedIt

    me = as_actor(actor).pk
    talks = Talk.objects.filter(speaker=receiver, meeting__group__memberships__user_id=me).order_by(
        "-meeting__starts_at"
    )[:10]
    answers = (
        Answer.objects.filter(author=receiver, question__author_id=me)
        .select_related("question")
        .order_by("-created_at")[:10]
    )
    items = (
        Item.objects.filter(authors=receiver)
        .filter(
            Exists(Appreciation.objects.filter(item=OuterRef("pk"), user_id=me))
            | Exists(TriedIt.objects.filter(item=OuterRef("pk"), user_id=me))
        )
        .order_by("-created_at")[:10]
    )
    observations = Observation.objects.filter(
        (Q(observer_id=me) & Q(observed=receiver)) | (Q(observer=receiver) & Q(observed_id=me)),
        status__in=HELD_OBSERVATION,
    ).order_by("-start")[:10]
    choices = [(f"talk:{t.pk}", _("Talk: %(title)s") % {"title": t.title}) for t in talks]
    choices += [
        (f"answer:{a.pk}", _("Answer to: %(title)s") % {"title": a.question.title}) for a in answers
    ]
    choices += [(f"item:{i.pk}", _("Library: %(title)s") % {"title": i.title}) for i in items]
    choices += [
        (
            f"observation:{o.pk}",
            _("Observation on %(date)s") % {"date": long_date(o.start)},
        )
        for o in observations
    ]
    return choices


def members_for_confirmation(group: LearningGroup) -> list[dict[str, Any]]:
    """The group's members with their attended meetings and hours, and any confirmation
    (three queries)."""
    members = list(
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .order_by("user__full_name")
    )
    rows = Meeting.objects.filter(
        group=group, status=Meeting.Status.HELD, attendance__present=True
    ).values_list("attendance__user_id", "starts_at", "ends_at")
    per_person: dict[int, list[timedelta]] = {}
    for user_id, start, end in rows:
        per_person.setdefault(user_id, []).append(end - start)
    confirmed = {c.person_id: c for c in Confirmation.objects.filter(group=group)}
    return [
        {
            "membership": m,
            "user": m.user,
            "meetings": len(per_person.get(m.user_id, [])),
            "hours": _hours(sum(per_person.get(m.user_id, []), timedelta())),
            "confirmation": confirmed.get(m.user_id),
        }
        for m in members
    ]

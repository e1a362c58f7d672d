"""Writes for topics: keyword-only, atomic, validating; one user action, one call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.competence.models import Skill
from kollegium.core.notices import Text
from kollegium.core.services import audit_record, notification_send
from kollegium.groups.models import LearningGroup
from kollegium.groups.permissions import can_manage_group
from kollegium.groups.services import group_create, shipped_guide
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)
from kollegium.organisations.permissions import can_manage_school
from kollegium.topics import core, selectors
from kollegium.topics.models import (
    EVIDENCE_MAX,
    MAX_SKILLS,
    NEED_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    Response,
    SchoolWeights,
    Topic,
)
from kollegium.topics.permissions import (
    can_decide,
    can_mark_expert,
    can_respond,
    can_view_topic,
)

#: What a topic can become in one step: the method guide each format uses.
FORMATS = {"group": None, "teachmeet": "workshop", "mentoring": "mentoring"}
GROUP_DAYS = {"group": 120, "teachmeet": 60, "mentoring": 90}


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(n)s characters (this text has %(count)s).")
                % {"n": limit, "count": len(value)}
            }
        )
    return value


def _notify(
    person: User,
    *,
    kind: str,
    topic: Topic,
    title: Promise,
    body: Text = "",
    params: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Tell one person; the words are rendered in their language when read."""
    notification_send(
        recipient=person,
        kind=kind,
        title=title,
        body=body,
        params={"topic": topic.title, **(params or {})},
        url=url or reverse("topics:detail", args=[topic.pk]),
    )


@transaction.atomic
def topic_propose(
    *,
    actor: Actor,
    school: Organisation,
    title: str,
    need: str,
    description: str = "",
    evidence: str = "",
    focus: DevelopmentFocus | None = None,
    skills: Iterable[Skill] = (),
    shared_with_network: bool = False,
    needs_expert: bool = False,
) -> Topic:
    """A teacher proposes a topic for collegial learning; the students' need comes first."""
    actor = as_actor(actor)
    if school.pk not in actor.school_ids:
        raise PermissionDenied
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the topic a short title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX}}
        )
    need = _text(
        need,
        field="need",
        limit=NEED_MAX,
        required=_("Describe the students' learning need the topic answers."),
    )
    description = _text(description, field="description", limit=TEXT_MAX)
    evidence = _text(evidence, field="evidence", limit=EVIDENCE_MAX)
    if focus is not None and (focus.school_id != school.pk or not focus.is_active):
        raise ValidationError({"focus": _("Choose one of your school's development focus areas.")})
    chosen = list({s.pk: s for s in skills}.values())
    if len(chosen) > MAX_SKILLS:
        raise ValidationError({"skills": _("Choose at most %(n)s skills.") % {"n": MAX_SKILLS}})
    topic = Topic.objects.create(
        school=school,
        proposer=actor.person,
        title=title,
        need=need,
        description=description,
        evidence=evidence,
        focus=focus,
        shared_with_network=bool(shared_with_network),
        needs_expert=bool(needs_expert),
    )
    topic.skills.set(chosen)
    return topic


@transaction.atomic
def topic_respond(*, actor: Actor, topic: Topic, kind: str, text: str = "") -> Response:
    """A colleague responds: we need this too, I can contribute, or a question. The proposer
    is told."""
    actor = as_actor(actor)
    if not can_respond(actor, topic):
        raise PermissionDenied
    if kind not in Response.Kind.values:
        raise ValidationError({"kind": _("Choose how you respond.")})
    text = _text(
        text,
        field="text",
        limit=RESPONSE_MAX,
        required=_("Write your question.") if kind == Response.Kind.QUESTION else "",
    )
    if not topic.is_ranked:
        raise ValidationError(_("The topic has been decided; it takes no more responses."))
    if kind == Response.Kind.NEED_TOO and topic.proposer_id == actor.pk:
        raise ValidationError(_("You proposed the topic: your need is already counted."))
    try:
        with transaction.atomic():
            response = Response.objects.create(topic=topic, user=actor.person, kind=kind, text=text)
    except IntegrityError:
        raise ValidationError(_("You have already responded in this way.")) from None
    if topic.proposer_id != actor.pk:
        _notify(
            topic.proposer,
            kind="topics.response",
            topic=topic,
            title=gettext_lazy("%(name)s responded to your topic “%(topic)s”"),
            body=gettext_lazy("%(kind)s: %(text)s") if text else gettext_lazy("%(kind)s"),
            params={"name": str(actor.person), "kind": Response.Kind(kind).label, "text": text},
        )
    return response


@transaction.atomic
def topic_response_withdraw(*, actor: Actor, response: Response) -> None:
    """A colleague takes back their own response."""
    if response.user_id != as_actor(actor).pk:
        raise PermissionDenied
    if not response.topic.is_ranked:
        raise ValidationError(_("The topic has been decided; its responses stay as they were."))
    response.delete()


def _score_of(topic: Topic) -> Decimal | None:
    if not topic.is_ranked:
        return None
    return Decimal(str(selectors.topic_row(topic).scored.score))


@transaction.atomic
def topic_decide(*, actor: Actor, topic: Topic, decision: str, reason: str) -> Decision:
    """A leader decides in the open: take up now, later or not now, with a reason everyone
    can read. The proposer is told."""
    if not can_decide(actor, topic):
        raise PermissionDenied
    if decision not in (Decision.Kind.NOW, Decision.Kind.LATER, Decision.Kind.NOT_NOW):
        raise ValidationError({"decision": _("Choose: take up now, later or not now.")})
    reason = _text(
        reason,
        field="reason",
        limit=REASON_MAX,
        required=_("Give a reason everyone can read."),
    )
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status == Topic.Status.TAKEN_UP:
        raise ValidationError(_("The topic has already been taken up."))
    score = _score_of(topic)
    topic.status = decision
    topic.updated_at = timezone.now()
    topic.save(update_fields=["status", "updated_at"])
    entry = Decision.objects.create(
        topic=topic,
        school=topic.school,
        kind=decision,
        reason=reason,
        decided_by=as_actor(actor).person,
        score=score,
    )
    audit_record(
        actor=actor,
        action="topics.decided",
        target=topic,
        school=topic.school,
        data={"decision": decision},
    )
    _notify(
        topic.proposer,
        kind="topics.decision",
        topic=topic,
        title=gettext_lazy("A decision on your topic “%(topic)s”: %(decision)s"),
        body=reason,
        params={"decision": Decision.Kind(decision).label},
    )
    return entry


def _network_for(school: Organisation, other_school_ids: set[int]) -> Network | None:
    """A network of the school that holds every one of the other schools, if any."""
    if not other_school_ids:
        return None
    for network in Network.objects.filter(schools=school).order_by("pk"):
        members = set(
            NetworkMembership.objects.filter(network=network).values_list("school_id", flat=True)
        )
        if other_school_ids <= members:
            return network
    return None


@transaction.atomic
def topic_take_up(
    *,
    actor: Actor,
    topic: Topic,
    format: str,
    name: str = "",
    guide_slug: str = "",
    starts_on: date | None = None,
    mentor_id: int | None = None,
    reason: str = "",
) -> LearningGroup:
    """In one step, a topic becomes a learning group on a suggested method guide, a
    TeachMeet/workshop, or a mentoring pair, with the proposer and the colleagues who
    responded invited; the decision is logged and the proposer told."""
    if not can_decide(actor, topic):
        raise PermissionDenied
    if format not in FORMATS:
        raise ValidationError({"format": _("Choose what the topic becomes.")})
    reason = _text(reason, field="reason", limit=REASON_MAX)
    topic = Topic.objects.select_for_update().select_related("school", "proposer").get(pk=topic.pk)
    if topic.status == Topic.Status.TAKEN_UP:
        raise ValidationError(_("The topic has already been taken up."))
    responders = {
        r.user_id: r.kind
        for r in topic.responses.exclude(kind=Response.Kind.QUESTION).order_by("kind")
    }
    if format == "mentoring":
        contributors = [pk for pk, kind in responders.items() if kind == Response.Kind.CONTRIBUTE]
        if mentor_id not in contributors:
            raise ValidationError(
                {"mentor_id": _("Choose a mentor among the colleagues who offered to contribute.")}
            )
        member_ids = {topic.proposer_id, mentor_id}
    else:
        member_ids = {topic.proposer_id, *responders}
    slug = FORMATS[format] or (guide_slug or "")
    try:
        guide = shipped_guide(slug)
    except ValidationError:
        raise ValidationError({"guide_slug": _("Choose one of the method guides.")}) from None
    today = timezone.localdate()
    starts_on = starts_on or today
    if not today - timedelta(days=31) <= starts_on <= today + timedelta(days=366):
        raise ValidationError({"starts_on": _("Choose a start within the coming year.")})
    schools = dict(
        Membership.objects.filter(user_id__in=member_ids).values_list("user_id", "school_id")
    )
    at_school = set(
        Membership.objects.filter(user_id__in=member_ids, school=topic.school).values_list(
            "user_id", flat=True
        )
    )
    others = {schools[pk] for pk in member_ids - at_school if pk in schools}
    network = _network_for(topic.school, others)
    if network is None:
        member_ids = member_ids & at_school
    name = " ".join((name or "").split()) or topic.title
    group = group_create(
        actor=actor,
        school=topic.school,
        name=name[:120],
        guide=guide,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=GROUP_DAYS[format]),
        member_ids=member_ids,
        purpose=topic.need,
        focus=topic.focus if topic.focus and topic.focus.is_active else None,
        network=network,
    )
    topic.status = Topic.Status.TAKEN_UP
    topic.group = group
    topic.updated_at = timezone.now()
    topic.save(update_fields=["status", "group", "updated_at"])
    entry = Decision.objects.create(
        topic=topic,
        school=topic.school,
        kind=Decision.Kind.TAKEN_UP,
        reason=reason,
        decided_by=as_actor(actor).person,
        group=group,
    )
    audit_record(
        actor=actor,
        action="topics.taken_up",
        target=topic,
        school=topic.school,
        data={"format": format, "group": group.pk, "decision": entry.pk},
    )
    url = reverse("groups:detail", args=[group.pk])
    for person in User.objects.filter(pk__in=member_ids - {as_actor(actor).pk}):
        if person.pk == topic.proposer_id:
            _notify(
                person,
                kind="topics.taken_up",
                topic=topic,
                title=gettext_lazy("Your topic “%(topic)s” has been taken up"),
                body=gettext_lazy("It is now “%(group)s”, and you are a member."),
                params={"group": group.name},
                url=url,
            )
        else:
            _notify(
                person,
                kind="topics.invited",
                topic=topic,
                title=gettext_lazy("You are invited to “%(group)s”"),
                body=gettext_lazy(
                    "The topic “%(topic)s”, to which you responded, has been taken up."
                ),
                params={"group": group.name},
                url=url,
            )
    return group


@transaction.atomic
def topic_expert_mark(*, actor: Actor, topic: Topic, needs_expert: bool) -> Topic:
    """The proposer or a leader marks that the topic needs an expert (or no longer does)."""
    if not can_mark_expert(actor, topic):
        raise PermissionDenied
    topic.needs_expert = bool(needs_expert)
    topic.updated_at = timezone.now()
    topic.save(update_fields=["needs_expert", "updated_at"])
    return topic


def can_record_expert(actor: Actor, topic: Topic) -> bool:
    return can_decide(actor, topic) or (
        topic.group is not None and can_manage_group(actor, topic.group)
    )


@transaction.atomic
def topic_expert_record(*, actor: Actor, topic: Topic, note: str) -> Decision:
    """The decision log shows that an expert was brought in (a leader, or the facilitator of
    the group the topic became; the guests' invitation calls this too). The proposer is told."""
    if not can_view_topic(actor, topic) or not can_record_expert(actor, topic):
        raise PermissionDenied
    note = _text(
        note,
        field="note",
        limit=REASON_MAX,
        required=_("Say who was brought in, for example “a researcher in reading”."),
    )
    entry = Decision.objects.create(
        topic=topic,
        school=topic.school,
        kind=Decision.Kind.EXPERT,
        reason=note,
        decided_by=as_actor(actor).person,
        group=topic.group,
    )
    audit_record(actor=actor, action="topics.expert_recorded", target=topic, school=topic.school)
    if topic.proposer_id != as_actor(actor).pk:
        _notify(
            topic.proposer,
            kind="topics.expert",
            topic=topic,
            title=gettext_lazy("An expert has been brought in for “%(topic)s”"),
            body=note,
        )
    return entry


def topic_expert_record_for_group(*, actor: Actor, group: LearningGroup, note: str) -> int:
    """Record an expert brought into a group on every topic taken up as that group (for the
    guests' invitation); returns how many topics. Runs in the caller's transaction."""
    count = 0
    for topic in Topic.objects.filter(group=group).select_related("school", "proposer", "group"):
        topic_expert_record(actor=actor, topic=topic, note=note)
        count += 1
    return count


@transaction.atomic
def topic_weights_set(
    *, actor: Actor, school: Organisation, weights: Mapping[str, Any]
) -> SchoolWeights:
    """A school's leader adjusts the published weights (audited, before and after)."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    try:
        checked = selectors.default_weights().with_weights(dict(weights))
    except core.WeightsError:
        raise ValidationError(
            _("Each weight is a whole number from 0 to %(max)s, and at least one is above 0.")
            % {"max": core.MAX_WEIGHT}
        ) from None
    before = selectors.weights_for([school.pk])[school.pk].as_dict()
    row, _created = SchoolWeights.objects.select_for_update().get_or_create(school=school)
    row.weights = checked.as_dict()
    row.updated_by = as_actor(actor).person
    row.updated_at = timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action="topics.weights_changed",
        target=row,
        school=school,
        data={"before": before, "after": row.weights},
    )
    return row


@transaction.atomic
def topic_weights_reset(*, actor: Actor, school: Organisation) -> None:
    """Back to the published defaults (audited)."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    before = selectors.weights_for([school.pk])[school.pk].as_dict()
    SchoolWeights.objects.filter(school=school).delete()
    audit_record(
        actor=actor,
        action="topics.weights_reset",
        school=school,
        data={"before": before, "after": selectors.default_weights().as_dict()},
    )

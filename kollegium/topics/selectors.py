"""Reads for topics, each scoped to the acting person, in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, F, Max, QuerySet

from kollegium.competence.models import HOLDER_LEVEL, FocusSkill, Level, SkillLevel
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation
from kollegium.topics import core
from kollegium.topics.models import Decision, Response, SchoolWeights, Topic

LOG_LIMIT = 200


@lru_cache(maxsize=1)
def default_weights() -> core.Weights:
    return core.load_weights()


def weights_for(school_ids: Iterable[int]) -> dict[int, core.Weights]:
    """Each school's weights: the published defaults with its leader's adjustment (one query)."""
    ids = set(school_ids)
    adjusted = {
        row.school_id: row.weights for row in SchoolWeights.objects.filter(school_id__in=ids)
    }
    result = {}
    for school_id in ids:
        try:
            result[school_id] = default_weights().with_weights(adjusted.get(school_id, {}))
        except core.WeightsError:
            result[school_id] = default_weights()
    return result


def school_weights(school: Organisation) -> tuple[core.Weights, SchoolWeights | None]:
    row = SchoolWeights.objects.filter(school=school).select_related("updated_by").first()
    return weights_for([school.pk])[school.pk], row


@dataclass
class TopicRow:
    """A topic with its counts, score and breakdown."""

    topic: Topic
    scored: core.Scored
    need_too: int = 0
    contribute: int = 0
    questions: int = 0
    skill_ids: list[int] = field(default_factory=list)

    @property
    def sharers(self) -> int:
        return self.need_too + 1


def _facts(topics: list[Topic]) -> tuple[list[core.Facts], dict[int, dict[str, int]], dict]:
    """The prioritisation's facts for topics: five queries, whatever their number."""
    ids = [t.pk for t in topics]
    school_ids = {t.school_id for t in topics}
    skills: dict[int, list[int]] = defaultdict(list)
    for topic_id, skill_id in Topic.skills.through.objects.filter(topic_id__in=ids).values_list(
        "topic_id", "skill_id"
    ):
        skills[topic_id].append(skill_id)
    all_skills = {s for values in skills.values() for s in values}
    focus_skills = set(
        FocusSkill.objects.filter(
            focus__school_id__in=school_ids, focus__is_active=True, skill_id__in=all_skills
        ).values_list("focus__school_id", "skill_id")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Response.objects.filter(topic_id__in=ids)
        .exclude(kind=Response.Kind.NEED_TOO, user_id=F("topic__proposer_id"))
        .values("topic_id", "kind")
        .annotate(n=Count("user_id", distinct=True))
    ):
        counts[row["topic_id"]][row["kind"]] = row["n"]
    holders: dict[tuple[int, int], tuple[int, int]] = {}
    for row in (
        SkillLevel.objects.filter(
            skill_id__in=all_skills,
            level__gte=HOLDER_LEVEL,
            user__memberships__school_id__in=school_ids,
        )
        .values("skill_id", school=F("user__memberships__school_id"))
        .annotate(n=Count("user_id", distinct=True), top=Max("level"))
    ):
        holders[(row["school"], row["skill_id"])] = (row["n"], row["top"])
    facts = []
    for topic in topics:
        own = skills.get(topic.pk, [])
        if topic.focus_id and topic.focus is not None and topic.focus.is_active:
            focus = core.FocusFit.FOCUS
        elif any((topic.school_id, s) in focus_skills for s in own):
            focus = core.FocusFit.SKILL
        else:
            focus = core.FocusFit.NONE
        held = [holders.get((topic.school_id, s), (0, 0)) for s in own]
        if counts[topic.pk].get(Response.Kind.CONTRIBUTE) or any(
            top >= Level.GUIDE for _, top in held
        ):
            lead = core.LeadLevel.GUIDE
        elif any(n for n, _ in held):
            lead = core.LeadLevel.CONFIDENT
        else:
            lead = core.LeadLevel.NONE
        facts.append(
            core.Facts(
                topic_id=topic.pk,
                focus=focus,
                has_evidence=bool(topic.evidence.strip()),
                sharers=1 + counts[topic.pk].get(Response.Kind.NEED_TOO, 0),
                lead=lead,
                sole_holder_skills=sum(1 for n, _ in held if n == 1),
                gap_skills=sum(1 for n, _ in held if n == 0),
                order=int(topic.created_at.timestamp()),
            )
        )
    return facts, counts, skills


def rows_for(topics: list[Topic]) -> list[TopicRow]:
    """Topics ranked within their school by its weights (constant queries)."""
    if not topics:
        return []
    facts, counts, skills = _facts(topics)
    weights = weights_for({t.school_id for t in topics})
    by_id = {t.pk: t for t in topics}
    by_school: dict[int, list[core.Facts]] = defaultdict(list)
    for f in facts:
        by_school[by_id[f.topic_id].school_id].append(f)
    rows = []
    for school_id, school_facts in by_school.items():
        for scored in core.rank(school_facts, weights[school_id]):
            c = counts[scored.topic_id]
            rows.append(
                TopicRow(
                    topic=by_id[scored.topic_id],
                    scored=scored,
                    need_too=c.get(Response.Kind.NEED_TOO, 0),
                    contribute=c.get(Response.Kind.CONTRIBUTE, 0),
                    questions=c.get(Response.Kind.QUESTION, 0),
                    skill_ids=skills.get(scored.topic_id, []),
                )
            )
    rows.sort(key=lambda r: (r.topic.school_id, r.scored.rank, r.topic.created_at))
    return rows


def _base() -> QuerySet[Topic]:
    return Topic.objects.select_related("school", "proposer", "focus", "group")


def school_topics(*, actor: Actor, school: Organisation) -> tuple[list[TopicRow], list[Topic]]:
    """The school's ranked topics (open, later, take up now) and its decided ones."""
    del actor  # the caller checked that the person may view the school
    topics = list(_base().filter(school=school))
    ranked = rows_for([t for t in topics if t.is_ranked])
    decided = sorted(
        (t for t in topics if not t.is_ranked), key=lambda t: t.updated_at, reverse=True
    )
    return ranked, decided


def network_topics(*, actor: Actor) -> list[TopicRow]:
    """Open topics other schools in the person's networks have opened to them."""
    actor = as_actor(actor)
    others = actor.network_school_ids - actor.school_ids
    if not others:
        return []
    return rows_for(
        list(
            _base().filter(school_id__in=others, shared_with_network=True, status__in=Topic.RANKED)
        )
    )


def topic_row(topic: Topic) -> TopicRow:
    """One topic's score and breakdown, ranked among its school's topics."""
    if not topic.is_ranked:
        return rows_for([topic])[0]
    rows = rows_for(list(_base().filter(school_id=topic.school_id, status__in=Topic.RANKED)))
    return next(r for r in rows if r.topic.pk == topic.pk)


def responses(topic: Topic) -> list[Response]:
    return list(topic.responses.select_related("user").order_by("created_at", "pk"))


def decision_log(*, school: Organisation, topic: Topic | None = None) -> list[Decision]:
    rows = Decision.objects.filter(school=school).select_related("topic", "decided_by", "group")
    if topic is not None:
        rows = rows.filter(topic=topic)
    return list(rows[:LOG_LIMIT])


def topic_count_open(school_ids: Iterable[int]) -> int:
    return Topic.objects.filter(school_id__in=list(school_ids), status=Topic.Status.OPEN).count()

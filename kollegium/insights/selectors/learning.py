"""The focus chain and equity between classrooms, for the leader's page and the term report.
Aggregates only; below the owner's minimum group size a figure is None."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import get_language

from kollegium.accounts.models import User
from kollegium.core.aggregates import shown
from kollegium.groups.models import Commitment, Conclusion, LearningGroup
from kollegium.insights import figures
from kollegium.insights.periods import Period
from kollegium.insights.selectors.ledger import People, PersonTime, bounds, counted_people
from kollegium.library.models import Item
from kollegium.organisations.models import DevelopmentFocus, Organisation
from kollegium.organisations.selectors import min_group_size

TRIED = (Commitment.Outcome.WORKED, Commitment.Outcome.PARTLY, Commitment.Outcome.DID_NOT_WORK)


# --- the focus chain -------------------------------------------------------------------------


@dataclass
class FocusRow:
    focus: DevelopmentFocus
    groups: list[LearningGroup]
    people: int  # people behind the commitments
    commitments: int | None
    outcomes: dict[str, int] | None
    conclusions: int
    published: list[Conclusion]
    library_items: int


def focus_chain(school: Organisation, period: Period) -> list[FocusRow]:
    """For each active development focus: its groups → commitments and their outcomes →
    proven-practice conclusions → library items. Five queries."""
    minimum = min_group_size(school)
    start, end = bounds(period)
    focus_qs = DevelopmentFocus.objects.filter(school=school, is_active=True)
    focuses = list(focus_qs)
    groups: dict[int, list[LearningGroup]] = defaultdict(list)
    for group in LearningGroup.objects.filter(focus__in=focus_qs).order_by("name", "pk"):
        assert group.focus_id is not None
        groups[group.focus_id].append(group)
    commitments = {
        row["group__focus_id"]: row
        for row in Commitment.objects.filter(
            group__focus__in=focus_qs, created_at__gte=start, created_at__lt=end
        )
        .order_by()
        .values("group__focus_id")
        .annotate(
            total=Count("pk"),
            people=Count("user_id", distinct=True),
            worked=Count("pk", filter=Q(outcome=Commitment.Outcome.WORKED)),
            partly=Count("pk", filter=Q(outcome=Commitment.Outcome.PARTLY)),
            did_not_work=Count("pk", filter=Q(outcome=Commitment.Outcome.DID_NOT_WORK)),
            not_tried=Count("pk", filter=Q(outcome=Commitment.Outcome.NOT_TRIED)),
            open=Count("pk", filter=Q(reflected_at__isnull=True)),
        )
    }
    conclusions: dict[int, list[Conclusion]] = defaultdict(list)
    for conclusion in Conclusion.objects.filter(
        group__focus__in=focus_qs, created_at__gte=start, created_at__lt=end
    ).select_related("group"):
        assert conclusion.group.focus_id is not None
        conclusions[conclusion.group.focus_id].append(conclusion)
    items = dict(
        Item.objects.filter(group__focus__in=focus_qs, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("group__focus_id")
        .annotate(n=Count("pk"))
        .values_list("group__focus_id", "n")
    )
    rows = []
    for focus in focuses:
        c = commitments.get(focus.pk, {})
        people = c.get("people", 0)
        visible = shown(people, minimum)
        rows.append(
            FocusRow(
                focus=focus,
                groups=groups.get(focus.pk, []),
                people=people,
                commitments=c.get("total", 0) if visible else None,
                outcomes=(
                    {
                        k: c.get(k, 0)
                        for k in ("worked", "partly", "did_not_work", "not_tried", "open")
                    }
                    if visible
                    else None
                ),
                conclusions=len(conclusions.get(focus.pk, [])),
                published=[x for x in conclusions.get(focus.pk, []) if x.published_at],
                library_items=items.get(focus.pk, 0),
            )
        )
    return rows


# --- equity between classrooms ---------------------------------------------------------------


@dataclass
class EquityRow:
    label: str
    people: int
    took_part: figures.Share | None
    tried: figures.Share | None
    observed: figures.Share | None


@dataclass
class EquityTable:
    title_key: str  # team, subject, stage
    rows: list[EquityRow]
    spread_took_part: int | None
    spread_tried: int | None
    spread_observed: int | None


def equity(
    school: Organisation, people: People, held: dict[int, PersonTime], period: Period
) -> list[EquityTable]:
    """Per team, subject and stage: the share who took part, tried a practice from a
    development focus, and were observed; and the spread between the highest and lowest.
    Three queries."""
    minimum = min_group_size(school)
    start, end = bounds(period)
    took_part = {u for u, t in held.items() if t.total > 0}
    observed = {u for u, t in held.items() if t.observed > 0}
    tried = set(
        Commitment.objects.filter(
            user_id__in=counted_people(school),
            group__focus__isnull=False,
            outcome__in=TRIED,
            reflected_at__gte=start,
            reflected_at__lt=end,
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    language = get_language() or "sv"
    by_subject: dict[str, set[int]] = defaultdict(set)
    for user_id, name_sv, name_en in User.subjects.through.objects.filter(
        user_id__in=counted_people(school)
    ).values_list("user_id", "subject__name_sv", "subject__name_en"):
        by_subject[name_en if language.startswith("en") else name_sv].add(user_id)
    by_stage: dict[str, set[int]] = defaultdict(set)
    for user_id, name_sv, name_en in User.stages.through.objects.filter(
        user_id__in=counted_people(school)
    ).values_list("user_id", "stage__name_sv", "stage__name_en"):
        by_stage[name_en if language.startswith("en") else name_sv].add(user_id)
    by_team = {team.name: people.team_members.get(team.pk, set()) for team in people.teams}

    def table(key: str, groups: dict[str, set[int]]) -> EquityTable:
        rows = []
        for label in sorted(groups):
            members = groups[label]
            n = len(members)
            rows.append(
                EquityRow(
                    label=label,
                    people=n,
                    took_part=figures.share(n, len(members & took_part), minimum),
                    tried=figures.share(n, len(members & tried), minimum),
                    observed=figures.share(n, len(members & observed), minimum),
                )
            )
        return EquityTable(
            title_key=key,
            rows=rows,
            spread_took_part=figures.spread(r.took_part for r in rows),
            spread_tried=figures.spread(r.tried for r in rows),
            spread_observed=figures.spread(r.observed for r in rows),
        )

    return [table("team", by_team), table("subject", by_subject), table("stage", by_stage)]

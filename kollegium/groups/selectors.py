"""Reads about learning groups, always scoped to the acting person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from kollegium.core.aggregates import shown as figure_shown
from kollegium.groups import guides as guide_core
from kollegium.groups.evidence import ItemResult, VersionResults
from kollegium.groups.models import (
    Attendance,
    Commitment,
    Conclusion,
    GroupMembership,
    LearningGroup,
    LessonVersion,
    Material,
    Meeting,
    MethodGuide,
    MinutesRevision,
    MinutesSharing,
    Talk,
    TalkDraw,
    TestItemResult,
)
from kollegium.organisations.actor import Actor
from kollegium.organisations.models import Membership
from kollegium.organisations.selectors import min_group_size

if TYPE_CHECKING:
    from kollegium.core.textsearch import TextMatcher


def group_ids_for_user(user: Actor) -> QuerySet:
    """Ids of the learning groups the person is a member of, as a subquery-able queryset.

    Use as ``Model.objects.filter(group_id__in=group_ids_for_user(user))``. Anonymous
    visitors get an empty queryset.
    """
    if not user.is_authenticated:
        return GroupMembership.objects.none().values_list("group_id", flat=True)
    return GroupMembership.objects.filter(user_id=user.pk).values_list("group_id", flat=True)


def groups_for_member(user: Actor) -> QuerySet[LearningGroup]:
    now = timezone.now()
    return (
        LearningGroup.objects.filter(pk__in=group_ids_for_user(user))
        .select_related("guide", "school", "focus")
        .annotate(
            member_count=Count("memberships", distinct=True),
            next_meeting_at=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gt=now, meetings__status=Meeting.Status.PLANNED),
            ),
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class OverviewRow:
    """A group in the leaders' overview. For a group with fewer members than the owner's
    minimum group size, the counts are None and ``shown`` False (core/aggregates.py)."""

    group: LearningGroup
    member_count: int | None
    held_count: int | None
    last_held: datetime | None
    next_meeting: datetime | None
    days_between: float | None
    shown: bool = True


def leader_overview(*, school_ids: set[int], since_days: int = 180) -> list[OverviewRow]:
    """Which groups meet, with which method and how regularly. No minutes, no commitments.

    Groups belong to a school as their home school or through members who work there.
    """
    now = timezone.now()
    since = now - timedelta(days=since_days)
    held = Q(meetings__status=Meeting.Status.HELD) | Q(
        meetings__status=Meeting.Status.PLANNED, meetings__starts_at__lte=now
    )
    ids = list(school_ids)
    through_members = GroupMembership.objects.filter(
        group__network__isnull=False, user__memberships__school_id__in=ids
    ).values("group_id")
    members = (
        GroupMembership.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group_id")
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    groups = (
        LearningGroup.objects.filter(Q(school_id__in=ids) | Q(pk__in=through_members))
        .select_related("guide", "school__parent", "focus")
        .annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
            held_count=Count(
                "meetings", filter=held & Q(meetings__starts_at__gte=since), distinct=True
            ),
            first_held=Min("meetings__starts_at", filter=held & Q(meetings__starts_at__gte=since)),
            last_held=Max("meetings__starts_at", filter=held),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gt=now, meetings__status=Meeting.Status.PLANNED),
            ),
        )
        .order_by("school__name", "name")
    )
    rows = []
    for group in groups:
        days = None
        if group.held_count and group.held_count > 1 and group.first_held and group.last_held:
            days = (group.last_held - group.first_held).days / (group.held_count - 1)
        visible = figure_shown(group.member_count, min_group_size(group.school))
        rows.append(
            OverviewRow(
                group=group,
                member_count=group.member_count if visible else None,
                held_count=group.held_count if visible else None,
                last_held=group.last_held,
                next_meeting=group.next_meeting,
                days_between=days if visible else None,
                shown=visible,
            )
        )
    return rows


def _count_subquery(queryset: QuerySet) -> Coalesce:
    counted = (
        queryset.order_by()
        .values("meeting_id")
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def group_members(group: LearningGroup, *, with_schools: bool = False) -> list[GroupMembership]:
    """The group's members; `with_schools`: each with `school_names`, the schools they work at
    (read in one query for all, not a prefetch per person: issue 10)."""
    members = list(
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    if with_schools:
        names: dict[int, list[str]] = {}
        for membership in (
            Membership.objects.filter(user_id__in=[m.user_id for m in members])
            .select_related("school")
            .only("user_id", "school__name", "school__name_en", "school__kind")
            .order_by("pk")
        ):
            names.setdefault(membership.user_id, []).append(membership.school.display_name)
        for member in members:
            member.school_names = ", ".join(names.get(member.user_id, []))  # type: ignore[attr-defined]
    return members


def group_page(*, group: LearningGroup, with_minutes: bool) -> dict[str, Any]:
    """Everything the group page shows, in a fixed number of queries.

    ``with_minutes``: the person may see the group's work (``can_view_group_work``): its
    commitments, reflections, materials and proven-practice records. Without it the page
    holds only that the group exists, how it meets and who is in it."""
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(group=group)
        .select_related("discussion_leader", "note_taker", "timekeeper")
        .annotate(
            # Subqueries, not joins: two joined counts would multiply the rows.
            present_count=_count_subquery(
                Attendance.objects.filter(meeting=OuterRef("pk"), present=True)
            ),
            commitment_count=_count_subquery(Commitment.objects.filter(meeting=OuterRef("pk"))),
        )
        .order_by("-starts_at", "-pk")
    )
    guide = group.guide.parsed
    language = get_language() or "sv"
    titles = {phase.key: phase.title.get(language) for phase in guide.phases}
    for meeting in meetings:
        meeting.phase_title = titles.get(meeting.phase_key, meeting.phase_key)  # type: ignore[attr-defined]
    upcoming = [m for m in meetings if m.starts_at > now and m.status == Meeting.Status.PLANNED]
    upcoming.reverse()
    past = [m for m in meetings if m not in upcoming]
    context: dict[str, Any] = {
        "members": group_members(group, with_schools=True),
        "upcoming": upcoming,
        "past": past,
        "materials": [],
        "conclusions": [],
        "guide": guide,
    }
    if with_minutes:
        context["materials"] = list(Material.objects.filter(group=group).select_related("added_by"))
        context["conclusions"] = list(
            Conclusion.objects.filter(group=group).select_related("created_by")
        )
        context["open_commitments"] = list(
            Commitment.objects.filter(group=group, reflected_at__isnull=True)
            .select_related("user", "meeting")
            .order_by("due_on", "pk")
        )
        context["reflections"] = list(
            Commitment.objects.filter(group=group, reflected_at__isnull=False)
            .select_related("user")
            .order_by("-reflected_at", "-pk")[:20]
        )
    return context


def previous_commitments_for(meeting: Meeting) -> list[Commitment]:
    """Commitments to follow up at this meeting: made at earlier meetings and either still
    open or reflected on at this meeting."""
    return list(
        Commitment.objects.filter(
            group_id=meeting.group_id, meeting__starts_at__lt=meeting.starts_at
        )
        .filter(Q(reflected_at__isnull=True) | Q(reflected_meeting=meeting))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


@dataclass(frozen=True)
class TalkSlot:
    """One talk step of a meeting with its talks in running order."""

    key: str
    title: str
    talk_minutes: int
    capacity: int
    talks: list[Talk]

    @property
    def free(self) -> int:
        return max(0, self.capacity - len(self.talks))

    @property
    def is_full(self) -> bool:
        return self.free == 0


def talk_slots(meeting: Meeting, talks: list[Talk], language: str) -> list[TalkSlot]:
    """The meeting's talk steps in agenda order, each with its talks (no queries)."""
    try:
        meeting_type = meeting.group.guide.parsed.meeting_type(meeting.meeting_type_key)
    except KeyError:
        return []
    ordered = sorted(talks, key=lambda talk: (talk.position, talk.pk))
    return [
        TalkSlot(
            key=step.key,
            title=step.title.get(language),
            talk_minutes=step.talk_minutes or 0,
            capacity=step.talk_capacity,
            talks=[talk for talk in ordered if talk.step_key == step.key],
        )
        for step in meeting_type.talk_steps
    ]


def _talks_at(meeting: Meeting) -> list[Talk]:
    return list(
        Talk.objects.filter(meeting=meeting).select_related("speaker").order_by("position", "pk")
    )


def meeting_talks(meeting: Meeting, language: str) -> tuple[list[Talk], list[TalkSlot]]:
    """The meeting's talks (running order) and its talk slots: one query."""
    talks = _talks_at(meeting)
    return talks, talk_slots(meeting, talks, language)


def speaker_list_meeting(meeting: Meeting, meeting_type_key: str) -> Meeting | None:
    """The group's next meeting of a type (a planning meeting's next TeachMeet): the first one
    after ``meeting`` that is not cancelled."""
    return (
        Meeting.objects.filter(
            group_id=meeting.group_id,
            meeting_type_key=meeting_type_key,
            starts_at__gt=meeting.starts_at,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .first()
    )


def _speaker_lists(
    meeting: Meeting, agenda: tuple[guide_core.AgendaStep, ...], language: str
) -> dict[str, dict[str, Any]]:
    """step key -> the next meeting and its talk slots, for steps with ``speaker_list_for``."""
    lists: dict[str, dict[str, Any]] = {}
    for step in agenda:
        if step.speaker_list_for is None:
            continue
        target = speaker_list_meeting(meeting, step.speaker_list_for)
        if target is not None:
            target.group = meeting.group
        lists[step.key] = {
            "meeting": target,
            "slots": talk_slots(target, _talks_at(target), language) if target else [],
        }
    return lists


def meeting_page(*, meeting: Meeting, language: str) -> dict[str, Any]:
    """The meeting run page: agenda with commitments to follow up, attendance, commitments."""
    group = meeting.group
    guide = group.guide.parsed
    follow_up = previous_commitments_for(meeting)
    previous = [
        guide_core.PreviousCommitment(
            commitment_id=c.pk,
            member_id=c.user_id,
            member_name=c.user.full_name or c.user.email,
            text=c.text,
            due=c.due_on,
        )
        for c in follow_up
    ]
    try:
        agenda = guide_core.generate_agenda(
            guide, meeting_type=meeting.meeting_type_key, commitments=previous, language=language
        )
        phase = guide.phase(meeting.phase_key)
    except KeyError:
        agenda, phase = (), None
    by_id = {c.pk: c for c in follow_up}
    steps: list[dict[str, Any]] = [
        {"step": step, "commitments": [by_id[c.commitment_id] for c in step.commitments]}
        for step in agenda
    ]
    made_here = list(
        Commitment.objects.filter(meeting=meeting).select_related("user").order_by("pk")
    )
    attendance = {a.user_id: a.present for a in Attendance.objects.filter(meeting=meeting)}
    talks = _talks_at(meeting)
    slots = talk_slots(meeting, talks, language)
    slots_by_key = {slot.key: slot for slot in slots}
    speaker_lists = _speaker_lists(meeting, agenda, language)
    for item in steps:
        item["slot"] = slots_by_key.get(item["step"].key)
        item["speaker_list"] = speaker_lists.get(item["step"].key)
    return {
        "guide": guide,
        "phase": phase,
        "phase_title": phase.title.get(language) if phase is not None else "",
        "steps": steps,
        "total_minutes": sum(step.minutes for step in agenda),
        "made_here": made_here,
        "attendance": attendance,
        "members": group_members(group),
        "talks": talks,
        "talk_slots": slots,
    }


def minutes_revisions(*, meeting: Meeting) -> list[MinutesRevision]:
    """Every saved version of a meeting's minutes, newest first, with who wrote it.

    The caller has checked that the person may read the minutes (``can_view_minutes``).
    """
    return list(
        MinutesRevision.objects.filter(meeting=meeting).select_related("author").order_by("-number")
    )


def guides_for_school(school_id: int | None) -> list[MethodGuide]:
    """A school's adapted guides, newest version first per slug."""
    if school_id is None:
        return []
    return list(
        MethodGuide.objects.filter(school_id=school_id)
        .select_related("based_on", "created_by")
        .order_by("slug", "-version")
    )


def evidence_for(group: LearningGroup) -> tuple[list[LessonVersion], list[VersionResults]]:
    lessons = list(
        LessonVersion.objects.filter(group=group).prefetch_related(
            Prefetch("results", queryset=TestItemResult.objects.order_by("item", "pk"))
        )
    )
    versions = [
        VersionResults(
            label=lesson.label,
            items=tuple(
                ItemResult(
                    item=r.item,
                    pre_share=r.pre_percent / 100,
                    pre_pupils=r.pre_pupils,
                    post_share=r.post_percent / 100,
                    post_pupils=r.post_pupils,
                )
                for r in lesson.results.all()
            ),
        )
        for lesson in lessons
    ]
    return lessons, versions


def export_data(*, group: LearningGroup) -> dict[str, Any]:
    """The whole documentation of a group: meetings with minutes, commitments, conclusions."""
    meetings = list(
        Meeting.objects.filter(group=group)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("discussion_leader", "note_taker", "timekeeper")
        .prefetch_related(
            Prefetch(
                "commitments_made",
                queryset=Commitment.objects.select_related("user").order_by(
                    "user__full_name", "pk"
                ),
            ),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(present=True).select_related("user"),
                to_attr="present_rows",
            ),
            Prefetch("talks", queryset=Talk.objects.select_related("speaker")),
        )
        .order_by("starts_at", "pk")
    )
    language = get_language() or "sv"
    for meeting in meetings:
        meeting.group = group
        meeting.talk_sections = [  # type: ignore[attr-defined]
            slot for slot in talk_slots(meeting, list(meeting.talks.all()), language) if slot.talks
        ]
    lessons, versions = evidence_for(group)
    return {
        "meetings": meetings,
        "members": group_members(group),
        "materials": list(Material.objects.filter(group=group)),
        "conclusions": list(Conclusion.objects.filter(group=group)),
        "lessons": lessons,
        "versions": versions,
    }


#: How long a meeting stays under "my next meetings" after it has started.
HOME_MEETING_GRACE = timedelta(hours=2)


def home_panel_data(user: Actor, *, meetings: int = 5, commitments: int = 5) -> dict[str, Any]:
    """My next meetings and my open commitments: two queries whatever the data size."""
    now = timezone.now()
    next_meetings = list(
        Meeting.objects.filter(
            group_id__in=group_ids_for_user(user),
            starts_at__gt=now - HOME_MEETING_GRACE,
            status=Meeting.Status.PLANNED,
        )
        .order_by("starts_at", "pk")
        .values("pk", "starts_at", "place", "video_url", "group_id", "group__name")[:meetings]
    )
    open_commitments = list(
        Commitment.objects.filter(user_id=user.pk, reflected_at__isnull=True)
        .order_by("due_on", "pk")
        .values("pk", "text", "due_on", "group_id", "group__name")[:commitments]
    )
    return {
        "next_meetings": next_meetings,
        "open_commitments": open_commitments,
        "today": timezone.localdate(),
    }


def meetings_for_calendar(user: Actor, start: datetime, end: datetime) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            group_id__in=group_ids_for_user(user), starts_at__lt=end, ends_at__gt=start
        )
        .select_related("group", "group__guide")
        .order_by("starts_at", "pk")
    )


LEADER_PULSE_DAYS = 30


def leader_home_pulse(user: Actor, *, school_id: int) -> dict[str, Any] | None:
    """The school's learning groups for its leader's home page, in one query: how many met in
    the last 30 days, and which have stopped meeting (nothing planned, and nothing held in
    twice their rhythm), for the leader to decide on time or an end. None for anyone who does
    not lead the school."""
    if school_id not in user.managed_school_ids:
        return None
    now = timezone.now()
    since = now - timedelta(days=LEADER_PULSE_DAYS)
    held = Q(meetings__status=Meeting.Status.HELD) | Q(
        meetings__status=Meeting.Status.PLANNED, meetings__starts_at__lte=now
    )
    groups = list(
        LearningGroup.objects.filter(school_id=school_id)
        .annotate(
            held_recently=Count("meetings", filter=held & Q(meetings__starts_at__gte=since)),
            last_held=Max("meetings__starts_at", filter=held),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gt=now, meetings__status=Meeting.Status.PLANNED),
            ),
        )
        .order_by("name", "pk")
        .values(
            "pk",
            "name",
            "interval_days",
            "created_at",
            "held_recently",
            "last_held",
            "next_meeting",
        )
    )
    stalled = [
        g
        for g in groups
        if g["next_meeting"] is None
        and (g["last_held"] or g["created_at"])
        < now - timedelta(days=2 * (g["interval_days"] or 30))
    ]
    return {
        "school_id": school_id,
        "groups": len(groups),
        "met_recently": sum(1 for g in groups if g["held_recently"]),
        "meetings_recently": sum(g["held_recently"] for g in groups),
        "stalled": stalled[:5],
        "stalled_count": len(stalled),
        "days": LEADER_PULSE_DAYS,
    }


# --- the one search box (kinds registered in hooks.py) ------------------------------------

#: At most this many narrowed groups are read to answer the search box (newest first).
SEARCH_CANDIDATES = 300


def _best_first(found: list[tuple[int, int, Any]], limit: int) -> tuple[list[Any], int]:
    found.sort(key=lambda f: (f[0], f[1]))
    return [row for _level, _i, row in found[:limit]], len(found)


def guides_matching(
    *, user: Actor, matcher: TextMatcher, limit: int
) -> tuple[list[tuple[str, str, str, str]], int]:
    """Method guides matching what was typed: the shipped ones and the adapted ones of the
    person's schools (one query), best first; (title, summary as marked HTML, url, method)."""
    from django.urls import reverse

    from kollegium.groups.services import shipped_guide_files

    if not user.is_authenticated or matcher.is_empty:
        return [], 0
    language = get_language() or "sv"
    guides: list[tuple[guide_core.Guide, str]] = [
        (guide, reverse("groups:guide", args=[slug]))
        for slug, (guide, _text) in shipped_guide_files().items()
    ]
    seen: set[tuple[int | None, str]] = set()
    for row in MethodGuide.objects.filter(school_id__in=user.school_ids).order_by(
        "school_id", "slug", "-version"
    ):
        if (row.school_id, row.slug) not in seen:
            seen.add((row.school_id, row.slug))
            guides.append((row.parsed, reverse("groups:guide_adapted", args=[row.pk])))
    found: list[tuple[int, int, Any]] = []
    for i, (guide, url) in enumerate(guides):
        levels = [
            matcher.rank(guide.title.get(lang), guide.summary.get(lang), lang)
            for lang in guide_core.LANGUAGES
        ]
        level = min((lv for lv in levels if lv is not None), default=None)
        if level is not None:
            summary = matcher.highlight(guide.summary.get(language), language)
            found.append((level, i, (guide.title.get(language), summary, url, guide.method)))
    return _best_first(found, limit)


def open_groups_matching(
    *, user: Actor, matcher: TextMatcher, limit: int
) -> tuple[list[tuple[LearningGroup, str]], int]:
    """Running groups open to everyone at their schools that the person may see and is not
    in yet, matching what was typed by name or purpose, best first (one query); members-only
    groups are never listed. (group, purpose as marked HTML)."""
    from kollegium.core.textsearch import narrowed

    if not user.is_authenticated or matcher.is_empty:
        return [], 0
    schools = user.school_ids
    members_here = GroupMembership.objects.filter(user__memberships__school_id__in=schools)
    network_group = Q(network__isnull=False, pk__in=members_here.values("group_id"))
    candidates = (
        LearningGroup.objects.filter(
            Q(school_id__in=schools) | network_group,
            minutes_sharing=MinutesSharing.SCHOOL,
            ends_on__gte=timezone.localdate(),
        )
        .exclude(pk__in=group_ids_for_user(user))
        .select_related("school", "guide")
        .only("id", "name", "purpose", "school__name", "guide__title_sv", "guide__title_en")
        .order_by("-created_at", "-id")
    )
    rows = list(narrowed(candidates, matcher, ("name", "purpose"))[:SEARCH_CANDIDATES])
    found: list[tuple[int, int, Any]] = []
    for i, group in enumerate(rows):
        level = matcher.rank(group.name, group.purpose)
        if level is not None:
            found.append((level, i, (group, matcher.highlight(group.purpose))))
    return _best_first(found, limit)


def meeting_timer_state(*, meeting: Meeting) -> dict[str, Any]:
    """The shared timer of a meeting the viewer may see (one query): the current step, the
    seconds run in it, whether it runs. No timer yet: the first step, not started."""
    from kollegium.groups.models import MeetingTimer

    timer = MeetingTimer.objects.filter(meeting_id=meeting.pk).first()
    if timer is None:
        return {"step": 0, "elapsed": 0, "running": False, "finished": False, "version": 0}
    return {
        "step": timer.step,
        "elapsed": timer.elapsed_at(timezone.now()),
        "running": timer.running_since is not None,
        "finished": timer.finished,
        "version": timer.version,
    }


@dataclass(frozen=True)
class DrawShown:
    draw: TalkDraw
    repeats: bool  # the seed gives the stored order again
    current: bool  # the running order is still the drawn one (not changed by hand since)

    @property
    def rows(self) -> list[tuple[str, list[int], list[int]]]:
        """Each slot's key, its talks in sign-up order and the drawn order."""
        return [(slot, sorted(ids), list(ids)) for slot, ids in self.draw.order.items()]


def latest_talk_draw(meeting: Meeting, talks: list[Talk]) -> DrawShown | None:
    """The meeting's latest draw of the speaking order, whether its seed gives the same order
    again (anyone can repeat it: kollegium/groups/draw.py) and whether the running order is
    still the drawn one. One query; ``talks`` are the meeting's talks, already read."""
    from kollegium.groups import draw as draw_core

    draw = TalkDraw.objects.filter(meeting=meeting).select_related("drawn_by").first()
    if draw is None:
        return None
    order = {slot: [int(i) for i in ids] for slot, ids in draw.order.items()}
    now = {
        slot: [t.pk for t in sorted(talks, key=lambda t: (t.position, t.pk)) if t.step_key == slot]
        for slot in order
    }
    return DrawShown(
        draw=draw, repeats=draw_core.draw_order(draw.seed, order) == order, current=now == order
    )

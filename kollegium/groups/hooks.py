"""Navigation, the home-page panel and the calendar feed for learning groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.core.acting import ActingPerson
from kollegium.core.homepage import watch
from kollegium.core.registry import (
    CalendarEvent,
    HomePanel,
    NavItem,
    SearchKind,
    SearchResult,
    register_calendar_source,
    register_home_panel,
    register_nav_item,
    register_search_kind,
)
from kollegium.core.textsearch import text_matcher
from kollegium.groups.free_time import GroupMeetingPlanner
from kollegium.groups.models import Commitment, GroupMembership, LearningGroup, Meeting, Talk
from kollegium.organisations.actor import actor_of, as_actor
from kollegium.organisations.models import Membership, Role
from kollegium.scheduling.meetings import register_meeting_planner

register_nav_item(NavItem("groups:list", gettext_lazy("Groups"), order=30, match_prefix="/groups/"))


def home_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    from kollegium.groups.selectors import home_panel_data

    if not request.user.is_authenticated:
        return None
    actor = actor_of(request)
    data = home_panel_data(actor)
    if actor.staff_owners and not actor.memberships and not data["next_meetings"]:
        return None  # a school owner's development staff outside any group (issue 16)
    return data


def home_panel_fresh_until(context: dict[str, Any]) -> datetime | None:
    """A meeting leaves "my next meetings" two hours after it starts."""
    from kollegium.groups.selectors import HOME_MEETING_GRACE

    meetings = context["next_meetings"]
    return meetings[0]["starts_at"] + HOME_MEETING_GRACE if meetings else None


register_home_panel(
    HomePanel(
        "groups/_home_panel.html",
        home_panel_context,
        order=20,
        fresh_until=home_panel_fresh_until,
    )
)


def leader_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    from kollegium.groups.selectors import leader_home_pulse
    from kollegium.organisations.current import current_membership

    membership = current_membership(request)
    if membership is None or not membership.manages_school:
        return None
    return leader_home_pulse(actor_of(request), school_id=membership.school_id)


register_home_panel(
    HomePanel("groups/_leader_panel.html", leader_panel_context, order=20, section="leader")
)


def _leaders_of(group_id: int) -> Any:
    # The school's leaders see its groups' pulse on their home page.
    return Membership.objects.filter(
        school_id__in=LearningGroup.objects.filter(pk=group_id).values("school_id"),
        role__in=(Role.LEADER, Role.ADMINISTRATOR),
    ).values("user_id")


def _members_and_leaders_of(group_id: int) -> Any:
    return User.objects.filter(
        Q(pk__in=_members_of(group_id)) | Q(pk__in=_leaders_of(group_id))
    ).values("pk")


def _members_of(group_id: int) -> Any:
    return GroupMembership.objects.filter(group_id=group_id).values("user_id")


# Whose home page changes: a meeting's or group's members, a commitment's author.
watch(Meeting, users=lambda meeting: _members_and_leaders_of(meeting.group_id))
watch(LearningGroup, users=lambda group: _members_and_leaders_of(group.pk))
watch(GroupMembership, users=lambda membership: [membership.user_id])
watch(Commitment, users=lambda commitment: [commitment.user_id])


def meeting_events(
    user: AbstractBaseUser, start: datetime, end: datetime
) -> Iterable[CalendarEvent]:
    """The person's group meetings for their calendar feed."""
    from kollegium.groups.selectors import meetings_for_calendar

    meetings = meetings_for_calendar(as_actor(user), start, end)
    talks = _talks_of(meetings)
    for meeting in meetings:
        yield _meeting_event(meeting, talks.get(meeting.pk, ()))
        for talk in talks.get(meeting.pk, ()):
            if talk.speaker_id == user.pk:
                event = _talk_event(meeting, talk)
                if event is not None:
                    yield event


def _talks_of(meetings: Sequence[Meeting]) -> dict[int, list[Talk]]:
    """The meetings' talks in running order, by meeting: one query (none without meetings)."""
    by_meeting: dict[int, list[Talk]] = defaultdict(list)
    if not meetings:
        return by_meeting
    for talk in (
        Talk.objects.filter(meeting_id__in=[m.pk for m in meetings])
        .select_related("speaker")
        .order_by("step_key", "position", "pk")
    ):
        by_meeting[talk.meeting_id].append(talk)
    return by_meeting


def _talk_start(meeting: Meeting, talk: Talk) -> tuple[datetime, int] | None:
    """When a talk is expected to start (the agenda's minutes before its step, and the talks
    before it in the running order), and its length; None if the guide no longer says."""
    try:
        steps = meeting.group.guide.parsed.meeting_type(meeting.meeting_type_key).steps
    except KeyError:
        return None
    offset = 0
    for step in steps:
        if step.key == talk.step_key and step.talk_minutes:
            minutes = offset + (talk.position - 1) * step.talk_minutes
            return meeting.starts_at + timedelta(minutes=minutes), step.talk_minutes
        offset += step.minutes
    return None


def _talk_event(meeting: Meeting, talk: Talk) -> CalendarEvent | None:
    """The speaker's own talk, at about the time it comes in the running order."""
    when = _talk_start(meeting, talk)
    if when is None:
        return None
    starts, minutes = when
    return CalendarEvent(
        uid=f"group-talk-{talk.pk}@kollegium",
        title=_("My talk: %(title)s (%(group)s)")
        % {"title": talk.title, "group": meeting.group.name},
        start=starts,
        end=starts + timedelta(minutes=minutes),
        location=_meeting_location(meeting),
        description=talk.description,
        url=reverse("groups:meeting", args=[meeting.pk]),
        sequence=meeting.sequence,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        last_modified=talk.updated_at,
        categories=("kollegium-talk",),
    )


def _meeting_location(meeting: Meeting) -> str:
    location = meeting.place
    if meeting.video_url:
        location = f"{location} · {meeting.video_url}" if location else meeting.video_url
    return location


def meeting_events_for_many(
    users: Sequence[AbstractBaseUser], start: datetime, end: datetime
) -> dict[int, list[CalendarEvent]]:
    """Meetings of many people at once (free-time finder, observation rounds): two queries."""
    from kollegium.groups.models import GroupMembership

    members_by_group: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in GroupMembership.objects.filter(
        user_id__in=[u.pk for u in users]
    ).values_list("group_id", "user_id"):
        members_by_group[group_id].append(user_id)
    events: dict[int, list[CalendarEvent]] = defaultdict(list)
    meetings = Meeting.objects.filter(
        group_id__in=list(members_by_group), starts_at__lt=end, ends_at__gt=start
    ).select_related("group")
    for meeting in meetings:
        event = _meeting_event(meeting)
        for user_id in members_by_group[meeting.group_id]:
            events[user_id].append(event)
    return events


def _meeting_event(meeting: Meeting, talks: Sequence[Talk] = ()) -> CalendarEvent:
    """The meeting, with its remote-participation link and its talks' running order."""
    location = _meeting_location(meeting)
    lines = [meeting.video_url] if meeting.video_url else []
    if talks:
        lines.append(str(_("Talks:")))
        lines += [f"{n}. {t.title} ({t.speaker})" for n, t in enumerate(talks, start=1)]
    return CalendarEvent(
        uid=f"group-meeting-{meeting.pk}@kollegium",
        title=_("%(group)s (learning group)") % {"group": meeting.group.name},
        start=meeting.starts_at,
        end=meeting.ends_at,
        location=location,
        description="\n".join(lines),
        url=reverse("groups:meeting", args=[meeting.pk]),
        sequence=meeting.sequence,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        last_modified=meeting.updated_at,
        categories=("kollegium-group",),
    )


register_calendar_source(meeting_events, batch=meeting_events_for_many)


# Free time -> the group's next meeting (the scheduling app's free-time page).
register_meeting_planner(GroupMeetingPlanner())


# The one search box (/search/): method guides and groups open to join, each through this
# app's selectors, scoped to the person; what was typed is matched as the library does.
def _search_guides(person: ActingPerson, raw: str, limit: int) -> tuple[list[SearchResult], int]:
    from kollegium.groups.selectors import guides_matching

    found, total = guides_matching(user=as_actor(person), matcher=text_matcher(raw), limit=limit)
    return [SearchResult(title, url, summary) for title, summary, url, _m in found], total


def _search_open_groups(
    person: ActingPerson, raw: str, limit: int
) -> tuple[list[SearchResult], int]:
    from kollegium.groups.selectors import open_groups_matching

    found, total = open_groups_matching(
        user=as_actor(person), matcher=text_matcher(raw), limit=limit
    )
    results = [
        SearchResult(
            group.name, reverse("groups:detail", args=[group.pk]), purpose,
            f"{group.school.name} · {group.guide.title}",
        )
        for group, purpose in found
    ]  # fmt: skip
    return results, total


register_search_kind(SearchKind("guides", gettext_lazy("Method guides"), _search_guides, order=50))
register_search_kind(
    SearchKind("open_groups", gettext_lazy("Groups open to join"), _search_open_groups, order=55)
)

"""Who may see and do what with learning groups. Pure predicates plus 404 helpers.

- Members see everything of their group, including the minutes.
- Leaders (rektor, administrators) of a school the group belongs to see that the group
  exists, its method and how regularly it meets, but not the minutes unless the group
  shares them with leaders (or with the whole school).
- Colleagues at the group's schools see the group and its minutes only when it shares
  them with the school.
- An external guest (issue 15: a researcher, a subject expert) invited by the group's
  facilitator sees the group's pages, or only one meeting's, until their access ends
  (``kollegium.core.guests``); they are never a member and write nothing.
- Everyone else, including other schools, sees nothing (404, not 403).

A group "belongs to" its home school and, for a cross-school group, to the schools of
its members.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kollegium.core.audience import Audience, Part
from kollegium.core.guests import guest_grants
from kollegium.groups.models import GroupMembership, LearningGroup, Meeting, MinutesSharing, Talk
from kollegium.organisations.actor import Actor, as_actor, on_forget
from kollegium.organisations.models import Membership, Organisation
from kollegium.organisations.permissions import is_installation_admin
from kollegium.organisations.selectors import (
    managed_school_ids_for_user,
    memberships_for_user,
    school_ids_for_user,
)

_group_roles: WeakKeyDictionary[Actor, dict[int, str]] = WeakKeyDictionary()


def group_roles_for_user(user: Actor) -> dict[int, str]:
    """group id -> the person's role in it, read once per Actor (one query)."""
    actor = as_actor(user)
    if not actor.is_authenticated:
        return {}
    roles = _group_roles.get(actor)
    if roles is None:
        roles = dict(
            GroupMembership.objects.filter(user_id=actor.pk).values_list("group_id", "role")
        )
        _group_roles[actor] = roles
    return roles


def _forget(actor: Actor) -> None:
    _group_roles.pop(actor, None)


on_forget(_forget)


def forget_group_roles(user: Actor) -> None:
    """Read the person's group roles (and what other apps keep per Actor, such as the
    library's group ids) again on next use, after a service changed them."""
    if isinstance(user, Actor):
        user.forget()


def group_school_ids(group: LearningGroup) -> set[int]:
    """The group's home school plus, for a network group, its members' schools."""
    cached = getattr(group, "_kollegium_school_ids", None)
    if cached is None:
        cached = {group.school_id}
        if group.network_id:
            cached |= set(
                Membership.objects.filter(user__group_memberships__group=group).values_list(
                    "school_id", flat=True
                )
            )
        group._kollegium_school_ids = cached  # type: ignore[attr-defined]
    return cached


def is_member(user: Actor, group: LearningGroup) -> bool:
    return group.pk in group_roles_for_user(user)


def is_group_facilitator(user: Actor, group: LearningGroup) -> bool:
    return group_roles_for_user(user).get(group.pk) == GroupMembership.Role.FACILITATOR


def is_leader_of_group(user: Actor, group: LearningGroup) -> bool:
    if is_installation_admin(user):
        return True
    managed = managed_school_ids_for_user(user)
    return bool(managed) and bool(managed & group_school_ids(group))


def can_view_group(user: Actor, group: LearningGroup) -> bool:
    if not user.is_authenticated:
        return False
    if is_member(user, group) or is_leader_of_group(user, group):
        return True
    if group.minutes_sharing == MinutesSharing.SCHOOL and (
        school_ids_for_user(user) & group_school_ids(group)
    ):
        return True
    return is_group_guest(user, group)


def is_group_guest(user: Actor, group: LearningGroup) -> bool:
    """An external guest of the whole group (not of one meeting only), while access lasts."""
    return group.pk in guest_grants(user).group_ids


def is_meeting_guest(user: Actor, meeting: Meeting) -> bool:
    """An external guest of this meeting, or of its whole group."""
    grants = guest_grants(user)
    return meeting.pk in grants.meeting_ids or meeting.group_id in grants.group_ids


def can_view_group_work(user: Actor, group: LearningGroup) -> bool:
    """What the group wrote, wherever it is shown: minutes, decisions, commitments,
    reflections, materials, proven-practice records, learning-study evidence, and the export
    that holds them all. Members, and whoever the group shares its minutes with. The group
    page and the export both ask this, so neither can show more than the other."""
    if not user.is_authenticated:
        return False
    if is_member(user, group) or is_group_guest(user, group):
        return True
    if group.minutes_sharing == MinutesSharing.LEADERS:
        return is_leader_of_group(user, group)
    if group.minutes_sharing == MinutesSharing.SCHOOL:
        return bool(school_ids_for_user(user) & group_school_ids(group)) or is_leader_of_group(
            user, group
        )
    return False


def group_work_audience(group: LearningGroup) -> Audience:
    """Who can see the group's work (minutes, commitments, reflections...) in words, part by
    part as ``can_view_group_work`` decides it; the tests check they agree for each persona."""
    parts = [
        Part(
            _("the members of the group %(group)s") % {"group": group.name},
            lambda user: is_member(user, group),
        ),
        Part(
            _("the group's external guests, while their access lasts"),
            lambda user: is_group_guest(user, group),
        ),
    ]
    if group.minutes_sharing in (MinutesSharing.LEADERS, MinutesSharing.SCHOOL):
        schools = ", ".join(
            o.display_name
            for o in Organisation.objects.filter(pk__in=group_school_ids(group)).order_by("name")
        )
        if group.minutes_sharing == MinutesSharing.SCHOOL:
            parts.append(
                Part(
                    _("everyone at %(schools)s") % {"schools": schools},
                    lambda user: bool(school_ids_for_user(user) & group_school_ids(group)),
                )
            )
        parts.append(
            Part(
                _("the school leaders at %(schools)s and the installation's administrators")
                % {"schools": schools},
                lambda user: is_leader_of_group(user, group),
            )
        )
    return Audience(tuple(parts))


def can_view_minutes(user: Actor, group: LearningGroup) -> bool:
    """Minutes are part of the group's work: the same rule (``can_view_group_work``)."""
    return can_view_group_work(user, group)


def can_manage_group(user: Actor, group: LearningGroup) -> bool:
    """Change the group, its members and its schedule: the group's facilitators."""
    return is_group_facilitator(user, group) or (
        is_installation_admin(user) and user.is_authenticated
    )


def can_take_part(user: Actor, group: LearningGroup) -> bool:
    """Write minutes, attendance, commitments, reflections, materials: every member."""
    return is_member(user, group)


def can_arrange_talks(user: Actor, group: LearningGroup) -> bool:
    """Change the running order of talks, move or remove them: whoever manages the group."""
    return can_manage_group(user, group)


def is_speaker(user: Actor, talk: Talk) -> bool:
    """The speaker changes or withdraws their own talk (while still a member)."""
    return talk.speaker_id == user.pk and is_member(user, talk.meeting.group)


def can_create_group_at(user: Actor, school_id: int) -> bool:
    if is_installation_admin(user):
        return True
    return any(m.school_id == school_id and m.facilitates for m in memberships_for_user(user))


def can_adapt_guides_at(user: Actor, school_id: int) -> bool:
    return can_create_group_at(user, school_id)


def get_group_for_user_or_404(user: Actor, group_id: int) -> LearningGroup:
    group = get_object_or_404(
        LearningGroup.objects.select_related("school", "guide", "focus", "network"), pk=group_id
    )
    if not can_view_group(user, group):
        raise Http404
    return group


def get_meeting_for_user_or_404(user: Actor, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "group",
            "group__school",
            "group__guide",
            "group__network",
            "discussion_leader",
            "note_taker",
            "timekeeper",
        ),
        pk=meeting_id,
    )
    if not (can_view_group(user, meeting.group) or is_meeting_guest(user, meeting)):
        raise Http404
    return meeting


def get_talk_for_user_or_404(user: Actor, talk_id: int) -> Talk:
    """A talk, for whoever may see its meeting; 404 for everyone else."""
    talk = get_object_or_404(
        Talk.objects.select_related(
            "speaker",
            "meeting",
            "meeting__group",
            "meeting__group__school",
            "meeting__group__guide",
            "meeting__group__network",
        ),
        pk=talk_id,
    )
    if not can_view_group(user, talk.meeting.group):
        raise Http404
    return talk

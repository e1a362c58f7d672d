"""Recognition on other apps' pages, loaded by their templates (no Python import upwards):

- ``{% group_guests group %}``: the group's external guests, listed as guests, and for its
  facilitators the link to invite guests and confirm members (groups' detail and meeting pages);
- ``{% person_recognition person %}``: on a colleague's profile, the thanks they chose to show,
  a way to thank them and, if they share it, what they contributed.
"""

from __future__ import annotations

from typing import Any

from django import template

from kollegium.groups.permissions import can_manage_group
from kollegium.organisations.actor import actor_of
from kollegium.recognition import permissions, selectors

register = template.Library()


@register.inclusion_tag("recognition/_group_guests.html", takes_context=True)
def group_guests(context: dict[str, Any], group: Any, meeting: Any = None) -> dict[str, Any]:
    actor = actor_of(context["request"])
    guests = [
        g
        for g in selectors.active_guests_of_group(group.pk)
        if meeting is None or g.meeting_id in (None, meeting.pk)
    ]
    return {
        "group": group,
        "guests": guests,
        "manages": can_manage_group(actor, group),
        "is_guest": permissions.is_guest(actor),
    }


@register.inclusion_tag("recognition/_person_recognition.html", takes_context=True)
def person_recognition(context: dict[str, Any], person: Any) -> dict[str, Any]:
    actor = actor_of(context["request"])
    own = actor.pk == person.pk
    shared = selectors.is_shared(person)
    return {
        "person": person,
        "own": own,
        "thanks": list(selectors.thanks_on_profile(person)[:10]),
        "can_thank": not own and permissions.can_thank(actor, person),
        "shared": shared and not own,
    }

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ROLE_LABELS = {
    "discussion_leader": _("discussion leader"),
    "note_taker": _("note-taker"),
    "timekeeper": _("timekeeper"),
    "everyone": _("everyone"),
    "case_presenter": _("case presenter"),
    "reflecting_team": _("reflecting team"),
    "teacher": _("teacher of the lesson"),
    "observer": _("observer"),
    "mentor": _("mentor"),
    "mentee": _("mentee"),
    "presenter": _("presenter"),
    "facilitator": _("facilitator"),
}


@register.simple_tag
def localised(text: Any, language: str) -> str:
    """A guide text (sv/en) in the given language."""
    return text.get(language)


@register.simple_tag
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@register.filter
def rhythm(days: Any) -> str:
    """How often a group meets, in everyday words: "every other week", not "every 14 days"."""
    from django.utils.translation import gettext, ngettext

    try:
        days = int(days)
    except (TypeError, ValueError):
        return ""
    named = {
        1: gettext("every day"),
        7: gettext("every week"),
        14: gettext("every other week"),
        21: gettext("every third week"),
    }
    if days in named:
        return named[days]
    if 28 <= days <= 31:
        return gettext("once a month")
    if 56 <= days <= 62:
        return gettext("every other month")
    return ngettext("every %(days)d day", "every %(days)d days", days) % {"days": days}


@register.simple_tag
def meeting_place(meeting: Any) -> str:
    """Where a meeting is, written the same on the home page, the group and the meeting:
    "Aulan, Björkskolan", "Aulan, Björkskolan, and by video", or "by video"."""
    from django.utils.translation import gettext

    get = meeting.get if isinstance(meeting, dict) else lambda name: getattr(meeting, name, "")
    place, video = (get("place") or "").strip(), bool(get("video_url"))
    if place and video:
        return gettext("%(place)s, and by video") % {"place": place}
    if video:
        return gettext("by video")
    return place

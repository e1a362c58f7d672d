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

"""Turns the ranking's structured reasons into one translated line."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kollegium.competence.ranking import Reason, ReasonCode

LEVEL_WORDS = {
    1: lambda: _("curious"),
    2: lambda: _("practising"),
    3: lambda: _("confident"),
    4: lambda: _("can guide others"),
}


def reason_text(reason: Reason) -> str:
    value = reason.value or 0
    if reason.code is ReasonCode.LEVEL:
        return _("level %(level)d (%(word)s)") % {
            "level": value,
            "word": LEVEL_WORDS.get(value, lambda: "")(),
        }
    if reason.code is ReasonCode.WILLING:
        return _("happy to share")
    if reason.code is ReasonCode.ENDORSED:
        return ngettext(
            "endorsed by %(count)d colleague", "endorsed by %(count)d colleagues", value
        ) % {"count": value}
    if reason.code is ReasonCode.SAME_TEAM:
        return _("in your team")
    if reason.code is ReasonCode.SAME_SCHOOL:
        return _("at your school")
    if reason.code is ReasonCode.NETWORK:
        return _("in your network")
    if reason.code is ReasonCode.ACTIVE:
        if value == 0:
            return _("active today")
        return ngettext("active %(days)d day ago", "active %(days)d days ago", value) % {
            "days": value
        }
    if reason.code is ReasonCode.ASK_ME_ABOUT:
        return _("mentions it under “ask me about”")
    return ""


def explain(reasons: Iterable[Reason], *, without_level: bool = False) -> str:
    """One line, e.g. "level 4 (can guide others) · happy to share · in your team".
    `without_level`: leave the level out (the page shows it once, next to the skill)."""
    return " · ".join(
        text
        for text in (
            reason_text(r) for r in reasons if not (without_level and r.code is ReasonCode.LEVEL)
        )
        if text
    )


def level_text(level: int) -> str:
    """ "level 4 (can guide others)" in the active language."""
    return reason_text(Reason(ReasonCode.LEVEL, level))

"""Template helpers of the insights pages: the words for a research finding."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kollegium.insights.figures import Finding

register = template.Library()


def finding_message(finding: Finding) -> str:
    figure = number_format(
        finding.figure, decimal_pos=0 if float(finding.figure).is_integer() else 1
    )
    values = {"figure": figure, "limit": finding.rule.value}
    messages = {
        "too_large": _("%(figure)s members: research suggests at most %(limit)s."),
        "too_small": _("%(figure)s members: research suggests at least %(limit)s."),
        "too_rare": _(
            "Meets every %(figure)s days: research suggests at least monthly "
            "(every %(limit)s days or less)."
        ),
        "meetings_short": _(
            "Meetings of %(figure)s minutes: research suggests at least %(limit)s."
        ),
        "too_few_hours": _(
            "About %(figure)s hours a year: below the about %(limit)s hours where effects begin."
        ),
        "below_good": _(
            "About %(figure)s hours a year: research sees clear effects at about %(limit)s."
        ),
        "too_short": _(
            "Runs for %(figure)s days: research suggests at least two terms (%(limit)s days)."
        ),
    }
    return messages.get(finding.code, finding.code) % values


@register.simple_tag
def finding_text(finding: Finding) -> str:
    return finding_message(finding)


@register.simple_tag
def finding_reason(finding: Finding) -> str:
    return finding.rule.reason(get_language() or "sv")


@register.filter
def hours(minutes: int | float | None) -> str:
    """Minutes as hours with one decimal (in the person's language)."""
    if minutes is None:
        return ""
    return number_format(round(minutes / 60, 1), decimal_pos=1)

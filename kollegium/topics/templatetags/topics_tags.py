from __future__ import annotations

from django import template
from django.utils.translation import get_language

from kollegium.topics.selectors import default_weights

register = template.Library()


def _criterion(key: str) -> dict[str, str]:
    language = (get_language() or "sv")[:2]
    for criterion in default_weights().criteria:
        if criterion.key == key:
            return {
                "title": criterion.title.get(language, criterion.title["sv"]),
                "explanation": criterion.explanation.get(language, criterion.explanation["sv"]),
            }
    return {"title": key, "explanation": ""}


@register.filter
def criterion_title(key: str) -> str:
    return _criterion(key)["title"]


@register.filter
def criterion_explanation(key: str) -> str:
    return _criterion(key)["explanation"]


@register.filter
def percent(value: float) -> str:
    return str(round(value * 100))

"""Template helpers for the observations app."""

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(text: Any) -> str:
    """A bilingual text from the guide data file, in the current language."""
    if text is None:
        return ""
    return str(text.get(get_language()))


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` in a template, or "" when missing."""
    if not hasattr(mapping, "get"):
        return ""
    return mapping.get(key, "")

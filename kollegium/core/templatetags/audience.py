"""``{% who_can_see thing %}``: the plain sentence of who may see it (core/audience.py)."""

from typing import Any

from django import template

from kollegium.core.audience import audience_of

register = template.Library()


@register.inclusion_tag("core/_audience.html")
def who_can_see(thing: Any, aspect: str = "") -> dict[str, Any]:
    return {"audience": audience_of(thing, aspect)}

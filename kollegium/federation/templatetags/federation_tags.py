"""`{% skolfederation_sign_in %}`: the sign-in page's entry to school sign-in, shown when an
identity provider is allowed and our key is set."""

from __future__ import annotations

from typing import Any

from django import template

from kollegium.core.params import is_safe_next
from kollegium.federation import config, selectors

register = template.Library()


@register.inclusion_tag("federation/_sign_in_entry.html", takes_context=True)
def skolfederation_sign_in(context: Any) -> dict[str, Any]:
    request = context.get("request")
    shown = config.sp_configured() and selectors.sign_in_available()
    nxt = request.GET.get("next", "") if request is not None else ""
    return {
        "shown": shown,
        "next": nxt if request is not None and is_safe_next(request, nxt) else "",
    }

"""`{% frame "header" %}` / `{% frame "footer" %}`: the frame every page shares, kept rendered
per person (kollegium/core/frame.py)."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from kollegium.core import frame as kept

register = template.Library()


@register.simple_tag(takes_context=True)
def frame(context: Context, part: str) -> SafeString:
    if part not in kept.TEMPLATES:
        raise template.TemplateSyntaxError(f"frame: unknown part {part!r}")
    return mark_safe(kept.render(part, context))  # the template engine escaped it

from django import template
from django.utils.safestring import SafeString, mark_safe

from kollegium.library import markdown

register = template.Library()


@register.filter(name="markdown")
def render_markdown(source: str) -> SafeString:
    """Markdown rendered and cleaned against the allow-list (see ``library.markdown``)."""
    return mark_safe(markdown.render(source))

"""Form widgets rendered with Jinja2 where Django ships Jinja2 templates for them.

With the Django template engine, rendering a widget means rendering one small template per
widget and per option (a select of 40 subjects is 40 template renders); a form with a few long
choice lists cost more than the rest of its page together. Django ships the same widget and
form templates for Jinja2, which renders them several times faster (issue 10;
docs/notes/issue-10-speed.md). Widgets whose templates exist only for the Django template
engine (the admin's) keep it.
"""

from functools import cached_property
from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template.exceptions import TemplateDoesNotExist


class JinjaFirstRenderer(BaseRenderer):
    @cached_property
    def _jinja(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self._jinja.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)

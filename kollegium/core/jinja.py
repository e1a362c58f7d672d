"""Row-heavy page fragments rendered with Jinja2 (issue 10).

Django's template engine costs 3–5 µs a node (a variable, an `{% if %}`, a loop step) and
~15 µs a `{% url %}`: a page with a hundred rows of controls (the competence profile, the
school's matrix) spent most of its time there. Such a page keeps its Django template (the
frame, `{% extends "base.html" %}`, partials) and renders only its rows with a Jinja2
template, which compiles to Python and runs the same markup several times faster; the view
passes the result to the page as safe HTML (`render_fragment`).

Fragments live in `<app>/jinja2/<app>/...`. Strings are translated in the view or the selector
(so `makemessages` finds them in Python) or with `{{ _("...") }}` / `gettext`/`ngettext` in the
fragment; `url(name, *args)`, `static(path)`, Django's `|date` and `|time` filters (`x|date("j F")`,
in the current time zone) and, when rendered with the request, `csrf_token` / `csrf_input` are
available, as in Django's Jinja2 backend. Autoescaping is on.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import jinja2
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _local(value: Any) -> Any:
    """An aware datetime in the current time zone, as Django's templates give it to |date."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date(value: Any, arg: str | None = None) -> str:
    """Django's `|date`, with a datetime in the current time zone as Django's templates give it."""
    return defaultfilters.date(_local(value), arg)


def _time(value: Any, arg: str | None = None) -> str:
    """Django's `|time`, likewise."""
    return defaultfilters.time(_local(value), arg)


def environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 (autoescape is set by the backend)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(url=_url, static=static)
    env.filters.update(date=_date, time=_time)
    return env


@cache
def engine() -> Jinja2:
    return Jinja2(
        {
            "NAME": "fragments",
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {"environment": "kollegium.core.jinja.environment", "autoescape": True},
        }
    )


def render_fragment(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> SafeString:
    """The fragment's HTML, safe to output in a Django template. With the request, the
    fragment gets `request`, `csrf_token` and `csrf_input`, each computed once (the backend's
    own lazy token would make a new masked token at every use: a hundred rows, a hundred)."""
    if request is not None:
        token = get_token(request)
        context = {
            **context,
            "request": request,
            "csrf_token": token,
            "csrf_input": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
            ),
        }
    return mark_safe(engine().get_template(template_name).render(context))

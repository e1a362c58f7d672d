"""Jinja2 fragments format dates as Django's templates do (kollegium/core/jinja.py)."""

from datetime import UTC, date, datetime

from django.template import engines
from django.utils import translation

from kollegium.core.jinja import engine


def test_a_fragment_formats_dates_in_the_current_time_zone_and_language_as_django_does():
    moment = datetime(2026, 12, 7, 8, 10, tzinfo=UTC)  # 09:10 in Stockholm
    source = "{{ when|date('l j F, H:i') }} {{ when|time('H:i') }} {{ day|date('D j F') }}"
    django_source = '{{ when|date:"l j F, H:i" }} {{ when|time:"H:i" }} {{ day|date:"D j F" }}'
    context = {"when": moment, "day": date(2026, 12, 8)}
    for language in ("sv", "en"):
        with translation.override(language):
            mine = engine().env.from_string(source).render(context)
            theirs = engines["django"].from_string(django_source).render(context)
            assert mine == theirs
    with translation.override("sv"):
        assert engine().env.from_string(source).render(context) == (
            "måndag 7 december, 09:10 09:10 tis 8 december"
        )

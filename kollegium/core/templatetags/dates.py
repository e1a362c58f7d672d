"""The one date style (kollegium/core/dates.py) for templates: `{% load dates %}`."""

from django import template

from kollegium.core import dates

register = template.Library()

register.filter("long_date", dates.long_date)
register.filter("long_datetime", dates.long_datetime)
register.filter("short_date", dates.short_date)
register.filter("short_datetime", dates.short_datetime)

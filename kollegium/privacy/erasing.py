"""Carrying out an erasure over the registry of personal data (core.registry).

Each registered model is one step in its own transaction: its eraser runs, then the person's
name and email are replaced by the role in its free-text fields (in everyone's rows: others'
minutes and notifications name people too). The step's model is added to the request's
``steps_done`` in the same transaction, so a run that stops halfway (a crash, a deploy, a
refused statement) leaves each step either done or untouched, and running it again does the
remaining steps. Every eraser is idempotent as well. The person's own row is the last step:
until it, their name and email are still there to be found.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import translation
from django.utils.translation import gettext_noop

from kollegium.core.registry import Erasure, PersonalData, personal_data

#: Shorter texts are never replaced (an empty or two-letter name would match everywhere).
MIN_REPLACED = 3


def person_rows(entry: PersonalData, person: Any) -> models.QuerySet:
    """The rows of a registered model that are about ``person``."""
    model = apps.get_model(entry.model)
    found = Q()
    for lookup in entry.person_fields:
        found |= Q(**{lookup: person.pk if lookup == "pk" else person})
    return model.objects.filter(found)


def replacements(
    person: Any, role_label: str, *, keep_name: bool = False
) -> tuple[tuple[str, str], ...]:
    """What to replace in free text: the full name and the email, by the role.

    ``keep_name``: the owner decided to keep the official records attributed; in them only
    the email address is replaced (the name stays, as the decision says)."""
    found: list[tuple[str, str]] = []
    names = (
        (person.email.strip(),) if keep_name else (person.full_name.strip(), person.email.strip())
    )
    for old in names:
        if len(old) >= MIN_REPLACED and old != role_label and old not in dict(found):
            found.append((old, role_label))
    return tuple(found)


def scrub(entry: PersonalData, pairs: Iterable[tuple[str, str]]) -> int:
    """Replace each old text by the new in the entry's text fields: one UPDATE per field."""
    model = apps.get_model(entry.model)
    changed = 0
    for field in entry.text_fields:
        for old, new in pairs:
            changed += model.objects.filter(**{f"{field}__contains": old}).update(
                **{field: Replace(F(field), Value(old), Value(new))}
            )
    return changed


def fast_delete(queryset: models.QuerySet) -> int:
    """Delete the rows; without loading them one by one when nothing points at the model.

    Django loads every row to send its delete signals (the home page's ``watch`` raises a
    version per row), which makes 100,000 notifications 100,000 statements. The callers raise
    the home versions of the people concerned once instead (``home_changed``)."""
    if queryset.model._meta.related_objects:  # rows elsewhere may cascade: let Django do it
        deleted, _rows = queryset.delete()
        return int(deleted)
    return int(queryset._raw_delete(queryset.db))  # type: ignore[attr-defined]


def erase_step(entry: PersonalData, erasure: Erasure) -> int:
    """One registered model's part of an erasure (the caller's transaction wraps it)."""
    if callable(entry.erase):
        count = entry.erase(erasure)
    elif entry.erase == "delete":
        count = fast_delete(person_rows(entry, erasure.person))
    else:
        count = 0
    return count + scrub(entry, erasure.replacements)


def steps() -> list[PersonalData]:
    """Every registered model, in the order its eraser runs."""
    return personal_data()


def role_label(role: str, school_name: str) -> str:
    """'en lärare på Björkskolan': in the installation's language, as records are kept."""
    from django.conf import settings

    from kollegium.organisations.models import Role

    labels: dict[str, str] = {
        Role.TEACHER: gettext_noop("a teacher at %(school)s"),
        Role.FACILITATOR: gettext_noop("a facilitator at %(school)s"),
        Role.LEADER: gettext_noop("a leader at %(school)s"),
        Role.ADMINISTRATOR: gettext_noop("an administrator at %(school)s"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(labels.get(role, labels[Role.TEACHER.value])) % {
            "school": school_name
        }


def former_user_label() -> str:
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext("a former user")

"""The bridge to the competence taxonomy: skills are tagged by their stable keys.

Accepts Skill objects (anything with a ``key``) or keys ("subject.swedish"); keys are
checked against the taxonomy data file the competence app ships.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kollegium.competence.taxonomy import Taxonomy, load_taxonomy


@cache
def _taxonomy() -> Taxonomy:
    return load_taxonomy()


@cache
def _names() -> dict[str, tuple[str, str]]:
    return {s.key: (s.name.sv, s.name.en) for s in _taxonomy().skills}


def skill_name(key: str) -> str:
    names = _names().get(key)
    if names is None:
        return key
    return names[1] if (get_language() or "sv").startswith("en") else names[0]


def resolve_skill_keys(skills: Iterable[Any]) -> list[str]:
    """Validated keys for a mix of Skill objects and keys; ValidationError for unknown ones."""
    keys = [s if isinstance(s, str) else str(s.key) for s in (skills or ())]
    missing = sorted(set(keys) - set(_names()))
    if missing:
        raise ValidationError(
            {"skills": _("Unknown skill: %(keys)s") % {"keys": ", ".join(missing)}}
        )
    return list(dict.fromkeys(keys))


def skill_choices() -> list[tuple[str, str]]:
    retired = {s.key for s in _taxonomy().skills if s.retired}
    return sorted(
        ((key, skill_name(key)) for key in _names() if key not in retired), key=lambda c: c[1]
    )

"""'Who can see this?' in plain words, from the same rules that enforce it (issue 12).

Each app builds an :class:`Audience` for a thing next to its permission (``item_audience`` in
library/permissions.py, say): a few parts, each a plain phrase ("everyone at Björkskolan") and
the predicate that decides whether a person belongs to it, written with the same permission
helpers as the ``can_view_...`` check. The sentence is made from the parts, and the apps'
tests check, persona by persona, that ``audience.includes(person)`` is exactly
``can_view_...(person, thing)``, so the words cannot drift from what is enforced.

Apps register their builders by model (``register_audience("library.Item", item_audience)``,
in hooks.py); templates show one with ``{% load audience %}{% who_can_see item %}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Part:
    label: Any  # a (lazy) translated phrase: "everyone at Björkskolan"
    #: Gets the acting person as the app's permissions take it (organisations.Actor).
    includes: Callable[[Any], bool]


@dataclass(frozen=True)
class Audience:
    parts: tuple[Part, ...]
    #: Said after the list: what others see of it, if anything ("leaders see that it happened").
    note: Any = ""

    def includes(self, person: Any) -> bool:
        if not person.is_authenticated or not person.is_active:
            return False
        return any(part.includes(person) for part in self.parts)

    @property
    def labels(self) -> list[str]:
        return [str(part.label) for part in self.parts]

    @property
    def sentence(self) -> str:
        labels = self.labels
        if not labels:
            return str(_("Nobody but the installation's administrators."))
        listed = (
            labels[0]
            if len(labels) == 1
            else format_lazy(_("{first} and {last}"), first=", ".join(labels[:-1]), last=labels[-1])
        )
        return str(format_lazy(_("Who can see this: {who}."), who=listed))


AudienceBuilder = Callable[[Any], Audience]
_builders: dict[str, AudienceBuilder] = {}


def register_audience(model_label: str, builder: AudienceBuilder, aspect: str = "") -> None:
    """``aspect`` names one part of a thing with its own rule ("levels" of a person)."""
    _builders[f"{model_label}:{aspect}"] = builder


def audience_of(obj: Any, aspect: str = "") -> Audience | None:
    builder = _builders.get(f"{obj._meta.label}:{aspect}")
    return builder(obj) if builder is not None else None


def names(people: Any) -> str:
    return ", ".join(p.full_name or p.email for p in people)

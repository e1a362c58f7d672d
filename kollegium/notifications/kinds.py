"""The kinds of notification, from ``data/kinds.yaml``: names in Swedish and English, the
area they belong to and how each is emailed unless a person chooses otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "kinds.yaml"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off (only in Kollegium)")


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


def _pick(names: dict[str, str]) -> str:
    language = (get_language() or "sv")[:2]
    return names.get(language) or names.get("sv") or next(iter(names.values()), "")


@dataclass(frozen=True)
class Kind:
    key: str
    area: str
    default: str
    names: tuple[tuple[str, str], ...]
    staff: bool = False

    @property
    def name(self) -> str:
        """The kind's name in the active language."""
        return _pick(dict(self.names)) or self.key


@dataclass(frozen=True)
class Area:
    key: str
    names: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return _pick(dict(self.names)) or self.key


@dataclass(frozen=True)
class Catalogue:
    areas: tuple[Area, ...]
    kinds: tuple[Kind, ...]

    def get(self, key: str) -> Kind | None:
        return next((k for k in self.kinds if k.key == key), None)


def _names(row: dict) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(row[code])) for code in ("sv", "en") if row.get(code))


@cache
def catalogue() -> Catalogue:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    areas = tuple(Area(key, _names(names)) for key, names in raw["areas"].items())
    kinds = tuple(
        Kind(
            key=row["key"],
            area=row["area"],
            default=Delivery(row["default"]).value,
            names=_names(row),
            staff=bool(row.get("staff", False)),
        )
        for row in raw["kinds"]
    )
    return Catalogue(areas=areas, kinds=kinds)


def kind_for(key: str) -> Kind:
    """The kind with that key; one not in the file is emailed at once and named by its key."""
    return catalogue().get(key) or Kind(
        key=key, area="", default=Delivery.IMMEDIATELY.value, names=()
    )


def visible_kinds(*, is_staff: bool) -> list[Kind]:
    return [k for k in catalogue().kinds if is_staff or not k.staff]

from __future__ import annotations

from typing import Any

from django import forms

from kollegium.notifications.kinds import Delivery
from kollegium.notifications.selectors import SettingsArea


def field_name(kind_key: str) -> str:
    return "kind-" + kind_key.replace(".", "-")


class PreferencesForm(forms.Form):
    """One choice per kind of notification the person can get, grouped by area."""

    def __init__(self, *args: Any, areas: list[SettingsArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.keys: dict[str, str] = {}
        for area in areas:
            for row in area.rows:
                name = field_name(row.kind.key)
                self.keys[name] = row.kind.key
                self.fields[name] = forms.ChoiceField(
                    label=row.kind.name, choices=Delivery.choices, initial=row.delivery
                )

    def grouped(self) -> list[tuple[SettingsArea, list[forms.BoundField]]]:
        return [
            (area, [self[field_name(row.kind.key)] for row in area.rows]) for area in self.areas
        ]

    def choices(self) -> dict[str, str]:
        return {self.keys[name]: value for name, value in self.cleaned_data.items()}

"""Helpers shared by the views."""

from typing import Any

from django.utils.translation import get_language


def _language() -> str:
    return get_language() or "sv"


def _person_choices(users: Any) -> list[tuple[int, str]]:
    return [(u.pk, u.full_name or u.email) for u in users]

"""Every model that holds personal data is exported or exempt with a reason, and says how it
is erased; so a new model cannot be forgotten."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from kollegium.core import registry
from kollegium.core.registry import PERSONAL_FIELD_NAMES, PersonalData
from kollegium.privacy.erasing import person_rows


def holds_personal_data(model: type[models.Model]) -> bool:
    """A link to a person, or a field named as personal (email, full name, ...)."""
    if model._meta.label == settings.AUTH_USER_MODEL:
        return True
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        is_person = related is not None and related._meta.label == settings.AUTH_USER_MODEL
        if is_person and field.concrete and (field.many_to_one or field.one_to_one):
            return True
        # A many-to-many with an automatic table (explicit ones are walked as models).
        many = is_person and field.many_to_many and field.concrete
        if many and field.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            return True
        if field.concrete and field.name in PERSONAL_FIELD_NAMES:
            return True
    return False


def forgotten() -> list[str]:
    """Models with personal data that are neither exported nor exempt with a reason."""
    registered = {entry.model: entry for entry in registry.personal_data()}
    problems = []
    for model in apps.get_models():
        if not holds_personal_data(model):
            continue
        entry = registered.get(model._meta.label)
        if entry is None:
            problems.append(f"{model._meta.label}: not registered (core.registry)")
        elif not entry.exported and not entry.exempt.strip():
            problems.append(f"{model._meta.label}: neither exported nor exempt with a reason")
        elif not (callable(entry.erase) or entry.erase == "delete" or entry.kept.strip()):
            problems.append(f"{model._meta.label}: its erasure is not said")
    return problems


def test_every_model_with_personal_data_is_exported_or_exempt_with_a_reason():
    assert forgotten() == []


def test_the_walk_finds_a_model_that_was_forgotten(monkeypatch):
    monkeypatch.delitem(registry._personal_data, "groups.Commitment")
    assert forgotten() == ["groups.Commitment: not registered (core.registry)"]
    monkeypatch.setitem(
        registry._personal_data,
        "groups.Commitment",
        PersonalData(model="groups.Commitment", person_fields=("user",), exempt="  "),
    )
    assert forgotten() == ["groups.Commitment: neither exported nor exempt with a reason"]


def test_a_registration_without_a_reason_is_refused():
    with pytest.raises(Exception, match="neither exported nor exempt"):
        registry.register_personal_data(PersonalData(model="groups.Commitment"))
    with pytest.raises(Exception, match="without a reason"):
        registry.register_personal_data(
            PersonalData(model="groups.Commitment", exempt="x", erase="keep")
        )


@pytest.mark.django_db
@pytest.mark.parametrize("entry", registry.personal_data(), ids=lambda e: e.model)
def test_each_registration_names_real_fields(entry, bob):
    model = apps.get_model(entry.model)
    queryset = person_rows(entry, bob)
    str(queryset.query)  # the person lookups exist
    if entry.export_fields:
        str(queryset.values(*entry.export_fields).query)
    for name in entry.text_fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.CharField | models.TextField), name

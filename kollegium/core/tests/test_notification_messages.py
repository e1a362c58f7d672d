"""Notifications stored as a message key and parameters (kollegium/core/notices.py, issue 16)."""

import importlib

from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from kollegium.core import notices

migration = importlib.import_module("kollegium.core.migrations.0004_notification_message")


def test_a_lazy_strings_msgid_is_its_key_and_other_lazy_values_are_not():
    assert notices.message_key(gettext_lazy("Notifications")) == "Notifications"
    assert notices.message_key(pgettext_lazy("menu", "Notifications")) is None


def test_a_message_renders_in_the_active_language_with_each_kind_of_parameter():
    message = notices.encode(
        gettext_lazy("%(name)s answered your question"),
        "Hur gör ni?",
        {"name": notices.in_each_language(lambda: translation.gettext("Notifications"))},
    )
    assert message["body"] == {"t": "Hur gör ni?"}
    with translation.override("sv"):
        assert notices.render(message, "title") == "Aviseringar svarade på din fråga"
        assert notices.render(message, "body") == "Hur gör ni?"
    with translation.override("en"):
        assert notices.render(message, "title") == "Notifications answered your question"


def test_a_message_with_a_missing_parameter_still_renders_and_an_empty_one_is_none():
    message = {"title": {"k": "%(name)s answered your question"}, "params": {}}
    with translation.override("sv"):
        assert notices.render(message, "title") == "%(name)s answered your question"
    assert notices.render({}, "title") is None


def test_the_migration_recovers_the_key_of_an_old_title_in_swedish_or_english():
    patterns = migration._patterns()
    swedish = migration.message_of("Bob Berg svarade på din fråga", "Hur?", patterns)
    assert swedish == {
        "title": {"k": "%(name)s answered your question"},
        "params": {"name": "Bob Berg"},
        "body": {"t": "Hur?"},
    }
    english = migration.message_of("Your answer helped: it was accepted", "", patterns)
    assert english == {"title": {"k": "Your answer helped: it was accepted"}}
    assert migration.message_of("Something else entirely", "", patterns) is None
    with translation.override("en"):
        assert notices.render(swedish, "title") == "Bob Berg answered your question"

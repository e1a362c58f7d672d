"""A notification's words as a message key and parameters, rendered in the reader's language.

A notification is written once and read later, perhaps after its recipient changed language.
So it keeps what to say, not how it was said: ``title`` and ``body`` are stored as the English
msgid of a ``gettext_lazy`` string (translated when read) or as text someone wrote (shown as
it is), and each parameter as a plain value, a ``gettext_lazy`` string, or a value computed in
every language (:func:`in_each_language`: a date, a list of skill names).

Stored form (``Notification.message``)::

    {"title": {"k": "%(name)s answered your question"},
     "body": {"t": "How do I start exit tickets?"},
     "params": {"name": "Bob", "when": {"l": {"sv": "7 december 2026", "en": "7 December 2026"}}}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


class Localized(dict):
    """A value in each of the installation's languages, from :func:`in_each_language`."""


Text = str | Promise | Localized


def in_each_language(fn: Callable[[], Any]) -> Localized:
    """``fn()`` computed once per language (a date, translated names), chosen when read."""
    values = Localized()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(fn())
    return values


def message_key(value: Promise) -> str | None:
    """The msgid of a ``gettext_lazy`` string, or None for any other lazy value (a lazy
    value pickles as the function and its arguments: that is how its msgid is read)."""
    try:
        reduced: Any = value.__reduce__()
        func, args, kwargs = reduced[1][:3]
    except (TypeError, ValueError, IndexError):
        return None
    if func is translation.gettext and len(args) == 1 and not kwargs:
        return str(args[0])
    return None


def _encode_text(value: Text) -> dict[str, Any]:
    if isinstance(value, Localized):  # words put together in code, in every language
        return {"l": dict(value)}
    if isinstance(value, Promise):
        key = message_key(value)
        if key is not None:
            return {"k": key}
        return {"l": dict(in_each_language(lambda: value))}
    return {"t": str(value)}


def _encode_param(value: Any) -> Any:
    if isinstance(value, Localized):
        return {"l": dict(value)}
    if isinstance(value, Promise):
        return _encode_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def encode(title: Text, body: Text = "", params: Mapping[str, Any] | None = None) -> dict:
    """The stored form of a notification's title, body and parameters."""
    message: dict[str, Any] = {"title": _encode_text(title)}
    if body:
        message["body"] = _encode_text(body)
    if params:
        message["params"] = {str(k): _encode_param(v) for k, v in params.items()}
    return message


def _decode_value(value: Any, language: str) -> Any:
    if not isinstance(value, dict):
        return value
    if "k" in value:
        return translation.gettext(value["k"])
    if "l" in value:
        by_language = value["l"]
        return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE) or ""
    return value.get("t", "")


def render(message: Mapping[str, Any], part: str) -> str | None:
    """``part`` ("title" or "body") in the active language; None when the message lacks it
    (a notification stored before messages had keys shows the text it was sent with)."""
    text = message.get(part) if message else None
    if not isinstance(text, dict):
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    words = _decode_value(text, language)
    if "k" not in text:
        return str(words)
    params = {k: _decode_value(v, language) for k, v in (message.get("params") or {}).items()}
    try:
        return str(words) % params
    except (KeyError, TypeError, ValueError):
        # A translation whose placeholders no longer match: the English words never fail.
        try:
            return text["k"] % params
        except (KeyError, TypeError, ValueError):
            return text["k"]

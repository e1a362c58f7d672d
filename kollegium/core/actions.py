"""The write path of a view, written once: form → service → message → redirect.

A view checks access, builds its form and hands the one service call of the user's action to
``form_action`` (a form page that shows errors on its fields) or ``post_action`` (a button: errors
become a message). Both call the service once, turn its ``ValidationError`` into what the person
sees, add the success message and redirect, so the views stop repeating the same ``try`` block.

``redirect_to`` takes what ``django.shortcuts.redirect`` takes (a URL pattern name, a URL, a model
with ``get_absolute_url``), a tuple ``(name, *args)``, or a function of the service's result that
returns one of those or a finished response.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kollegium.core.forms import apply_validation_error

T = TypeVar("T")

__all__ = ["error_text", "form_action", "post_action", "to_response"]


def to_response(target: Any, result: Any = None) -> HttpResponse:
    """The response for a ``redirect_to``: a redirect, or the response a function returned."""
    if callable(target):
        target = target(result)
    if isinstance(target, HttpResponse):
        return target
    if isinstance(target, tuple):
        return redirect(*target)
    return redirect(target)


def error_text(error: ValidationError | PermissionDenied, fallback: str = "") -> str:
    """A service's refusal as one line for a message."""
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return text or fallback


def _success(request: HttpRequest, success: str | Callable[[Any], str] | None, result: Any) -> None:
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def form_action(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[], T],
    *,
    redirect_to: Any,
    success: str | Callable[[T], str] | None = None,
    on_error: Callable[[Any, ValidationError], None] = apply_validation_error,
    partial: Callable[[bool], HttpResponse] | None = None,
) -> HttpResponse | None:
    """Run a form's one service call on POST.

    GET, or a form that does not validate: None (the view renders the form). A valid form:
    ``call()``; its ``ValidationError`` is put on the form with ``on_error`` and None is
    returned (the view renders the form with the errors, nothing was saved); on success the
    ``success`` message is added and the redirect to ``redirect_to`` returned.
    With ``partial``, an htmx request gets ``partial(saved)`` instead (no message, no redirect),
    also when the form does not validate.
    """
    if request.method != "POST":
        return None
    saved, result = False, None
    if form.is_valid():
        try:
            result = call()
        except ValidationError as error:
            on_error(form, error)
        else:
            saved = True
    if partial is not None and getattr(request, "htmx", False):
        return partial(saved)
    if not saved:
        return None
    _success(request, success, result)
    return to_response(redirect_to, result)


def post_action(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    redirect_to: Any,
    success: str | Callable[[T], str] | None = None,
    error_redirect_to: Any = None,
    form: BaseForm | None = None,
    invalid: str = "",
    denied: str | None = None,
) -> HttpResponse:
    """Run a button's one service call and redirect.

    With ``form``, the call runs only when the form validates; otherwise ``invalid`` (or the
    form's own errors) becomes the error message. The service's ``ValidationError`` becomes an
    error message and the person goes to ``error_redirect_to`` (default: ``redirect_to``, which
    must then not be a function of the result). ``PermissionDenied`` is raised on (403) unless
    ``denied`` is given: then it becomes a message too (the service's text, else ``denied``,
    which is also the text of a refusal that came without one).
    """
    failed_target = redirect_to if error_redirect_to is None else error_redirect_to
    if form is not None and not form.is_valid():
        for text in [invalid] if invalid else _form_errors(form):
            messages.error(request, text)
        return to_response(failed_target)
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, error_text(error, denied or ""))
        return to_response(failed_target)
    except PermissionDenied as error:
        if denied is None:
            raise
        messages.error(request, error_text(error, denied))
        return to_response(failed_target)
    _success(request, success, result)
    return to_response(redirect_to, result)


def _form_errors(form: BaseForm) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]

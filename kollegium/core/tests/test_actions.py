"""core.actions: the views' one write path (form → service → message → redirect)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from kollegium.core.actions import form_action, post_action


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method: str = "post", data: dict | None = None, htmx: bool = False):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request._messages = CookieStorage(request)
    request.htmx = htmx
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in request._messages]


def _refuse(**errors):
    def service():
        raise ValidationError(errors or "Nope.")

    return service


def test_a_get_or_an_invalid_form_calls_nothing_and_shows_the_form():
    called = []
    for request, form in [
        (_request("get"), NameForm()),
        (_request(data={"name": ""}), NameForm({"name": ""})),
    ]:
        done = form_action(request, form, lambda: called.append(1), redirect_to="/done/")
        assert done is None
    assert called == []


def test_a_saved_form_adds_the_message_and_redirects_using_the_result():
    request = _request(data={"name": "Ada"})
    form = NameForm(request.POST)
    done = form_action(
        request,
        form,
        lambda: form.cleaned_data["name"].upper(),
        success=lambda name: f"Saved {name}.",
        redirect_to=lambda name: f"/people/{name}/",
    )
    assert done is not None and done["Location"] == "/people/ADA/"
    assert _messages(request) == [("success", "Saved ADA.")]


def test_a_refusal_lands_on_the_named_field_and_nothing_else_happens():
    request = _request(data={"name": "Ada"})
    form = NameForm(request.POST)
    done = form_action(
        request, form, _refuse(name="Taken."), success="Saved.", redirect_to="/done/"
    )
    assert done is None
    assert form.errors == {"name": ["Taken."]}
    assert _messages(request) == []


def test_an_htmx_request_gets_the_partial_for_both_outcomes():
    for service, saved in [(lambda: None, True), (_refuse(), False)]:
        request = _request(data={"name": "Ada"}, htmx=True)
        done = form_action(
            request,
            NameForm(request.POST),
            service,
            success="Saved.",
            redirect_to="/done/",
            partial=lambda ok: HttpResponse("row", status=200 if ok else 422),
        )
        assert done is not None and done.status_code == (200 if saved else 422)
        assert _messages(request) == []


def test_a_button_turns_a_refusal_into_a_message_and_goes_where_it_is_told():
    request = _request()
    done = post_action(
        request, _refuse(), success="Saved.", redirect_to="/done/", error_redirect_to="/again/"
    )
    assert done["Location"] == "/again/"
    assert _messages(request) == [("error", "Nope.")]
    request = _request()
    done = post_action(request, lambda: 7, success=lambda n: f"{n} saved.", redirect_to="/done/")
    assert done["Location"] == "/done/" and _messages(request) == [("success", "7 saved.")]


def test_a_button_with_a_form_checks_it_first():
    request = _request(data={"name": ""})
    called = []
    done = post_action(
        request,
        lambda: called.append(1),
        form=NameForm(request.POST),
        invalid="Give a name.",
        redirect_to="/done/",
    )
    assert done["Location"] == "/done/" and called == []
    assert _messages(request) == [("error", "Give a name.")]


def test_permission_denied_is_a_403_unless_the_view_asks_for_a_message():
    def deny():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        post_action(_request(), deny, redirect_to="/done/")
    request = _request()
    done = post_action(request, deny, denied="Not allowed.", redirect_to="/done/")
    assert done["Location"] == "/done/"
    assert _messages(request) == [("error", "Not allowed.")]


def test_a_callable_error_target_may_render_a_page():
    request = _request()
    done = post_action(
        request,
        _refuse(),
        redirect_to="/done/",
        error_redirect_to=lambda _nothing: HttpResponse("page", status=400),
    )
    assert done.status_code == 400 and done.content == b"page"

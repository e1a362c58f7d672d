"""The registry of outside IdPs' origins that sign-in pages allow in CSP form-action."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kollegium.core import registry


@pytest.fixture
def sources():
    saved = list(registry._form_action_sources)
    registry._form_action_sources.clear()
    yield registry._form_action_sources
    registry._form_action_sources[:] = saved


def test_exactly_the_registered_origins_once_each(sources):
    registry.register_form_action_origins(
        lambda request: [
            "https://login.microsoftonline.com/abc/v2.0",
            "https://LOGIN.microsoftonline.com",
            "http://127.0.0.1:8123/o",
        ]
    )
    registry.register_form_action_origins(lambda request: ["https://idp.example.se/saml"])
    request = RequestFactory().get("/accounts/login/")
    assert registry.form_action_origins(request) == [
        "http://127.0.0.1:8123",
        "https://idp.example.se",
        "https://login.microsoftonline.com",
    ]


def test_nothing_broader_than_an_origin(sources):
    registry.register_form_action_origins(
        lambda request: ["*", "https://*.example.com", "'unsafe-inline'", "javascript:x", "", "x"]
    )
    assert registry.form_action_origins(RequestFactory().get("/")) == []


def test_response_update_keeps_self_and_adds_origins(sources):
    registry.register_form_action_origins(lambda request: ["https://accounts.google.com/o"])
    response = registry.allow_sign_in_form_actions(RequestFactory().get("/"), HttpResponse())
    assert response._csp_update == {"form-action": ["https://accounts.google.com"]}


def test_no_origins_leaves_the_response_alone(sources):
    response = registry.allow_sign_in_form_actions(RequestFactory().get("/"), HttpResponse())
    assert not hasattr(response, "_csp_update")

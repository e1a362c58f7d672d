"""Every signed-in GET page runs the same number of SQL queries whatever the data size.

The URL patterns come from the resolver and their parameters are filled with School A's rows
(kollegium/core/testing/pages.py, the same as the page bench), so a new page is checked the
day it is added. Each page is opened as a teacher (Bob), a facilitator (Carol) and a leader
(Alice) in the demo world (and as the owner's development staff where none of them can), then
the world grows (more colleagues with teams, subjects and skills; every app's demo content once
more: groups, meetings, commitments, items, questions, timetables, observations; more schools
elsewhere) and each page is opened again: the count must not change. The home page is
rendered each time, never the kept copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from kollegium.core.homepage import CACHE_ALIAS
from kollegium.core.testing.pages import (
    OWNER_STAFF,
    PERSONAS,
    QUIET_EMAIL,
    Filler,
    Page,
    fill,
    load_demo_again,
    load_demo_world,
    patterns,
    staff_up,
)

pytestmark = pytest.mark.django_db

PATTERNS = patterns()

# Patterns that are no signed-in page for any of the personas, each with its reason. A pattern
# not listed here must open as a page (or say it takes POST only) for at least one of them.
NOT_PAGES = {
    **dict.fromkeys(
        (
            "directory:signin_index",
            "directory:signin_connection",
            "directory:signin_connection_test",
            "directory:signin_connection_delete",
        ),
        "installation administrators only (is_staff); its query counts are tested in"
        " kollegium/directory/tests/test_signin_views.py",
    ),
    "openid_connect_login": "starts a school sign-in at the owner's Entra or Google (none in the"
    " demo; kollegium/directory/tests/test_signin.py signs in against a real IdP)",
    "openid_connect_callback": "where Entra or Google sends the person back (needs its state)",
    "socialaccount_login_error": "allauth's page for a school sign-in that failed (401)",
    "socialaccount_signup": "sign-up through a school account is closed (people are linked)",
    "recognition:guest_accept": "a guest's one-time link, opened signed out (recognition tests)",
    "account_login": "sign-in: a signed-in person is sent home",
    "account_signup": "sign-up: a signed-in person is sent home",
    "account_confirm_login_code": "no sign-in by code is in progress",
    "account_request_reauthentication_code": "reauthentication by code is not enabled",
    "account_confirm_reauthentication_code": "reauthentication by code is not enabled",
    "account_set_password": "the personas have passwords (sent on to change it)",
    "account_confirm_email": "needs an e-mail confirmation key sent by mail",
    "account_reset_password_from_key": "needs a password-reset key sent by mail",
    "library:start_here": "sends the person on to the school's start-here collection",
    "library:attachment": "the demo has no uploaded file",
    "library:attachment_display": "the demo has no uploaded file",
    "groups:guide_adapted": "the demo school has not adapted a method guide",
    "groups:guide_adapt_adapted": "the demo school has not adapted a method guide",
    "groups:conclusion_publish": "the demo groups have no written conclusion",
    "records:request_pdf": "a download that needs the records request's period (since, until);"
    " its query counts are tested in kollegium/records/tests/test_records_requests.py",
    "records:request_csv": "a download that needs the records request's period (since, until);"
    " its query counts are tested in kollegium/records/tests/test_records_requests.py",
    **dict.fromkeys(
        (
            "directory:index",
            "directory:source",
            "directory:source_dry_run",
            "directory:source_sync",
            "directory:run",
            "directory:run_apply",
            "directory:file_source_create",
            "directory:source_file_preview",
        ),
        "installation administrators only (is_staff); its query counts are tested in"
        " kollegium/directory/tests/test_views.py",
    ),
    **dict.fromkeys(
        ("federation:index", "federation:feed"),
        "installation administrators only (is_staff); its query counts are tested in"
        " kollegium/federation/tests/test_views.py",
    ),
    "federation:idp_remove": "installation administrators only (is_staff), POST only",
    "notifications:unsubscribe": "a signed link only in emails, opened signed out (tested in"
    " kollegium/notifications/tests)",
    "saml2:login": "school sign-in: a signed-in person is sent on (no IdP in the demo)",
    "saml2:direct": "an owner's direct school sign-in link: a signed-in person is sent on",
    "saml2:metadata": "our SAML metadata (XML), served only with SAML_KEY_FILE set; tested in"
    " kollegium/federation/tests/test_views.py",
}


@dataclass
class Counted:
    pages: list[Page]
    before: dict[tuple[str, str], int]
    after: dict[tuple[str, str], int]
    sql_after: dict[tuple[str, str], list[str]]


def _count(client: Client, path: str) -> tuple[int, list[str]]:
    caches[CACHE_ALIAS].clear()
    client.get(path)  # once first: a first visit may do one-time work (a version row)
    caches[CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker) -> Any:
    """The demo world, every page counted, the world grown, every page counted again; all in
    one transaction rolled back at the end."""
    from kollegium.accounts.models import User
    from kollegium.organisations.models import Organisation
    from kollegium.organisations.seeding import seed

    with (
        django_db_blocker.unblock(),
        override_settings(
            EMAIL_BACKEND=QUIET_EMAIL,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        tokens = load_demo_world()
        school_a = Organisation.objects.get(name="Björkskolan", kind="school")
        staff_up(school_a, 14)
        clients: dict[str, Client] = {}
        pages: list[Page] = []
        before: dict[tuple[str, str], int] = {}
        opened: set[str] = set()
        for persona, email in [*PERSONAS, OWNER_STAFF]:
            user = User.objects.get(email=email)
            client = clients[persona] = Client()
            client.force_login(user)
            filler = Filler(user, school_a, tokens)

            def get(path: str, client: Client = client) -> Any:
                caches[CACHE_ALIAS].clear()
                return client.get(path)

            for pattern in PATTERNS:
                if (persona, email) == OWNER_STAFF and pattern.name in opened:
                    continue  # the owner's staff only for what no school persona opens
                page = fill(pattern, persona, filler, get)
                pages.append(page)
                if page.outcome in {"page", "post-only"}:
                    opened.add(pattern.name)
                if page.outcome == "page":
                    before[(persona, page.pattern.name)] = _count(client, page.path or "")[0]

        staff_up(school_a, 40, tag="fler")
        load_demo_again()
        seed(schools=3, teachers_per_school=4, seed_value=7)
        after: dict[tuple[str, str], int] = {}
        sql_after: dict[tuple[str, str], list[str]] = {}
        for page in pages:
            if page.outcome == "page":
                key = (page.persona, page.pattern.name)
                after[key], sql_after[key] = _count(clients[page.persona], page.path or "")
        yield Counted(pages, before, after, sql_after)
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", [p.name for p in PATTERNS])
def test_the_page_runs_the_same_queries_with_more_data(counted, name):
    grew = {
        persona: (counted.before[(persona, n)], counted.after[(persona, n)])
        for (persona, n) in counted.before
        if n == name and counted.before[(persona, n)] != counted.after[(persona, n)]
    }
    details = "\n".join(
        f"--- as {persona}, {small} -> {large} queries; with more data:\n"
        + "\n".join(counted.sql_after[(persona, name)])
        for persona, (small, large) in grew.items()
    )
    assert not grew, f"{name}: the query count grew with the data\n{details}"


@pytest.mark.parametrize("name", [p.name for p in PATTERNS])
def test_the_pattern_opens_for_a_persona_or_is_known_not_to(counted, name):
    outcomes = {p.persona: p for p in counted.pages if p.pattern.name == name}
    opened = [p for p in outcomes.values() if p.outcome in {"page", "post-only"}]
    if name in NOT_PAGES:
        assert not opened, f"{name} now opens ({opened[0].path}): take it off NOT_PAGES"
        return
    described = "; ".join(
        f"{p.persona}: {p.outcome} {p.note} {p.tried[:3]}" for p in outcomes.values()
    )
    assert opened, f"{name} did not open for any persona: {described}"

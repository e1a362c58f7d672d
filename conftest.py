"""Shared fixtures: the personas, a browser, and test settings.

Personas (DESIGN.md):
- Alice: leader at School A.
- Bob: teacher at School A, in Alice's groups (and the team "Arbetslag 4–6").
- Carol: facilitator at School A (same team as Bob).
- Dave: teacher at School B, no access to School A's private things.
School A and School B have the same owner and are both in the network "Nätverket".
"""

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

from kollegium.core.testing.factories import (
    TEST_PASSWORD,
    NetworkFactory,
    NetworkMembershipFactory,
    OwnerFactory,
    SchoolFactory,
    TeamFactory,
    TeamMembershipFactory,
    teacher_at,
)


@dataclass
class World:
    owner: Any
    school_a: Any
    school_b: Any
    network: Any
    team_a: Any
    alice: Any
    bob: Any
    carol: Any
    dave: Any
    password: str = TEST_PASSWORD


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    # Argon2 is the production hasher (checked in accounts' tests); tests hash thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from pathlib import Path

    from django.core.cache import cache, caches

    # whitenoise warns on every new client when STATIC_ROOT is missing (a fresh clone).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

    cache.clear()  # sign-in throttling lives in the cache; each test starts unthrottled
    caches["home"].clear()  # cached home pages live in the test process's memory


@pytest.fixture
def world(db) -> World:
    from kollegium.organisations.models import Role

    owner = OwnerFactory(name="Exempelstads kommun")
    school_a = SchoolFactory(parent=owner, name="Skola A", name_en="School A")
    school_b = SchoolFactory(parent=owner, name="Skola B", name_en="School B")
    network = NetworkFactory(name="Nätverket")
    NetworkMembershipFactory(network=network, school=school_a)
    NetworkMembershipFactory(network=network, school=school_b)
    alice = teacher_at(school_a, Role.LEADER, email="alice@a.example", full_name="Alice Andersson")
    bob = teacher_at(school_a, Role.TEACHER, email="bob@a.example", full_name="Bob Berg")
    carol = teacher_at(school_a, Role.FACILITATOR, email="carol@a.example", full_name="Carol Chen")
    dave = teacher_at(school_b, Role.TEACHER, email="dave@b.example", full_name="Dave Dahl")
    team_a = TeamFactory(school=school_a, name="Arbetslag 4–6")
    TeamMembershipFactory(team=team_a, user=bob)
    TeamMembershipFactory(team=team_a, user=carol)
    return World(owner, school_a, school_b, network, team_a, alice, bob, carol, dave)


@pytest.fixture
def alice(world):
    return world.alice


@pytest.fixture
def bob(world):
    return world.bob


@pytest.fixture
def carol(world):
    return world.carol


@pytest.fixture
def dave(world):
    return world.dave


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a test client signed in as that person."""
    from django.test import Client

    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    from kollegium.core.testing.browser import CHROMIUM_ARGS, chromium_path

    browser = _playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()

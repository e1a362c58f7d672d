"""The notification settings and an unsubscribe link in a real browser (desktop and phone),
reached as a person would, each page checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.notifications.models import Preference
from kollegium.notifications.tokens import make_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _warm(live_server):
    """The live server's first page can take longer than a navigation's timeout on a loaded
    machine (templates compiled, the frame built): load it once before the browser does."""
    urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=120).read()  # noqa: S310


def test_a_teacher_chooses_a_weekly_digest_from_the_profile(live_server, page, world):
    _warm(live_server)
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.goto(live_server.url + "/me/profile/")
    page.get_by_role("link", name="Aviseringsinställningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aviseringsinställningar")
    check_accessibility(page, context="notification settings")
    page.get_by_label("En kollega behöver din hjälp med en fråga").select_option("weekly")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Dina aviseringsinställningar är sparade.")).to_be_visible()
    check_accessibility(page, context="notification settings saved")
    assert Preference.objects.get(user=world.bob).delivery == "weekly"


def test_the_settings_and_an_unsubscribe_link_on_a_phone(live_server, phone_page, world):
    _warm(live_server)
    token = make_token(world.bob.pk, ["questions.answered"])
    phone_page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Sluta skicka de här mejlen")
    check_accessibility(phone_page, context="unsubscribe")
    phone_page.get_by_role("button", name="Sluta skicka de här mejlen").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mejlen är avslutade")
    check_accessibility(phone_page, context="unsubscribed")
    assert Preference.objects.get(user=world.bob).delivery == "off"
    sign_in(phone_page, live_server.url, world.bob.email, world.password)
    phone_page.goto(live_server.url + "/notifications/settings/")
    expect(phone_page.get_by_label("Någon svarade på din fråga")).to_have_value("off")
    check_accessibility(phone_page, context="notification settings on a phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

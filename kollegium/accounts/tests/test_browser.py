"""The foundation journey in a real browser: sign in, invite, accept, profile, language."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.organisations.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_invites_a_teacher_who_joins_and_edits_their_profile(live_server, page, world):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    check_accessibility(page, context="sign-in page")

    sign_in(page, base, world.alice.email, world.password)
    assert page.get_by_role("heading", level=1).inner_text() == "Hej, Alice"
    check_accessibility(page, context="home")

    page.get_by_role("link", name="Min skola").click()
    check_accessibility(page, context="school overview")
    page.get_by_role("link", name="Personal").first.click()
    check_accessibility(page, context="people")

    # Give Carol's colleague Bob the facilitator role.
    page.get_by_label("Roll för Bob Berg").select_option("facilitator")
    page.get_by_role("row", name=re.compile("Bob Berg")).get_by_role(
        "button", name="Ändra roll"
    ).click()
    expect(
        page.get_by_role("status").filter(has_text="Bob Berg är nu förstelärare")
    ).to_be_visible()
    assert Membership.objects.get(user=world.bob).role == Role.FACILITATOR

    page.get_by_role("link", name="Bjud in en kollega").click()
    check_accessibility(page, context="invitations")
    page.get_by_label("E-postadress").fill("nina@a.example")
    page.get_by_label("Namn (frivilligt)").fill("Nina Ny")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("En inbjudan är på väg till nina@a.example")).to_be_visible()
    check_accessibility(page, context="invitations after sending")

    link = re.search(r"https?://\S+/school/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("/school/", 1)[1]
    page.get_by_role("button", name="Logga ut").click()

    page.goto(f"{base}/school/{path}")
    check_accessibility(page, context="accept invitation")
    page.get_by_label("Ditt namn").fill("Nina Ny")
    page.get_by_label("Välj ett lösenord").fill("ett-bra-langt-losenord-9")
    page.get_by_label("Upprepa lösenordet").fill("ett-bra-langt-losenord-9")
    page.get_by_role("button", name="Gå med").click()
    expect(page.get_by_role("heading", name="Din första vecka")).to_be_visible()
    check_accessibility(page, context="home with the first week")
    page.get_by_role("link", name="Nina", exact=True).click()
    expect(page.get_by_role("heading", name="Min profil")).to_be_visible()
    check_accessibility(page, context="profile")

    page.get_by_label("Fråga mig om").fill("Bildstöd och tecken som stöd")
    page.get_by_label("Matematik").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Din profil är sparad.")).to_be_visible()

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    check_accessibility(page, context="profile in English")
    page.goto(base + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Nina"


def test_the_navigation_works_on_a_phone_with_the_keyboard(live_server, phone_page, world):
    page = phone_page
    sign_in(page, live_server.url, world.bob.email, world.password)
    menu = page.get_by_role("button", name="Meny")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Min skola").is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Min skola").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Skola A")
    check_accessibility(page, context="school on a phone")
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_skip_link_is_the_first_stop_for_the_keyboard(live_server, page, world):
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"


def test_a_throttled_sign_in_and_a_throttled_reset_are_accessible_translated_pages(
    live_server, page, world
):
    base = live_server.url
    for _ in range(5):
        sign_in(page, base, world.bob.email, "wrong-password")
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/login/") and r.request.method == "POST"
    ) as sent:
        sign_in(page, base, world.bob.email, world.password)
    assert sent.value.status == 429
    assert int(sent.value.headers["retry-after"]) > 0
    expect(page.get_by_text("för många", exact=False).first).to_be_visible()
    check_accessibility(page, context="throttled sign-in")

    for n in range(21):
        page.goto(base + "/accounts/password/reset/")
        page.get_by_label("E-postadress").fill(f"p{n}@a.example")
        with page.expect_response(lambda r: r.request.method == "POST") as reset:
            page.get_by_role("button", name=re.compile("Återställ|Nollställ|Skicka", re.I)).click()
    assert reset.value.status == 429
    assert reset.value.headers["retry-after"] == "60"
    assert page.get_by_role("heading", level=1).inner_text() == "För många försök"
    check_accessibility(page, context="429 page")

"""Recognition in a real browser, with axe-core: Bob thanks Carol from her profile and reads his
portfolio; Carol confirms Bob; a visitor verifies the credential on a phone (issue 15)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.recognition.models import Confirmation
from kollegium.recognition.tests.helpers import group_with_meetings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bob_thanks_carol_and_reads_his_contributions_and_portfolio(live_server, page, world):
    group_with_meetings(world)
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.goto(f"{live_server.url}/competence/people/{world.carol.pk}/")
    page.get_by_role("link", name="Tacka Carol Chen").click()
    check_accessibility(page)
    page.get_by_label("Ditt tack, i en mening").fill("Tack för exit tickets!")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_text("Ditt tack är skickat till Carol Chen.")).to_be_visible()
    page.goto(f"{live_server.url}/me/profile/")
    page.get_by_role("link", name="Mina bidrag").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad jag har bidragit med")
    expect(page.get_by_text("Varför det inte finns poäng")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Min portfolio").click()
    expect(page.get_by_text("3,2 timmar vid 2 möten med närvaro.")).to_be_visible()
    check_accessibility(page)


def test_carol_confirms_bob_and_a_visitor_verifies_it_on_a_phone(
    live_server, page, phone_page, world
):
    group, _meetings = group_with_meetings(world)
    sign_in(page, live_server.url, world.carol.email, world.password)
    page.goto(f"{live_server.url}/groups/{group.pk}/")
    page.get_by_role("link", name="Bjud in en expert som gäst").click()
    check_accessibility(page)
    page.get_by_role("button", name="Intyga Bob Berg").click()
    expect(page.get_by_text("Bob Berg deltagande är intygat.")).to_be_visible()
    token = Confirmation.objects.get().token
    phone_page.goto(f"{live_server.url}/recognition/verify/")
    check_accessibility(phone_page)
    phone_page.get_by_label("Intyg").fill(token)
    phone_page.get_by_role("button", name="Verifiera").click()
    expect(phone_page.get_by_text("Äkta.")).to_be_visible()
    check_accessibility(phone_page)
    phone_page.get_by_label("Intyg").fill(token[:-6] + "AAAAAA")
    phone_page.get_by_role("button", name="Verifiera").click()
    expect(phone_page.get_by_text("Inte verifierat.")).to_be_visible()

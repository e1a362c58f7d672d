"""School sign-in as people use it, in a real browser with axe-core: the sign-in page's entry
and the IdP choice on a phone, and the administrator's pages on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_finds_her_municipality_on_a_phone(live_server, phone_page, world, federation):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Logga in med din skola (Skolfederation)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in med din skola")
    check_accessibility(page)
    page.get_by_label("Kommun eller huvudman").fill("Göteborg")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("Ingen huvudman matchar")).to_be_visible()
    page.get_by_label("Kommun eller huvudman").fill("exempelstad")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Exempelstads kommun")
    expect(link).to_be_visible()
    assert "idp=https%3A//idp.kommun-a.test/idp" in (link.get_attribute("href") or "")
    check_accessibility(page)
    page.goto(f"{live_server.url}/saml2/login/?idp=https://idp.unknown.test/")
    expect(page.get_by_role("alert")).to_contain_text("inte ansluten till Kollegium")
    check_accessibility(page)


def test_an_administrator_sees_the_feed_and_allows_an_idp(live_server, page, world, federation):
    from kollegium.core.testing.factories import OwnerFactory

    OwnerFactory(name="Grannkommunen")
    sign_in(page, live_server.url, federation.admin.email, world.password)
    page.goto(f"{live_server.url}/federation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skolinloggning")
    check_accessibility(page)
    page.get_by_role("link", name="Skolfederation").click()
    expect(page.get_by_text("Verifierat").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Tillåt", exact=True).click()
    expect(
        page.get_by_text("Välj en huvudman, en identitetsutgivare och ett kortnamn.")
    ).to_be_visible()
    page.locator("#id_owner").select_option(label="Grannkommunen")
    page.locator("#id_entity_id").select_option(index=1)
    page.locator("#id_slug").fill("grannkommunen")
    page.get_by_role("button", name="Tillåt", exact=True).click()
    expect(page.get_by_text("Identitetsutgivaren är tillåten för huvudmannen.")).to_be_visible()
    expect(page.get_by_text("/saml2/s/grannkommunen/")).to_be_visible()
    check_accessibility(page)

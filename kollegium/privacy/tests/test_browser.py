"""Export and erasure as a person does them, in a real browser, with axe-core (desktop and
phone)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.core.testing.factories import teacher_at
from kollegium.organisations.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bob_exports_his_data_from_his_profile(live_server, page, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.goto(f"{live_server.url}/me/profile/")
    check_accessibility(page)
    page.get_by_role("button", name="Exportera mina uppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export av mina uppgifter")
    link = page.get_by_role("link", name="Ladda ner zip-filen")
    expect(link).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
    page.goto(f"{live_server.url}/privacy/")
    expect(page.get_by_role("table", name="Dina senaste exporter")).to_be_visible()
    check_accessibility(page)


def test_an_administrator_schedules_and_cancels_an_erasure_on_a_phone(
    live_server, phone_page, world
):
    page = phone_page
    admin = teacher_at(world.school_a, Role.ADMINISTRATOR, email="adm@a.example")
    sign_in(page, live_server.url, admin.email, world.password)
    page.goto(f"{live_server.url}/privacy/")
    page.get_by_role("link", name="Radera någons uppgifter på Skola A").click()
    check_accessibility(page)
    page.get_by_role("button", name="Planera raderingen").click()  # nobody chosen
    expect(page.get_by_text("Detta fält måste fyllas i.").first).to_be_visible()
    check_accessibility(page)
    page.locator("#id_person").select_option(label="Bob Berg (lärare)")
    page.get_by_label("Personen har slutat").check()
    page.get_by_role("button", name="Planera raderingen").click()
    expect(page.get_by_text("Raderingen är planerad.")).to_be_visible()
    expect(page.get_by_text("en lärare på Skola A")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Ångra raderingen").click()
    expect(page.get_by_text("Raderingen är ångrad.")).to_be_visible()
    check_accessibility(page)

"""Two people edit the same item: the conflict page on a phone, with axe-core."""

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.library import services
from kollegium.library.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = "Tre frågor i slutet.\n\nSamla in lapparna."


def test_an_overlapping_edit_shows_both_texts_and_keeping_mine_saves_it(
    live_server, phone_page, world
):
    page, base = phone_page, live_server.url
    item = services.item_create(
        actor=world.bob, school=world.school_a, title="Exit tickets", body=START
    )
    sign_in(page, base, world.bob.email, world.password)
    page.goto(f"{base}/library/items/{item.pk}/edit/")
    page.get_by_role("textbox", name="Text").fill(START.replace("Tre", "Två"))

    # Carol, a facilitator at the school, saves the same line while Bob is still writing.
    current = Item.objects.get(pk=item.pk)
    services.item_update(
        actor=world.carol, item=current, base=services.item_edit_base(current),
        title="Exit tickets", body=START.replace("Tre", "Fyra"), item_type=current.item_type,
        language=current.language, visibility=current.visibility,
    )  # fmt: skip
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="Resursen ändrades medan du redigerade den")
    ).to_be_visible()
    theirs, mine = page.locator(".edit-conflict-text").all()
    assert "Fyra frågor" in theirs.inner_text() and "Två frågor" in mine.inner_text()
    assert "<<<<<<< Carol Chen" in page.get_by_role("textbox", name="Text").input_value()
    check_accessibility(page, context="item edit conflict")

    page.get_by_role("button", name="Behåll min text").click()
    expect(page.get_by_role("heading", level=1, name="Exit tickets")).to_be_visible()
    expect(page.get_by_text("Sparat som en ny version.")).to_be_visible()
    saved = Item.objects.get(pk=item.pk)
    assert "Två frågor" in saved.body and saved.version_number == 3

"""The library journey on a phone: quick share, search, filter, open, edit, compare, restore."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.library.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(tmp_path):
    path = tmp_path / "tavlan.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (230, 230, 210)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_a_teacher_shares_from_the_phone_then_finds_edits_and_restores(
    live_server, phone_page, world, tmp_path
):
    page, base = phone_page, live_server.url
    sign_in(page, base, world.bob.email, world.password)

    # Quick share: a title, a few lines and a photo.
    page.goto(base + "/library/share/")
    check_accessibility(page, context="quick share")
    page.get_by_label("Rubrik").fill("Exit tickets i 5B")
    page.get_by_label("Några rader").fill("Tre minuter i slutet. Bra för bedömningen av målen.")
    page.get_by_label("Foto eller fil (frivilligt)").set_input_files(str(photo_file(tmp_path)))
    page.get_by_role("button", name="Dela", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Exit tickets i 5B")).to_be_visible()
    expect(page.get_by_text("Delat. Tack!")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Bild: tavlan"))).to_be_visible()
    check_accessibility(page, context="item page")
    item = Item.objects.get()
    assert item.attachments.count() == 1

    # Search as you type: another inflection of the word finds it.
    page.goto(base + "/library/")
    check_accessibility(page, context="library")
    page.get_by_label("Sök på svenska eller engelska").fill("bedömningar")
    status = page.locator("#library-count")
    page.locator("mark", has_text="bedömningen").wait_for()
    assert "1 objekt" in status.inner_text()
    check_accessibility(page, context="search results")

    # Without å/ä/ö: the results of the word meant, with "Menade du" and a working link.
    page.get_by_label("Sök på svenska eller engelska").fill("bedomningen")
    page.get_by_role("link", name="bedömningen").wait_for()
    assert "Menade du" in status.inner_text()
    check_accessibility(page, context="did you mean")
    page.get_by_role("link", name="bedömningen").click()
    page.locator("mark", has_text="bedömningen").wait_for()
    page.goto(base + "/library/?q=bed%C3%B6mningar")
    page.locator("mark", has_text="bedömningen").wait_for()

    # Filter by type: "lesson plan" hides the tip, "tip" shows it again.
    page.get_by_label("Typ").select_option("lesson_plan")
    page.wait_for_function(
        "() => document.querySelector('#library-count').innerText.includes('0 objekt')"
    )
    page.get_by_label("Typ").select_option("tip")
    page.locator("mark", has_text="bedömningen").wait_for()
    assert "1 objekt" in status.inner_text()

    # Open, edit.
    page.get_by_role("link", name="Exit tickets i 5B").click()
    page.get_by_role("link", name="Redigera").click()
    check_accessibility(page, context="editor")
    page.get_by_label("Text").fill("Fem minuter i slutet. Bra för bedömningen av målen.")
    page.get_by_label("Vad ändrades (frivilligt)").fill("Längre tid")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Sparat som en ny version.")).to_be_visible()
    # Compare the two versions: changes are marked with ins/del, not colour alone.
    page.get_by_role("link", name="Versioner").click()
    page.get_by_role("button", name="Jämför").click()
    expect(page.locator(".diff del", has_text="Tre")).to_be_visible()
    expect(page.locator(".diff ins", has_text="Fem")).to_be_visible()
    check_accessibility(page, context="comparison")

    # Restore the first version: it becomes version 3.
    page.get_by_role("button", name="Återställ version 1").click()
    expect(page.get_by_text("Version 1 återställd som en ny version.")).to_be_visible()
    check_accessibility(page, context="item after restore")
    item.refresh_from_db()
    assert item.version_number == 3 and item.body.startswith("Tre minuter")


def test_the_one_search_box_finds_as_you_type_on_a_phone(live_server, phone_page, world):
    from kollegium.library import services

    item = services.item_create(
        actor=world.bob, school=world.school_a, title="Formativ bedömning i praktiken",
        body="Exit tickets i klassrummet.", visibility="school",
    )  # fmt: skip
    page, base = phone_page, live_server.url
    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/search/")
    check_accessibility(page, context="search box")
    page.get_by_label("Sök på svenska eller engelska").fill("formative assessment")
    link = page.get_by_role("link", name="Formativ bedömning i praktiken")
    link.wait_for()
    expect(page.get_by_role("heading", name=re.compile("Bibliotek"))).to_be_visible()
    check_accessibility(page, context="search box results")
    link.click()
    page.wait_for_url(re.compile(f"{item.get_absolute_url()}$"))


def test_every_kind_is_grouped_on_a_phone_and_reached_by_keyboard(live_server, phone_page, world):
    from kollegium.competence.models import Skill, SkillLevel
    from kollegium.groups.tests.helpers import make_group
    from kollegium.library import services
    from kollegium.questions import services as questions

    question, _token = questions.question_ask(
        actor=world.bob, school=world.school_a, title="Hur gör jag formativ bedömning i matte?"
    )
    questions.answer_post(actor=world.carol, question=question, body="Börja med exit tickets.")
    services.item_create(actor=world.carol, school=world.school_a,
                         title="Formativ bedömning i praktiken")  # fmt: skip
    services.item_create(actor=world.carol, school=world.school_a, item_type="proven_practice",
                         title="Formativ bedömning höjde resultaten")  # fmt: skip
    make_group(world, name="Formativ bedömning 7–9", members=[], minutes_sharing="school")
    skill = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=world.carol, skill=skill, level=4)
    page, base = phone_page, live_server.url
    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/search/")
    box = page.get_by_label("Sök på svenska eller engelska")
    box.focus()
    page.keyboard.type("formativ bedömning", delay=20)
    # Every kind answers in one response; a loaded machine may take a while to send it.
    page.get_by_role("link", name="Hur gör jag formativ bedömning i matte?").wait_for(
        timeout=30_000
    )
    for heading in ("Besvarade frågor", "Bibliotek", "Beprövad erfarenhet",
                    "Grupper att gå med i", "Kollegor efter kompetens"):  # fmt: skip
        expect(page.get_by_role("heading", name=re.compile(f"^{heading}"))).to_be_visible()
    check_accessibility(page, context="search box, every kind")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # From the box, past the search button, to the first result: the answered question.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        f"/questions/{question.pk}/"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/questions/{question.pk}/$"))

"""The competence profile in a real browser: a change is saved without pressing Save, the area
counter follows, "Undo" puts back what was there; desktop and phone, axe on every state."""

import pytest
from playwright.sync_api import expect

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.testing.browser import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_is_saved_at_once_and_can_be_undone(live_server, page, phone_page, world):
    base = live_server.url
    formative = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=world.bob, skill=formative, level=2, evidence="Exit tickets")

    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/competence/")
    check_accessibility(page, context="profile")
    page.locator("#area-assessment > summary").click()
    row = page.locator(f"#skill-{formative.pk}")
    expect(row.get_by_role("button", name="Spara")).to_be_hidden()
    counter = page.locator("#area-count-assessment")
    expect(counter).to_have_text("(1 ifylld)")

    row.get_by_label("Nivå").select_option("4")
    row = page.locator(f"#skill-{formative.pk}")
    expect(row.get_by_role("status")).to_contain_text("Sparad")
    assert SkillLevel.objects.get(user=world.bob, skill=formative).level == 4
    check_accessibility(page, context="profile after an autosave")

    row.get_by_role("button", name="Ångra").click()
    row = page.locator(f"#skill-{formative.pk}")
    expect(row.get_by_role("status")).to_contain_text("Ångrat")
    expect(row.get_by_label("Nivå")).to_have_value("2")
    saved = SkillLevel.objects.get(user=world.bob, skill=formative)
    assert (saved.level, saved.evidence) == (2, "Exit tickets")

    feedback = Skill.objects.get(key="assessment.feedback")
    other = page.locator(f"#skill-{feedback.pk}")
    other.get_by_label("Nivå").select_option("3")
    expect(counter).to_have_text("(2 ifyllda)")

    # Typing a note saves it after a pause, without leaving the field.
    other = page.locator(f"#skill-{feedback.pk}")
    with page.expect_response(lambda r: f"/skills/{feedback.pk}/level/" in r.url):
        other.get_by_label("Belägg (en rad)").fill("Kamratrespons i åk 5")
    expect(page.locator(f"#skill-{feedback.pk}").get_by_role("status")).to_contain_text("Sparad")
    assert SkillLevel.objects.get(user=world.bob, skill=feedback).evidence == (
        "Kamratrespons i åk 5"
    )

    sign_in(phone_page, base, world.bob.email, world.password)
    phone_page.goto(base + "/competence/")
    check_accessibility(phone_page, context="profile on a phone")
    phone_page.locator("#area-assessment > summary").click()
    phone_row = phone_page.locator(f"#skill-{feedback.pk}")
    phone_row.get_by_label("Vill lära mig").check()
    expect(phone_page.locator(f"#skill-{feedback.pk}").get_by_role("status")).to_contain_text(
        "Sparad"
    )
    assert SkillLevel.objects.get(user=world.bob, skill=feedback).want_to_learn
    check_accessibility(phone_page, context="profile on a phone after an autosave")

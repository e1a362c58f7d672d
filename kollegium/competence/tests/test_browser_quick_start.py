"""The profile's quick start in a real browser: one tap per skill saves it at once, on a
desktop and on a phone, by mouse and by keyboard; axe-core on every page."""

import pytest
from playwright.sync_api import expect

from kollegium.competence.models import SkillLevel
from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.organisations.models import Stage, Subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_fills_a_first_profile_of_eight_skills_with_one_tap_each(
    live_server, page, phone_page, world
):
    base = live_server.url
    world.bob.subjects.set(Subject.objects.filter(code="MA"))
    world.bob.stages.set(Stage.objects.filter(code="GR4-6"))

    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/competence/")
    page.get_by_role("link", name="Snabbstart: kompetenser föreslagna för dig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Snabbstart: min kompetensprofil")
    check_accessibility(page, context="quick start")
    skills = page.locator("fieldset.quick-skill")
    assert 8 <= skills.count() <= 12
    for index in range(8):
        skill = skills.nth(index)
        skill.get_by_text("3 säker").click()
        expect(skill.get_by_role("status")).to_have_text("Sparad")
    assert SkillLevel.objects.filter(user=world.bob, level=3).count() == 8  # saved, no Done
    check_accessibility(page, context="quick start, eight skills saved")
    page.get_by_role("button", name="Klar: till min profil").click()
    expect(page.get_by_text("8 kompetenser är sparade i din profil.")).to_be_visible()

    # On a phone, by keyboard: the arrow keys move between the levels and save each one.
    sign_in(phone_page, base, world.bob.email, world.password)
    phone_page.goto(base + "/competence/quick/")
    check_accessibility(phone_page, context="quick start on a phone")
    first = phone_page.locator("fieldset.quick-skill").first
    first.get_by_label("3 säker").focus()
    phone_page.keyboard.press("ArrowRight")
    expect(first.get_by_role("status")).to_have_text("Sparad")
    expect(first.get_by_label("4 kan handleda andra")).to_be_checked()
    assert SkillLevel.objects.filter(user=world.bob, level=4).count() == 1
    check_accessibility(phone_page, context="quick start on a phone, after a change")

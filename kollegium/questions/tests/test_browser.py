"""The competence journey in a real browser: fill in a profile, find who can help, ask
anonymously, answer as someone else, accept. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.questions import services
from kollegium.questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_profile_find_help_ask_anonymously_answer_and_accept(
    live_server, browser, page, world
):
    base = live_server.url
    SkillLevel.objects.create(
        user=world.carol,
        skill=Skill.objects.get(key="inclusion.npf"),
        level=4,
        willing_to_share=True,
        evidence="NPF-utbildning 2024",
    )

    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/competence/")
    expect(page.get_by_role("heading", level=1, name="Min kompetensprofil")).to_be_visible()
    check_accessibility(page, context="profile editor")

    row_id = f"#skill-{Skill.objects.get(key='subject.swedish').pk}"
    row = page.locator(row_id)
    row.get_by_label("Nivå").select_option("3")
    row.get_by_label("Delar gärna").check()
    # Every change saves itself (no Save button): the note after a pause in typing.
    with page.expect_response(lambda r: "evidence=Svensk" in (r.request.post_data or "")):
        row.get_by_label("Belägg (en rad)").fill("Svensklärare i tio år")
    expect(page.locator(row_id).get_by_role("status")).to_contain_text("Sparad")
    expect(page.locator(row_id).get_by_role("button", name="Ångra")).to_be_visible()
    saved = SkillLevel.objects.get(user=world.bob, skill__key="subject.swedish")
    assert (saved.level, saved.willing_to_share, saved.evidence) == (
        3,
        True,
        "Svensklärare i tio år",
    )
    check_accessibility(page, context="profile after saving")

    page.get_by_role("link", name="Vem kan hjälpa mig?").first.click()
    page.get_by_label("Kompetens").select_option("inclusion.npf")
    page.get_by_role("button", name="Sök").click()
    result = page.locator(".help-results li").first
    expect(result).to_contain_text("Carol Chen")
    expect(result).to_contain_text("nivå 4 (kan handleda andra)")
    check_accessibility(page, context="who can help")

    page.get_by_role("link", name="Ställ en fråga i stället (du kan fråga anonymt)").click()
    check_accessibility(page, context="ask")
    # The skill picker: typed words narrow the list, a tick chooses (the select stays hidden).
    page.get_by_role("searchbox").fill("skrivinl")
    expect(page.get_by_label("Formativ bedömning")).to_be_hidden()
    page.get_by_label("Läs- och skrivinlärning").check()
    expect(page.get_by_text("Valda:")).to_contain_text("Läs- och skrivinlärning")
    check_accessibility(page, context="ask, skill picker narrowed")
    page.get_by_label("Din fråga").fill("Hur bemöter jag en elev som vägrar börja?")
    page.get_by_label("Fråga anonymt").check()
    page.get_by_role("button", name="Fråga", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din anonyma fråga är publicerad")
    check_accessibility(page, context="anonymous question posted")
    question = Question.objects.get()
    assert question.is_anonymous and question.author_id is None
    assert {s.key for s in question.skills.all()} == {"inclusion.npf", "literacy.early_reading"}
    # Colleagues see an anonymous question once the hourly batch has routed it.
    assert services.questions_route_waiting(now=timezone.now() + timedelta(hours=1)) == 1

    carol_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    carol = carol_context.new_page()
    sign_in(carol, base, world.carol.email, world.password)
    carol.goto(f"{base}/questions/")
    check_accessibility(carol, context="questions list (phone)")
    carol.get_by_role("link", name="Hur bemöter jag en elev som vägrar börja?").click()
    expect(carol.get_by_text("Anonym fråga")).to_be_visible()
    expect(carol.get_by_text("Bob Berg")).to_have_count(0)
    carol.get_by_label("Ditt svar").fill("Börja med ett första steg som tar en minut.")
    carol.get_by_role("button", name="Skicka svaret").click()
    expect(carol.get_by_text("Tack för ditt svar.")).to_be_visible()
    check_accessibility(carol, context="question after answering (phone)")
    carol_context.close()

    page.goto(f"{base}/questions/")
    page.locator("#mine-heading + ul").get_by_role("link").first.click()
    expect(page.get_by_text("Du frågade anonymt.")).to_be_visible()
    check_accessibility(page, context="own anonymous question")
    page.get_by_role("button", name="Godkänn det här svaret").click()
    expect(page.get_by_text("godkänt svar")).to_be_visible()
    check_accessibility(page, context="accepted")
    question.refresh_from_db()
    assert question.accepted_answer.author == world.carol

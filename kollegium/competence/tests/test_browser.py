"""The owner's development staff in a real browser: from the competence page to the counts
across the owner's schools, filtered. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from kollegium.competence.models import FocusSkill, Skill, SkillLevel
from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.organisations.models import DevelopmentFocus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_development_staff_open_the_coverage_across_the_schools(
    live_server, page, phone_page, world, jonas
):
    base = live_server.url
    # The owner's lowest minimum group size, so the three-person test school is counted.
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])
    formative = Skill.objects.get(key="assessment.formative")
    SkillLevel.objects.create(user=world.bob, skill=formative, level=4, willing_to_share=True)
    SkillLevel.objects.create(user=world.dave, skill=formative, level=3)
    SkillLevel.objects.create(
        user=world.dave, skill=Skill.objects.get(key="inclusion.npf"), level=4
    )
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Formativ bedömning")
    FocusSkill.objects.create(focus=focus, skill=formative)

    sign_in(page, base, jonas.email, world.password)
    page.goto(base + "/competence/")
    check_accessibility(page, context="profile of development staff")
    page.get_by_role("link", name="Täckning på skolorna i Exempelstads kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Täckning på skolorna – Exempelstads kommun"
    )
    expect(page.get_by_text("aldrig för bedömning")).to_be_visible()
    schools = page.get_by_role("table", name="Sårbara kompetenser och luckor per skola")
    expect(schools.get_by_role("row", name="Skola A")).to_be_visible()
    expect(page.get_by_text("Bob Berg")).to_have_count(0)
    check_accessibility(page, context="owner coverage")

    page.get_by_label("Bara kompetenser som är i fokus någonstans").check()
    page.get_by_label("Skolornas ordning").select_option("risk")
    page.get_by_role("button", name="Filtrera").click()
    skills = page.get_by_role(
        "table", name="Antal skolor per täckning inom Bedömning och återkoppling"
    )
    row = skills.get_by_role("row").filter(has_text="Formativ bedömning")
    expect(row).to_contain_text("fokus")
    expect(page.get_by_text("NPF")).to_have_count(0)
    check_accessibility(page, context="owner coverage, only focus skills")

    # On a phone the tables scroll sideways: the keyboard reaches them and axe still passes.
    sign_in(phone_page, base, jonas.email, world.password)
    phone_page.goto(f"{base}/competence/owner/{world.owner.pk}/coverage/")
    region = phone_page.get_by_role("region", name="Sårbara kompetenser och luckor per skola")
    expect(region).to_be_visible()
    check_accessibility(phone_page, context="owner coverage on a phone")

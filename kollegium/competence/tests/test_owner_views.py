"""The owner-wide coverage page: who sees it, what it shows (counts, never names), filters,
bad input, and a constant number of queries."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from kollegium.competence.models import FocusSkill, Skill, SkillLevel
from kollegium.core.testing.factories import OwnerFactory, SchoolFactory, UserFactory, teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import DevelopmentFocus, OwnerStaff, Role

pytestmark = pytest.mark.django_db

FORMATIVE = "assessment.formative"


@pytest.fixture(autouse=True)
def schools_of_three(world):
    """Both schools at the owner's lowest minimum group size (three active people), so both are
    counted (a school below it is in no count: test_min_group_size.py)."""
    for _ in range(2):
        teacher_at(world.school_b, Role.TEACHER)
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])


def url(owner):
    return reverse("competence:owner_coverage", args=[owner.pk])


def rate(user, key=FORMATIVE, level=4, evidence=""):
    return SkillLevel.objects.create(
        user=user, skill=Skill.objects.get(key=key), level=level, evidence=evidence
    )


def test_development_staff_see_counts_across_the_owners_schools(client_for, world, jonas):
    rate(world.bob, evidence="Exit tickets i alla klasser")
    rate(world.carol, level=3)
    rate(world.dave)
    page = client_for(jonas).get(url(world.owner))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Exempelstads kommun" in html
    assert "Skola A" in html and "Skola B" in html
    assert "Formativ bedömning" in html
    # Aggregates only: no holder's or learner's name, email or evidence anywhere.
    for person in (world.alice, world.bob, world.carol, world.dave):
        assert person.full_name not in html
        assert person.email not in html
    assert "Exit tickets" not in html
    assert "aldrig för bedömning" in html  # "never for evaluation"
    assert '<th scope="col">' in html and "<caption" in html


def test_the_page_is_in_english_for_people_who_chose_english(client_for, world, jonas):
    jonas.preferred_language = "en"
    jonas.save()
    html = client_for(jonas).get(url(world.owner)).content.decode()
    assert "Coverage across the schools" in html
    assert "never for evaluation" in html
    assert "Formative assessment" in html


def test_people_at_the_schools_even_leaders_get_404(client_for, world):
    for person in (world.alice, world.bob, world.carol, world.dave):
        assert client_for(person).get(url(world.owner)).status_code == 404


def test_staff_of_another_owner_get_404(client_for, world):
    other = OwnerFactory()
    stranger = UserFactory()
    OwnerStaff.objects.create(user=stranger, owner=other)
    assert client_for(stranger).get(url(world.owner)).status_code == 404
    assert client_for(stranger).get(url(other)).status_code == 200


def test_a_school_or_a_missing_owner_answers_404(client_for, world, jonas):
    c = client_for(jonas)
    assert c.get(reverse("competence:owner_coverage", args=[world.school_a.pk])).status_code == 404
    assert c.get(reverse("competence:owner_coverage", args=[999_999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(url(world.owner))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_page_links_staff_to_the_owner_page_and_nobody_else(client_for, world, jonas):
    link = url(world.owner)
    assert link in client_for(jonas).get(reverse("competence:profile")).content.decode()
    for person in (world.alice, world.bob, world.dave):
        assert link not in client_for(person).get(reverse("competence:profile")).content.decode()


def test_filters_keep_an_area_and_the_focus_skills(client_for, world, jonas):
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Bedömning")
    FocusSkill.objects.create(focus=focus, skill=Skill.objects.get(key=FORMATIVE))
    c = client_for(jonas)
    html = c.get(url(world.owner), {"area": "inclusion"}).content.decode()
    assert "NPF" in html and "Formativ bedömning" not in html
    html = c.get(url(world.owner), {"focus": "on"}).content.decode()
    assert "Formativ bedömning" in html and "NPF" not in html
    html = c.get(url(world.owner), {"order": "risk"}).content.decode()
    assert html.index("Skola A") < html.index("Skola B")


def test_bad_filter_input_gets_a_message_and_the_whole_page(client_for, world, jonas):
    response = client_for(jonas).get(url(world.owner), {"area": "<script>", "order": "sideways"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Välj ett giltigt alternativ" in html or "Select a valid choice" in html
    assert "<script>" not in html
    assert "Formativ bedömning" in html  # unfiltered


def test_the_page_runs_a_constant_number_of_queries(client_for, world, jonas):
    c = client_for(jonas)
    counter = itertools.count()
    skills = list(Skill.objects.filter(school=None, network=None)[:30])

    def grow():
        for _ in range(4):
            school = SchoolFactory(parent=world.owner)
            focus = DevelopmentFocus.objects.create(school=school, title="Fokus")
            FocusSkill.objects.bulk_create([FocusSkill(focus=focus, skill=s) for s in skills[:5]])
            for _ in range(6):
                person = teacher_at(school, Role.TEACHER, email=f"t{next(counter)}@x.example")
                SkillLevel.objects.bulk_create(
                    [
                        SkillLevel(user=person, skill=s, level=1 + i % 4)
                        for i, s in enumerate(skills)
                    ]
                )

    grow()
    count = assert_constant_queries(lambda: c.get(url(world.owner)), grow)
    assert count <= 14


def test_an_installation_administrator_may_open_the_page(world):
    admin = UserFactory(is_staff=True)
    c = Client()
    c.force_login(admin)
    assert c.get(url(world.owner)).status_code == 200

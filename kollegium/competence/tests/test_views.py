"""Competence pages: access for the personas, behaviour, and constant query counts."""

import itertools

import pytest
from django.urls import reverse

from kollegium.competence.models import CompetenceProfile, Endorsement, Skill, SkillLevel
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import DevelopmentFocus, Role

pytestmark = pytest.mark.django_db


def skill(key="assessment.formative"):
    return Skill.objects.get(key=key)


def level(user, key="assessment.formative", value=4, share=True, want=False, evidence=""):
    return SkillLevel.objects.create(
        user=user,
        skill=skill(key),
        level=value,
        willing_to_share=share,
        want_to_learn=want,
        evidence=evidence,
    )


def school_urls(world):
    a = world.school_a.pk
    return [
        reverse("competence:matrix", args=[a]),
        reverse("competence:matrix_export", args=[a]),
        reverse("competence:coverage", args=[a]),
        reverse("competence:skill_create", args=[a]),
    ]


def test_a_teacher_sees_and_fills_in_her_profile(client_for, bob):
    c = client_for(bob)
    page = c.get(reverse("competence:profile"))
    assert page.status_code == 200
    assert "Formativ bedömning" in page.content.decode()
    response = c.post(
        reverse("competence:level_save", args=[skill().pk]),
        {"level": "3", "willing_to_share": "on", "evidence": "Exit tickets varje vecka"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert (
        'role="status">Sparad<' in response.content.decode()
        or ">Saved<" in response.content.decode()
    )
    saved = SkillLevel.objects.get(user=bob)
    assert (saved.level, saved.willing_to_share, saved.evidence) == (
        3,
        True,
        "Exit tickets varje vecka",
    )


def test_a_level_outside_one_to_four_is_refused_and_nothing_is_saved(client_for, bob):
    response = client_for(bob).post(
        reverse("competence:level_save", args=[skill().pk]),
        {"level": "7"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert not SkillLevel.objects.filter(user=bob).exists()


def test_clearing_the_level_removes_the_skill_from_the_profile(client_for, bob):
    level(bob)
    client_for(bob).post(reverse("competence:level_save", args=[skill().pk]), {"level": ""})
    assert not SkillLevel.objects.filter(user=bob).exists()


def test_the_holder_is_told_when_they_are_the_only_one_at_the_school(client_for, bob, carol):
    level(bob, value=4)
    level(carol, value=1, share=False, want=True)
    page = client_for(bob).get(reverse("competence:profile")).content.decode()
    assert "Formativ bedömning" in page
    assert "enda" in page or "only one" in page


def test_pages_need_sign_in(client, world):
    for url in [reverse("competence:profile"), reverse("competence:help"), *school_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_leader_pages_are_for_the_schools_leader_only(client_for, world):
    for url in school_urls(world):
        assert client_for(world.alice).get(url).status_code == 200, url
        assert client_for(world.bob).get(url).status_code == 404, url
        assert client_for(world.dave).get(url).status_code == 404, url


def test_dave_never_sees_school_a_levels(client_for, world):
    level(world.bob, evidence="Läslyftet två gånger")
    dave = client_for(world.dave)
    assert dave.get(reverse("competence:person", args=[world.bob.pk])).status_code == 404
    found = dave.get(reverse("competence:help"), {"skill": "assessment.formative"})
    assert "Bob Berg" not in found.content.decode()
    assert "Läslyftet" not in found.content.decode()
    assert (
        dave.get(reverse("competence:matrix_export", args=[world.school_a.pk])).status_code == 404
    )


def test_a_network_opt_in_makes_levels_visible_to_network_colleagues(client_for, world):
    level(world.bob)
    CompetenceProfile.objects.create(user=world.bob, visible_in_network=True)
    dave = client_for(world.dave)
    assert dave.get(reverse("competence:person", args=[world.bob.pk])).status_code == 200
    found = dave.get(reverse("competence:help"), {"skill": "assessment.formative"})
    assert "Bob Berg" in found.content.decode()


def test_who_can_help_lists_own_school_first_with_a_one_line_explanation(client_for, world):
    level(world.carol, value=4)
    level(world.alice, value=3, share=False)
    CompetenceProfile.objects.create(user=world.dave, visible_in_network=True)
    level(world.dave, value=4)
    page = (
        client_for(world.bob)
        .get(reverse("competence:help"), {"skill": "assessment.formative"})
        .content.decode()
    )
    assert page.index("Carol Chen") < page.index("Alice Andersson") < page.index("Dave Dahl")
    assert "i ditt arbetslag" in page or "in your team" in page


def test_free_text_finds_people_by_ask_me_about(client_for, world):
    world.carol.ask_me_about = "exit tickets och Scratch"
    world.carol.save()
    page = client_for(world.bob).get(reverse("competence:help"), {"q": "scratch"})
    assert "Carol Chen" in page.content.decode()


def test_colleagues_endorse_once(client_for, world):
    lvl = level(world.bob)
    c = client_for(world.carol)
    c.post(reverse("competence:endorse", args=[lvl.pk]))
    c.post(reverse("competence:endorse", args=[lvl.pk]))
    assert Endorsement.objects.filter(skill_level=lvl).count() == 1
    assert (
        client_for(world.dave).post(reverse("competence:endorse", args=[lvl.pk])).status_code == 404
    )


def test_the_matrix_says_it_is_not_for_evaluation_and_shows_levels(client_for, world):
    level(world.bob, value=3)
    page = client_for(world.alice).get(reverse("competence:matrix", args=[world.school_a.pk]))
    text = page.content.decode()
    assert "aldrig för att bedöma" in text or "never for evaluating" in text
    assert "Bob Berg" in text


def test_the_matrix_filters_by_team(client_for, world):
    level(world.bob)
    level(world.alice)
    page = (
        client_for(world.alice)
        .get(reverse("competence:matrix", args=[world.school_a.pk]), {"team": world.team_a.pk})
        .content.decode()
    )
    assert "Bob Berg" in page and "Alice Andersson" not in page


def test_coverage_shows_gaps_vulnerable_skills_and_pairs_for_focus_areas(client_for, world):
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Bedömning")
    c = client_for(world.alice)
    c.post(
        reverse("competence:focus_skills", args=[world.school_a.pk, focus.pk]),
        {"skills": [skill().pk, skill("digital.ai").pk]},
    )
    level(world.bob, value=4)
    level(world.carol, value=1, share=False, want=True)
    page = c.get(reverse("competence:coverage", args=[world.school_a.pk])).content.decode()
    assert "AI i undervisningen" in page  # a gap
    assert "sårbar" in page or "vulnerable" in page
    assert "Carol Chen" in page  # in a suggested pair


_serial = itertools.count()


def _grow_school(world, people=20, skills=40):
    keys = list(Skill.objects.values_list("key", flat=True)[:skills])
    for i in range(people):
        person = teacher_at(world.school_a, Role.TEACHER, email=f"t{next(_serial)}@a.example")
        SkillLevel.objects.bulk_create(
            [
                SkillLevel(
                    user=person,
                    skill=Skill.objects.get(key=k),
                    level=1 + (i + j) % 4,
                    willing_to_share=bool(j % 2),
                )
                for j, k in enumerate(keys)
            ]
        )


def _grow_to_120_people_and_150_skills(world):
    from kollegium.competence.models import SkillArea
    from kollegium.core.testing.factories import UserFactory
    from kollegium.organisations.models import Membership

    area = SkillArea.objects.get(key="development")
    have = Skill.objects.filter(school=None, network=None).count()
    Skill.objects.bulk_create(
        [
            Skill(
                key=f"school{world.school_a.pk}.extra_{i}",
                area=area,
                name_sv=f"Extra {i}",
                name_en=f"Extra {i}",
                school=world.school_a,
            )
            for i in range(150 - have)
        ]
    )
    skills = list(Skill.objects.filter(is_retired=False))
    assert len(skills) == 150
    people = [UserFactory(email=f"m{next(_serial)}@a.example") for _ in range(117)]
    Membership.objects.bulk_create(
        [Membership(user=p, school=world.school_a, role=Role.TEACHER) for p in people]
    )
    SkillLevel.objects.bulk_create(
        [
            SkillLevel(user=p, skill=s, level=1 + (i + j) % 4, willing_to_share=bool(j % 2))
            for i, p in enumerate(people)
            for j, s in enumerate(skills)
        ]
    )


def test_the_matrix_runs_a_constant_number_of_queries_up_to_120_people_and_150_skills(
    client_for, world
):
    c = client_for(world.alice)
    url = reverse("competence:matrix", args=[world.school_a.pk])
    level(world.bob)
    responses = []

    def fetch():
        responses.append(c.get(url))
        return responses[-1]

    assert_constant_queries(fetch, grow=lambda: _grow_to_120_people_and_150_skills(world))
    assert len(responses[-1].context["matrix"].people) == 120
    assert len(responses[-1].context["matrix"].skills) == 150


def test_coverage_runs_a_constant_number_of_queries(client_for, world):
    c = client_for(world.alice)
    url = reverse("competence:coverage", args=[world.school_a.pk])
    level(world.bob)
    assert_constant_queries(lambda: c.get(url), grow=lambda: _grow_school(world))


def test_profile_and_help_run_a_constant_number_of_queries(client_for, world):
    c = client_for(world.bob)
    level(world.carol)
    for url in [
        reverse("competence:profile"),
        reverse("competence:help") + "?skill=assessment.formative&q=bed",
        reverse("competence:person", args=[world.carol.pk]),
    ]:
        assert_constant_queries(lambda url=url: c.get(url), grow=lambda: _grow_school(world, 5))


def test_a_leader_adds_a_network_skill_through_the_form(client_for, world):
    from kollegium.competence.models import SkillArea

    response = client_for(world.alice).post(
        reverse("competence:skill_create", args=[world.school_a.pk]),
        {
            "network": world.network.pk,
            "area": SkillArea.objects.get(key="collegial").pk,
            "name_sv": "Nätverksträffar",
            "name_en": "Network meetings",
        },
    )
    assert response.status_code == 302
    skill = Skill.objects.get(name_sv="Nätverksträffar")
    assert skill.network == world.network
    page = client_for(world.alice).get(reverse("competence:skill_create", args=[world.school_a.pk]))
    assert "Nätverket" in page.content.decode()


def test_focus_and_skill_pages_run_a_constant_number_of_queries(client_for, world):
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Läsning")
    c = client_for(world.alice)
    for url in [
        reverse("competence:focus_skills", args=[world.school_a.pk, focus.pk]),
        reverse("competence:skill_create", args=[world.school_a.pk]),
    ]:
        assert_constant_queries(lambda url=url: c.get(url), grow=lambda: _grow_school(world, 3))

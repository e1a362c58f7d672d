"""The profile's quick start and the school types: access, saving, bad input, query counts."""

import pytest
from django.urls import reverse

from kollegium.competence import services
from kollegium.competence.models import SchoolTypes, Skill, SkillLevel
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import Role, Stage, Subject

pytestmark = pytest.mark.django_db

QUICK = "/competence/quick/"


def teaches(user, subjects=(), stages=()):
    user.subjects.set(Subject.objects.filter(code__in=subjects))
    user.stages.set(Stage.objects.filter(code__in=stages))


def test_the_quick_start_is_reachable_from_the_profile(client_for, bob):
    page = client_for(bob).get(reverse("competence:profile")).content.decode()
    assert f'href="{QUICK}"' in page


def test_a_maths_teacher_gets_maths_skills_and_no_preschool_play(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    response = client_for(bob).get(QUICK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Problemlösning" in page
    assert page.count('class="card quick-skill"') >= 8
    assert page.count('class="card quick-skill"') <= 12
    assert Skill.objects.get(key="subject.preschool_play").name_sv not in page


def test_one_tap_saves_that_level_at_once(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    skill = Skill.objects.get(key="mathematics.problem_solving")
    response = client_for(bob).post(
        QUICK, {f"level-{skill.pk}": "3"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Sparad" in response.content.decode()
    assert SkillLevel.objects.get(user=bob, skill=skill).level == 3


def test_a_tap_keeps_what_else_the_person_noted(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    skill = Skill.objects.get(key="mathematics.problem_solving")
    SkillLevel.objects.create(
        user=bob, skill=skill, level=2, willing_to_share=True, evidence="Matematiklyftet"
    )
    client_for(bob).post(QUICK, {f"level-{skill.pk}": "4"}, headers={"HX-Request": "true"})
    saved = SkillLevel.objects.get(user=bob, skill=skill)
    assert (saved.level, saved.willing_to_share, saved.evidence) == (4, True, "Matematiklyftet")


def test_not_for_me_removes_a_level(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    skill = Skill.objects.get(key="mathematics.problem_solving")
    SkillLevel.objects.create(user=bob, skill=skill, level=2)
    client_for(bob).post(QUICK, {f"level-{skill.pk}": "0"}, headers={"HX-Request": "true"})
    assert not SkillLevel.objects.filter(user=bob, skill=skill).exists()


def test_without_javascript_the_whole_form_saves_and_goes_to_the_profile(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    keys = ["mathematics.problem_solving", "mathematics.discussions", "mathematics.number_sense"]
    skills = Skill.objects.filter(key__in=keys)
    data = {f"level-{s.pk}": str(n) for n, s in enumerate(skills, start=2)}
    response = client_for(bob).post(QUICK, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("competence:profile")
    assert "3 kompetenser är sparade" in response.content.decode()
    assert SkillLevel.objects.filter(user=bob).count() == 3


@pytest.mark.parametrize("value", ["5", "x", "-1", "²", "9" * 20])
def test_a_bad_level_saves_nothing_and_says_why(client_for, bob, value):
    teaches(bob, ["MA"], ["GR4-6"])
    first, second = Skill.objects.filter(key__in=["mathematics.problem_solving", "digital.ai"])
    response = client_for(bob).post(QUICK, {f"level-{first.pk}": "3", f"level-{second.pk}": value})
    assert response.status_code == 422
    assert "Inget sparades" in response.content.decode()
    assert not SkillLevel.objects.filter(user=bob).exists()


def test_an_empty_form_saves_nothing_and_says_so(client_for, bob):
    response = client_for(bob).post(QUICK, {})
    assert response.status_code == 422
    assert not SkillLevel.objects.filter(user=bob).exists()


def test_a_skill_outside_the_suggestions_is_ignored(client_for, bob):
    teaches(bob, ["MA"], ["GR4-6"])
    other = Skill.objects.get(key="subject.vocational")
    client_for(bob).post(QUICK, {f"level-{other.pk}": "3"})
    assert not SkillLevel.objects.filter(user=bob).exists()


def test_the_quick_start_asks_an_anonymous_visitor_to_sign_in(client):
    assert client.get(QUICK)["Location"].startswith("/accounts/login/")
    assert client.post(QUICK, {})["Location"].startswith("/accounts/login/")


def test_dave_gets_his_own_suggestions_and_changes_only_his_own(client_for, world):
    teaches(world.dave, ["SV"], ["GR7-9"])
    skill = Skill.objects.get(key="subject.swedish")
    assert client_for(world.dave).get(QUICK).status_code == 200
    client_for(world.dave).post(QUICK, {f"level-{skill.pk}": "4"}, headers={"HX-Request": "true"})
    assert SkillLevel.objects.get(skill=skill).user == world.dave


def test_the_quick_start_runs_a_constant_number_of_queries(client_for, world):
    bob = world.bob
    teaches(bob, ["MA", "SV"], ["GR4-6"])
    c = client_for(bob)
    keys = iter(["mathematics.problem_solving", "subject.swedish", "assessment.formative"])

    def grow():
        SkillLevel.objects.create(user=bob, skill=Skill.objects.get(key=next(keys)), level=3)
        teacher_at(world.school_a, Role.TEACHER).stages.set(Stage.objects.filter(code="GR1-3"))

    assert_constant_queries(lambda: c.get(QUICK), grow=grow)


# --- school types -----------------------------------------------------------------------


def coverage_page(client):
    return client.get(reverse("competence:coverage", args=[client.school.pk])).content.decode()


def _three_people_are_enough(world):
    # School A's three people are fewer than the default minimum group size for figures; the
    # heat map (which lists the skills) needs the owner to allow groups of three.
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])


def test_a_compulsory_school_has_no_vocational_gap(client_for, world):
    _three_people_are_enough(world)
    teaches(world.bob, ["MA"], ["GR4-6"])  # the school's types follow its people's stages
    page = client_for(world.alice).get(reverse("competence:coverage", args=[world.school_a.pk]))
    text = page.content.decode()
    assert "Yrkesämnen" not in text and "Förskolans lek" not in text.replace("&#x27;", "'")
    assert Skill.objects.get(key="assessment.formative").name_sv in text


def test_a_leader_sets_the_school_types(client_for, world):
    _three_people_are_enough(world)
    url = reverse("competence:school_types", args=[world.school_a.pk])
    response = client_for(world.alice).post(url, {"types": ["compulsory", "upper_secondary"]})
    assert response.status_code == 302
    assert SchoolTypes.objects.get(school=world.school_a).key_set == {
        "compulsory",
        "upper_secondary",
    }
    text = client_for(world.alice).get(reverse("competence:coverage", args=[world.school_a.pk]))
    assert Skill.objects.get(key="subject.vocational").name_sv in text.content.decode()
    assert "Förskolans" not in Skill.objects.get(key="subject.preschool_play").name_sv or (
        Skill.objects.get(key="subject.preschool_play").name_sv not in text.content.decode()
    )


@pytest.mark.parametrize("types", [[], ["nursery"], ["compulsory", "x" * 300]])
def test_bad_school_types_save_nothing(client_for, world, types):
    url = reverse("competence:school_types", args=[world.school_a.pk])
    response = client_for(world.alice).post(url, {"types": types}, follow=True)
    assert response.status_code == 200
    assert not SchoolTypes.objects.exists()
    assert 'class="alert alert-error"' in response.content.decode() or "error" in str(
        list(response.context["messages"])
    )


def test_only_the_schools_leader_sets_its_types(client_for, world, client):
    url = reverse("competence:school_types", args=[world.school_a.pk])
    assert client_for(world.bob).post(url, {"types": ["compulsory"]}).status_code == 404
    assert client_for(world.dave).post(url, {"types": ["compulsory"]}).status_code == 404
    assert client.post(url, {"types": ["compulsory"]})["Location"].startswith("/accounts/login/")
    assert not SchoolTypes.objects.exists()


def test_the_service_refuses_a_teacher(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.school_types_set(actor=world.bob, school=world.school_a, types=["compulsory"])

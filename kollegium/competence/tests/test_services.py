"""Competence services and selectors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.competence import selectors, services
from kollegium.competence.models import Skill, SkillArea, SkillLevel
from kollegium.competence.risk import Coverage
from kollegium.core.testing.factories import NetworkFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def formative():
    return Skill.objects.get(key="assessment.formative")


def test_a_level_is_set_updated_and_checked(world):
    services.skill_level_set(actor=world.bob, skill=formative(), level=2, want_to_learn=True)
    services.skill_level_set(actor=world.bob, skill=formative(), level=3, willing_to_share=True)
    level = SkillLevel.objects.get(user=world.bob)
    assert (level.level, level.willing_to_share, level.want_to_learn) == (3, True, False)
    for bad in (0, 5, "x", None):
        with pytest.raises(ValidationError):
            services.skill_level_set(actor=world.bob, skill=formative(), level=bad)
    with pytest.raises(ValidationError):
        services.skill_level_set(actor=world.bob, skill=formative(), level=3, evidence="x" * 201)
    assert SkillLevel.objects.get(user=world.bob).level == 3


def test_endorsements_are_once_per_colleague_and_never_for_oneself_or_strangers(world):
    level = services.skill_level_set(actor=world.bob, skill=formative(), level=4)
    services.endorsement_add(actor=world.carol, skill_level=level)
    with pytest.raises(ValidationError):
        services.endorsement_add(actor=world.carol, skill_level=level)
    with pytest.raises(ValidationError):
        services.endorsement_add(actor=world.bob, skill_level=level)
    with pytest.raises(PermissionDenied):
        services.endorsement_add(actor=world.dave, skill_level=level)


def test_a_leader_adds_a_skill_for_the_school_and_one_for_the_network(world):
    area = SkillArea.objects.get(key="collegial")
    own = services.custom_skill_create(
        actor=world.alice, school=world.school_a, area=area, name_sv="Vår läsmodell"
    )
    shared = services.custom_skill_create(
        actor=world.alice,
        school=world.school_a,
        area=area,
        name_sv="Nätverkets lärportal",
        network=world.network,
    )
    assert own.key.startswith(f"school{world.school_a.pk}.") and own.school == world.school_a
    assert shared.network == world.network and shared.school is None
    dave_skills = set(selectors.skills_for_user(world.dave))
    assert shared in dave_skills and own not in dave_skills
    assert own in set(selectors.skills_for_user(world.bob))
    with pytest.raises(ValidationError):
        services.custom_skill_create(
            actor=world.alice, school=world.school_a, area=area, name_sv="vår läsmodell"
        )
    with pytest.raises(ValidationError):
        services.custom_skill_create(
            actor=world.alice,
            school=world.school_a,
            area=area,
            name_sv="X",
            network=NetworkFactory(name="Annat nätverk"),
        )
    with pytest.raises(PermissionDenied):
        services.custom_skill_create(
            actor=world.bob, school=world.school_a, area=area, name_sv="Bobs kompetens"
        )
    with pytest.raises(ValidationError):
        services.skill_level_set(actor=world.dave, skill=own, level=3)


def test_focus_skills_are_limited_to_skills_the_school_can_use(world):
    from kollegium.organisations.models import DevelopmentFocus

    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Läsning")
    other = SchoolFactory(name="Skola C")
    foreign = Skill.objects.create(
        key="schoolx.foo",
        area=SkillArea.objects.first(),
        name_sv="Främmande",
        name_en="F",
        school=other,
    )
    with pytest.raises(ValidationError):
        services.focus_skills_set(actor=world.alice, focus=focus, skills=[foreign])
    with pytest.raises(PermissionDenied):
        services.focus_skills_set(actor=world.bob, focus=focus, skills=[formative()])
    services.focus_skills_set(actor=world.alice, focus=focus, skills=[formative()])
    assert list(focus.focus_skills.values_list("skill__key", flat=True)) == ["assessment.formative"]


def test_sole_holdings_and_the_school_coverage(world):
    services.skill_level_set(actor=world.bob, skill=formative(), level=4, willing_to_share=True)
    services.skill_level_set(actor=world.carol, skill=formative(), level=1, want_to_learn=True)
    (holding,) = selectors.sole_holdings(user=world.bob)
    assert holding.skill == formative() and holding.learners == 1
    assert selectors.sole_holdings(user=world.carol) == []
    coverage = selectors.school_coverage(school=world.school_a)
    (row,) = [r for r in coverage.rows if r.skill == formative()]
    assert (row.coverage, row.sole_holder, row.learners) == (Coverage.VULNERABLE, world.bob, 1)
    assert [(p[1], p[2]) for p in coverage.pairs] == [(world.bob, world.carol)]
    (row_b,) = [
        r for r in selectors.school_coverage(school=world.school_b).rows if r.skill == formative()
    ]
    assert row_b.coverage is Coverage.GAP


def test_a_transfer_pair_becomes_a_mentoring_group(world):
    services.skill_level_set(actor=world.carol, skill=formative(), level=4, willing_to_share=True)
    services.skill_level_set(actor=world.bob, skill=formative(), level=1, want_to_learn=True)
    group = services.transfer_pair_start(
        actor=world.alice,
        school=world.school_a,
        skill=formative(),
        holder=world.carol,
        learner=world.bob,
    )
    members = set(group.memberships.values_list("user_id", flat=True))
    assert {world.carol.pk, world.bob.pk} <= members
    with pytest.raises(ValidationError):
        services.transfer_pair_start(
            actor=world.alice,
            school=world.school_a,
            skill=formative(),
            holder=world.bob,
            learner=world.carol,
        )
    with pytest.raises(PermissionDenied):
        services.transfer_pair_start(
            actor=world.bob,
            school=world.school_a,
            skill=formative(),
            holder=world.carol,
            learner=world.bob,
        )

"""The coverage heat map counts people per level; a leader sees it only when the school has at
least the owner's minimum group size of active people (issue 12)."""

import pytest
from django.urls import reverse

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.testing.factories import teacher_at

pytestmark = pytest.mark.django_db


def _coverage(client_for, world) -> str:
    url = reverse("competence:coverage", args=[world.school_a.pk])
    return client_for(world.alice).get(url).content.decode()


def _levels(world, people):
    skill = Skill.objects.filter(school=None, network=None).order_by("pk").first()
    for level, person in enumerate(people, start=1):
        SkillLevel.objects.create(user=person, skill=skill, level=min(level, 4))


def test_a_school_below_the_minimum_shows_no_heat_map(client_for, world):
    _levels(world, [world.bob, world.carol])
    html = _coverage(client_for, world)
    assert "För få för att visas" in html
    assert "minst 5 personer" in html
    assert 'class="num h1"' not in html and "Antal personer per nivå" not in html


def test_at_the_minimum_the_heat_map_is_shown(client_for, world):
    people = [world.bob, world.carol, teacher_at(world.school_a), teacher_at(world.school_a)]
    _levels(world, people)  # with Alice: five people at the school
    html = _coverage(client_for, world)
    assert "Antal personer per nivå" in html and "minst 5 personer" not in html


def test_the_owner_chooses_the_minimum(client_for, world):
    world.owner.min_group_size = 6
    world.owner.save(update_fields=["min_group_size"])
    _levels(world, [world.bob, world.carol, teacher_at(world.school_a), teacher_at(world.school_a)])
    assert "minst 6 personer" in _coverage(client_for, world)


def test_owner_staff_see_too_few_for_a_school_below_the_minimum(client_for, world):
    from kollegium.core.testing.factories import UserFactory
    from kollegium.organisations.models import OwnerStaff

    staff = UserFactory()
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    for _ in range(3):  # School A: Alice, Bob, Carol and three more; School B: Dave alone
        teacher_at(world.school_a)
    _levels(world, [world.bob])  # one holder at School A: a vulnerable skill there
    url = reverse("competence:owner_coverage", args=[world.owner.pk])
    html = client_for(staff).get(url, {"order": "risk"}).content.decode()
    schools = html.split('id="schools-heading"', 1)[1]
    row_b = schools.split(world.school_b.display_name, 1)[1].split("</tr>", 1)[0]
    row_a = schools.split(world.school_a.display_name, 1)[1].split("</tr>", 1)[0]
    assert "För få för att visas" in row_b and 'class="num' not in row_b
    assert "För få" not in row_a and 'class="num' in row_a
    # The school too small to show comes last, whatever its risk.
    assert schools.index(world.school_a.display_name) < schools.index(world.school_b.display_name)


def test_owner_staff_are_told_which_schools_are_in_no_count(client_for, world):
    from kollegium.core.testing.factories import UserFactory
    from kollegium.organisations.models import OwnerStaff

    staff = UserFactory()
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    for _ in range(2):
        teacher_at(world.school_a)  # School A: five; School B: Dave alone
    _levels(world, [world.dave])  # Dave's level must not move the skill counts
    url = reverse("competence:owner_coverage", args=[world.owner.pk])
    html = client_for(staff).get(url).content.decode()
    assert "1 skola med färre än 5 aktiva personer räknas inte" in html

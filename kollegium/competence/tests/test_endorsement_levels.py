"""Endorsements are for levels 3–4 only, in the service and on the page (issue 10).

Before, the page hid the button below level 3 but the service accepted any level, so a
colleague (of the same or another school in the network) could endorse a level 1 or 2 by
posting the form directly.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kollegium.competence import services
from kollegium.competence.models import CompetenceProfile, Endorsement, Skill, SkillLevel

pytestmark = pytest.mark.django_db


def skill(key="assessment.formative"):
    return Skill.objects.get(key=key)


def bob_at(world, level: int, key="assessment.formative") -> SkillLevel:
    return services.skill_level_set(actor=world.bob, skill=skill(key), level=level)


@pytest.mark.parametrize("value", [1, 2])
def test_the_service_refuses_to_endorse_levels_below_3(world, value):
    level = bob_at(world, value)
    with pytest.raises(ValidationError) as caught:
        services.endorsement_add(actor=world.carol, skill_level=level)
    assert "3" in " ".join(caught.value.messages)
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("value", [3, 4])
def test_the_service_endorses_levels_3_and_4(world, value):
    level = bob_at(world, value)
    services.endorsement_add(actor=world.carol, skill_level=level)
    assert Endorsement.objects.filter(skill_level=level, endorser=world.carol).count() == 1


def test_a_colleague_of_another_school_cannot_endorse_a_level_2_by_posting(client_for, world):
    CompetenceProfile.objects.update_or_create(
        user=world.bob, defaults={"visible_in_network": True}
    )
    level = bob_at(world, 2)
    response = client_for(world.dave).post(
        reverse("competence:endorse", args=[level.pk]), follow=True
    )
    assert response.status_code == 200
    assert not Endorsement.objects.exists()
    assert "3" in " ".join(str(m) for m in response.context["messages"])


def test_the_page_offers_the_endorse_button_only_from_level_3(client_for, world):
    low = bob_at(world, 2)
    high = bob_at(world, 3, key="assessment.feedback")
    body = client_for(world.carol).get(reverse("competence:person", args=[world.bob.pk]))
    html = body.content.decode()
    assert reverse("competence:endorse", args=[high.pk]) in html
    assert reverse("competence:endorse", args=[low.pk]) not in html


def test_lowering_a_level_below_3_ends_its_endorsements(world):
    level = bob_at(world, 4)
    services.endorsement_add(actor=world.carol, skill_level=level)
    bob_at(world, 3)
    assert Endorsement.objects.filter(skill_level=level).count() == 1
    bob_at(world, 2)
    assert not Endorsement.objects.filter(skill_level=level).exists()


def test_a_matrix_import_lowering_a_level_ends_its_endorsements(world):
    level = bob_at(world, 4)
    services.endorsement_add(actor=world.carol, skill_level=level)
    text = "email,skill_key,level,willing_to_share,want_to_learn,evidence\n"
    text += f"{world.bob.email},assessment.formative,1,no,yes,\n"
    services.matrix_import_csv(actor=world.alice, school=world.school_a, text=text)
    assert SkillLevel.objects.get(pk=level.pk).level == 1
    assert not Endorsement.objects.exists()

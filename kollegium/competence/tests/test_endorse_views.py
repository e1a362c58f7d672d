"""Endorsing and withdrawing an endorsement: two actions, two addresses."""

import pytest
from django.urls import reverse

from kollegium.competence import services
from kollegium.competence.models import Endorsement, Skill

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def bobs_level(world):
    skill = Skill.objects.get(key="assessment.formative")
    return services.skill_level_set(actor=world.bob, skill=skill, level=4)


def test_carol_endorses_bob_and_withdraws_it_from_his_page(client_for, world, bobs_level):
    carol = client_for(world.carol)
    page = reverse("competence:person", args=[world.bob.pk])
    endorse = reverse("competence:endorse", args=[bobs_level.pk])
    withdraw = reverse("competence:endorse_withdraw", args=[bobs_level.pk])
    assert f'action="{endorse}"' in carol.get(page).content.decode()
    assert carol.post(endorse)["Location"] == page
    assert Endorsement.objects.filter(skill_level=bobs_level, endorser=world.carol).exists()
    html = carol.get(page).content.decode()
    assert f'action="{withdraw}"' in html and f'action="{endorse}"' not in html
    assert carol.post(withdraw)["Location"] == page
    assert not Endorsement.objects.exists()


def test_endorsing_again_does_not_withdraw(client_for, world, bobs_level):
    carol = client_for(world.carol)
    url = reverse("competence:endorse", args=[bobs_level.pk])
    carol.post(url)
    carol.post(url, {"undo": "1"})
    assert Endorsement.objects.count() == 1


def test_dave_and_anonymous_visitors_cannot_withdraw(client, client_for, world, bobs_level):
    services.endorsement_add(actor=world.carol, skill_level=bobs_level)
    url = reverse("competence:endorse_withdraw", args=[bobs_level.pk])
    assert client_for(world.dave).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert Endorsement.objects.count() == 1

"""The kept home page follows "only you know this at your school" as colleagues' levels change."""

import pytest
from django.urls import reverse

from kollegium.competence import services
from kollegium.competence.models import Skill
from kollegium.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
SOLE = "Du är den enda på Skola A"


def test_a_colleague_rating_the_same_skill_ends_being_the_only_one(client_for, world):
    skill = Skill.objects.get(key="assessment.formative")
    bob = client_for(world.bob)
    assert SOLE not in bob.get("/").content.decode()
    services.skill_level_set(actor=world.bob, skill=skill, level=4, willing_to_share=True)
    assert SOLE in bob.get("/").content.decode()
    services.skill_level_set(actor=world.carol, skill=skill, level=3)
    assert SOLE not in bob.get("/").content.decode()
    services.skill_level_remove(actor=world.carol, skill=skill)
    assert SOLE in bob.get("/").content.decode()


def test_a_level_at_another_school_changes_nothing_here(client_for, world):
    skill = Skill.objects.get(key="assessment.formative")
    services.skill_level_set(actor=world.bob, skill=skill, level=4, willing_to_share=True)
    bob = client_for(world.bob)
    assert SOLE in bob.get("/").content.decode()
    services.skill_level_set(actor=world.dave, skill=skill, level=4)
    assert SOLE in bob.get("/").content.decode()


def test_development_staff_of_the_owner_find_the_owner_coverage_from_home(client_for, world):
    from kollegium.organisations.models import OwnerStaff

    staff = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    page = client_for(staff)
    assert "Du hör inte till någon skola ännu" in page.get("/").content.decode()
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    home = page.get("/").content.decode()
    assert reverse("competence:owner_coverage", args=[world.owner.pk]) in home
    assert "Exempelstads kommun · utvecklingsmedarbetare" in home
    assert "Du hör inte till någon skola ännu" not in home

"""Rough edges of issue 16 in the school pages."""

import pytest
from django.utils import translation

from kollegium.core.testing.factories import TeamFactory
from kollegium.organisations.models import Team

pytestmark = pytest.mark.django_db


def test_a_school_keeps_its_own_name_in_english_and_an_owner_may_have_an_english_one(world):
    world.owner.name_en = "Exempelstad municipality"
    world.owner.save()
    with translation.override("en"):
        assert world.school_a.display_name == "Skola A"
        assert world.owner.display_name == "Exempelstad municipality"


def test_a_team_on_the_school_page_has_no_brackets_within_brackets(client_for, world):
    TeamFactory(school=world.school_a, name="Ämneslag matematik", kind=Team.Kind.SUBJECT_TEAM)
    c = client_for(world.bob)
    c.post("/me/language/", {"language": "en", "next": "/"})
    page = c.get(f"/school/{world.school_a.pk}/").content.decode()
    line = page.split("Ämneslag matematik", 1)[1].split("</li>", 1)[0]
    assert "subject team" in line
    assert "((" not in line and "(subject" not in line


def test_the_invitation_forms_team_choice_says_no_team(client_for, world):
    page = client_for(world.alice).get(f"/school/{world.school_a.pk}/invitations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "---------" not in html
    assert "Inget arbetslag" in html

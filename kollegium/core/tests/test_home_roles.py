"""A home page for every role: the leader's section, owner staff, a new colleague's first week."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups import services as group_services
from kollegium.groups.models import LearningGroup
from kollegium.groups.tests.helpers import make_group, past_meeting

pytestmark = pytest.mark.django_db

LEADER_HEADING = "Att leda skolan"


def test_the_leader_gets_a_section_with_the_pulse_and_the_ways_to_their_tools(client_for, world):
    group = make_group(world, name="Läslyftet 4–6")
    past_meeting(group, 3)
    html = client_for(world.alice).get("/").content.decode()
    assert LEADER_HEADING in html
    section = html.split(LEADER_HEADING, 1)[1]
    assert "/groups/overview/" in section
    assert f"/competence/school/{world.school_a.pk}/coverage/" in section
    assert "/observations/statistics/" in section
    assert "1</span> av 1 grupp träffades de senaste 30 dagarna" in section


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_teachers_and_another_schools_people_get_no_leader_section(client_for, world, who):
    make_group(world, name="Läslyftet 4–6")
    html = client_for(getattr(world, who)).get("/").content.decode()
    assert LEADER_HEADING not in html
    assert "/groups/overview/" not in html


def test_a_group_that_stopped_meeting_needs_the_leaders_decision(client_for, world):
    quiet = make_group(world, name="Tyst grupp")
    LearningGroup.objects.filter(pk=quiet.pk).update(
        created_at=timezone.now() - timedelta(days=200)
    )
    past_meeting(quiet, 120)
    alive = make_group(world, name="Levande grupp")
    group_services.meeting_schedule(
        actor=world.carol, group=alive, starts_at=timezone.now() + timedelta(days=3), place="Rum 1"
    )
    html = client_for(world.alice).get("/").content.decode()
    decision = html.split("Behöver ditt beslut", 1)[1]
    assert "Tyst grupp" in decision
    assert "Levande grupp" not in decision.split("</section>", 1)[0]


def test_the_leaders_kept_home_page_follows_a_meeting_they_are_not_in(client_for, world):
    group = make_group(world, name="Läslyftet 4–6")
    alice = client_for(world.alice)
    assert "0</span> av 1 grupp" in alice.get("/").content.decode()
    past_meeting(group, 2)
    assert "1</span> av 1 grupp" in alice.get("/").content.decode()


def test_the_leaders_home_page_runs_a_constant_number_of_queries(client_for, world):
    alice = client_for(world.alice)
    n = iter(range(1000))

    def grow():
        for _ in range(3):
            group = make_group(world, name=f"Grupp {next(n)}")
            past_meeting(group, 5)

    assert_constant_queries(lambda: get_home_rendered(alice), grow=grow)


def test_the_next_meetings_come_before_the_only_you_know_notice(client_for, world):
    from kollegium.competence import services as competence_services
    from kollegium.competence.models import Skill

    skill = Skill.objects.filter(school__isnull=True).order_by("pk").first()
    competence_services.skill_level_set(actor=world.bob, skill=skill, level=4)
    group = make_group(world, name="Läslyftet 4–6")
    group_services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2), place="Rum 12"
    )
    html = client_for(world.bob).get("/").content.decode()
    assert "Bara du kan det här på din skola" in html
    assert html.index("Rum 12") < html.index("Bara du kan det här på din skola")


def test_owner_staff_see_no_teacher_cards(client_for, world):
    from kollegium.core.testing.factories import UserFactory
    from kollegium.organisations.models import OwnerStaff

    staff = UserFactory(full_name="Jonas Jansson")
    OwnerStaff.objects.create(owner=world.owner, user=staff)
    html = client_for(staff).get("/").content.decode()
    assert "utvecklingsmedarbetare" in html
    assert "Mina lärgrupper" not in html
    assert "Lägg in ditt schema" not in html
    assert "lektion i ditt schema" not in html
    assert "Täckning på skolorna i" in html

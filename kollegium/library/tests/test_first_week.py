"""A new colleague's first-week path on the home page (issue 16): four steps, each marked
done as it happens, and the card gone when all are done."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.factories import UserFactory
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.library.models import Collection, StartHereVisit
from kollegium.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db

HEADING = "Din första vecka"


@pytest.fixture
def newcomer(world):
    person = UserFactory(full_name="Nora Ny")
    Membership.objects.create(user=person, school=world.school_a, role=Role.TEACHER)
    Collection.objects.create(school=world.school_a, title="Börja här", is_start_here=True)
    return person


def test_a_new_colleague_walks_the_first_week_and_the_card_goes(client_for, world, newcomer):
    from kollegium.competence import services as competence
    from kollegium.competence.models import Skill
    from kollegium.groups.tests.helpers import make_group
    from kollegium.scheduling import services as scheduling

    c = client_for(newcomer)
    page = c.get("/").content.decode()
    assert HEADING in page and "4 steg kvar" in page
    assert 'href="/competence/quick/"' in page

    skill = Skill.objects.filter(school__isnull=True).order_by("pk").first()
    competence.skill_level_set(actor=newcomer, skill=skill, level=2)
    assert "3 steg kvar" in c.get("/").content.decode()

    today = timezone.localdate()
    scheduling.timetable_entry_add(
        actor=newcomer,
        weekday=today.weekday(),
        start_time=time(9),
        end_time=time(10),
        first_date=today,
        last_date=today + timedelta(days=30),
        subject="Matematik",
    )
    assert "2 steg kvar" in c.get("/").content.decode()

    assert c.get("/library/start-here/").status_code == 302
    assert StartHereVisit.objects.filter(user=newcomer, school=world.school_a).exists()
    assert "Ett steg kvar" in c.get("/").content.decode()

    make_group(world, members=[world.bob, newcomer])
    assert HEADING not in c.get("/").content.decode()


def test_colleagues_who_joined_long_ago_get_no_first_week(client_for, world):
    Membership.objects.filter(user=world.bob).update(
        created_at=timezone.now() - timedelta(days=400), start_date=None
    )
    assert HEADING not in client_for(world.bob).get("/").content.decode()


def test_the_first_week_card_runs_a_constant_number_of_queries(client_for, world, newcomer):
    c = client_for(newcomer)
    n = iter(range(100))

    def grow():
        other = UserFactory(full_name=f"Kollega {next(n)}")
        Membership.objects.create(user=other, school=world.school_a, role=Role.TEACHER)
        StartHereVisit.objects.create(user=other, school=world.school_a)

    assert_constant_queries(lambda: get_home_rendered(c), grow=grow)

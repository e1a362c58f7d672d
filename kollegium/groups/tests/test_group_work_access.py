"""One rule for a group's written work on its page and in its export (issue 10).

A members-only group's proven-practice records and materials were shown on /groups/<id>/ to
people who may see that the group exists but not what it wrote (the school's leader, a
leader of another school in the network), while the export answered them 404.
"""

import pytest
from django.urls import reverse

from kollegium.core.testing.factories import teacher_at
from kollegium.groups import permissions, services
from kollegium.groups.models import MinutesSharing
from kollegium.groups.tests.helpers import make_group
from kollegium.organisations.models import Role

pytestmark = pytest.mark.django_db

TRIED = "Vi provade tysta exit tickets i 5B"
EVIDENCE = "Fjorton av tjugo elever svarade rätt"
MATERIAL = "Mall för exit tickets"


def _with_work(world, group):
    services.conclusion_create(
        actor=world.bob,
        group=group,
        title="Exit tickets",
        tried=TRIED,
        evidence=EVIDENCE,
        conclusion="Vi fortsätter",
    )
    services.material_add(
        actor=world.bob, group=group, title=MATERIAL, description="En sida, tre frågor"
    )
    return group


def _page_and_export(client, group):
    page = client.get(reverse("groups:detail", args=[group.pk]))
    export = client.get(reverse("groups:export", args=[group.pk]))
    return page, export


def _shows_work(response) -> bool:
    body = response.content.decode()
    return any(text in body for text in (TRIED, EVIDENCE, MATERIAL))


def test_the_schools_leader_sees_a_members_only_group_but_not_its_proven_practice(
    client_for, world
):
    group = _with_work(world, make_group(world))
    page, export = _page_and_export(client_for(world.alice), group)
    assert page.status_code == 200
    assert group.name in page.content.decode()
    assert not _shows_work(page)
    assert export.status_code == 404


def test_a_leader_of_another_school_in_the_network_sees_no_proven_practice(client_for, world):
    eva = teacher_at(world.school_b, Role.LEADER, email="eva@b.example", full_name="Eva Ek")
    group = _with_work(
        world, make_group(world, network=world.network, members=[world.bob, world.dave])
    )
    page, export = _page_and_export(client_for(eva), group)
    assert page.status_code == 200  # she sees that her teacher's group exists
    assert not _shows_work(page)
    assert export.status_code == 404


def test_members_see_the_proven_practice_on_the_page_and_in_the_export(client_for, world):
    group = _with_work(world, make_group(world))
    page, export = _page_and_export(client_for(world.bob), group)
    assert _shows_work(page)
    assert _shows_work(export)


def test_a_group_sharing_with_leaders_shows_them_its_work_on_both(client_for, world):
    group = _with_work(world, make_group(world, minutes_sharing=MinutesSharing.LEADERS))
    page, export = _page_and_export(client_for(world.alice), group)
    assert _shows_work(page)
    assert export.status_code == 200
    assert _shows_work(export)


def test_the_page_and_the_export_follow_one_permission(world):
    members_only = make_group(world)
    shared = make_group(world, name="Delad", minutes_sharing=MinutesSharing.LEADERS)
    for group, expected in [(members_only, False), (shared, True)]:
        assert permissions.can_view_group_work(world.alice, group) is expected
        assert permissions.can_view_group_work(world.bob, group) is True
        assert permissions.can_view_group_work(world.dave, group) is False

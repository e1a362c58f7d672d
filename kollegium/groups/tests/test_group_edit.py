"""Editing a group is one action: its settings and its members are saved together or not at all."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kollegium.groups import services
from kollegium.groups.tests.helpers import make_group

pytestmark = pytest.mark.django_db


def _post(group, world, **changes):
    data = {
        "name": group.name,
        "members": [world.bob.pk, world.carol.pk],
        "starts_on": group.starts_on.isoformat(),
        "ends_on": group.ends_on.isoformat(),
        "interval_days": group.interval_days,
        "minutes_sharing": group.minutes_sharing,
    }
    data.update(changes)
    return data


def test_renaming_and_removing_the_only_facilitator_saves_nothing(client_for, world):
    group = make_group(world)
    old_name = group.name
    response = client_for(world.carol).post(
        reverse("groups:edit", args=[group.pk]),
        _post(group, world, name="Nytt namn", interval_days=21, members=[world.bob.pk]),
    )
    assert response.status_code == 200
    assert "Gruppen behöver minst en handledare." in response.content.decode()
    group.refresh_from_db()
    assert group.name == old_name
    assert group.interval_days != 21
    assert set(group.members.values_list("pk", flat=True)) == {world.bob.pk, world.carol.pk}


def test_renaming_and_changing_members_in_one_save(client_for, world):
    from kollegium.core.testing.factories import teacher_at
    from kollegium.organisations.models import Role

    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik Ek")
    group = make_group(world)
    response = client_for(world.carol).post(
        reverse("groups:edit", args=[group.pk]),
        _post(group, world, name="Nytt namn", members=[world.carol.pk, erik.pk]),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Nytt namn"
    assert set(group.members.values_list("pk", flat=True)) == {world.carol.pk, erik.pk}


def test_the_group_update_service_is_all_or_nothing(world):
    group = make_group(world)
    old_name = group.name
    with pytest.raises(ValidationError) as error:
        services.group_update(
            actor=world.carol,
            group=group,
            name="Nytt namn",
            purpose="",
            focus=None,
            interval_days=21,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            minutes_sharing=group.minutes_sharing,
            add_ids=[],
            remove_ids=[world.carol.pk],
        )
    assert "members" in error.value.message_dict
    assert group.name == old_name
    group.refresh_from_db()
    assert group.name == old_name and group.interval_days != 21
    assert world.carol in group.members.all()


def test_a_bad_setting_keeps_the_members_as_they_were(world):
    group = make_group(world)
    with pytest.raises(ValidationError) as error:
        services.group_update(
            actor=world.carol,
            group=group,
            name="   ",
            purpose="",
            focus=None,
            interval_days=group.interval_days,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            minutes_sharing=group.minutes_sharing,
            add_ids=[],
            remove_ids=[world.bob.pk],
        )
    assert "name" in error.value.message_dict
    assert world.bob in group.members.all()

"""The kept home page follows every change to the person's meetings, groups and commitments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.groups import hooks, services
from kollegium.groups.tests.helpers import make_group, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return make_group(world, name="Läslyftet 4–6")


def test_a_meeting_scheduled_by_the_facilitator_appears_and_a_cancelled_one_goes(
    client_for, world, group
):
    bob = client_for(world.bob)
    assert "Inga möten planerade." in bob.get("/").content.decode()
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2), place="Rum 12"
    )
    assert "Rum 12" in bob.get("/").content.decode()
    services.meeting_cancel(actor=world.carol, meeting=meeting)
    assert "Rum 12" not in bob.get("/").content.decode()


def test_a_commitment_appears_and_goes_when_reflected_on(client_for, world, group):
    bob = client_for(world.bob)
    bob.get("/")
    meeting = past_meeting(group, 3)
    commitment = services.commitment_create(
        actor=world.bob,
        meeting=meeting,
        text="Pröva exit tickets i 5B",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    assert "Pröva exit tickets i 5B" in bob.get("/").content.decode()
    services.commitment_reflect(
        actor=world.bob, commitment=commitment, outcome="worked", reflection="Det gick bra."
    )
    assert "Pröva exit tickets i 5B" not in bob.get("/").content.decode()


def test_a_renamed_group_and_a_new_member_are_seen(client_for, world, group):
    services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2), place="Rum 12"
    )
    bob, alice = client_for(world.bob), client_for(world.alice)
    bob.get("/")
    assert "Läslyftet 4–6" not in alice.get("/").content.decode()
    services.group_members_update(actor=world.carol, group=group, add_ids=[world.alice.pk])
    assert "Läslyftet 4–6" in alice.get("/").content.decode()
    services.group_update(
        actor=world.carol,
        group=group,
        name="Läslyftet F–6",
        purpose=group.purpose,
        focus=None,
        interval_days=group.interval_days,
        starts_on=group.starts_on,
        ends_on=group.ends_on,
        minutes_sharing=group.minutes_sharing,
    )
    assert "Läslyftet F–6" in bob.get("/").content.decode()


def test_the_panel_is_fresh_until_the_next_meeting_has_gone_from_it(world, group):
    starts = timezone.now() + timedelta(hours=5)
    context = {"next_meetings": [{"starts_at": starts}], "open_commitments": []}
    assert hooks.home_panel_fresh_until(context) == starts + timedelta(hours=2)
    assert hooks.home_panel_fresh_until({"next_meetings": [], "open_commitments": []}) is None

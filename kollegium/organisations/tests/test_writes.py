"""The school's writes that had no tests: remove a person, save or delete a team, leave a
network, change a focus area, send an invitation again or withdraw it. Each through its service
and through its view, as the leader, as a teacher, as Dave (School B) and anonymously."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kollegium.core.models import AuditEvent
from kollegium.core.testing.factories import FocusFactory, SchoolFactory, teacher_at
from kollegium.organisations import services
from kollegium.organisations.models import (
    DevelopmentFocus,
    Invitation,
    Membership,
    NetworkMembership,
    Role,
    Team,
    TeamMembership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are matched in English; the views below check outcomes and levels.
    with translation.override("en"):
        yield


def _levels(response) -> list[str]:
    """The message levels this response added (earlier unread messages dropped)."""
    return [m.level_tag for m in get_messages(response.wsgi_request)][-1:]


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- membership_remove ----------------------------------------------------------------------


def _membership(world, user):
    return Membership.objects.select_related("school", "user").get(user=user, school=world.school_a)


def test_a_leader_removes_a_teacher_and_their_team_places_go_with_them(world):
    services.membership_remove(actor=world.alice, membership=_membership(world, world.bob))
    assert not Membership.objects.filter(user=world.bob, school=world.school_a).exists()
    assert not TeamMembership.objects.filter(user=world.bob, team=world.team_a).exists()
    assert TeamMembership.objects.filter(user=world.carol, team=world.team_a).exists()
    assert AuditEvent.objects.filter(action="membership.removed", actor=world.alice).exists()


def test_a_leader_cannot_remove_themselves(world):
    with pytest.raises(ValidationError, match="cannot remove yourself"):
        services.membership_remove(actor=world.alice, membership=_membership(world, world.alice))
    assert Membership.objects.filter(user=world.alice, school=world.school_a).exists()


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_schools_leaders_may_remove_people(world, who):
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            actor=getattr(world, who), membership=_membership(world, world.bob)
        )
    assert Membership.objects.filter(user=world.bob, school=world.school_a).exists()


def test_the_leader_removes_bob_from_the_people_page(client_for, world):
    membership = _membership(world, world.bob)
    url = reverse("organisations:membership_remove", args=[membership.pk])
    response = client_for(world.alice).post(url)
    assert response["Location"] == reverse("organisations:people", args=[world.school_a.pk])
    assert _levels(response) == ["success"]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_yourself_is_refused_with_a_message(client_for, world):
    membership = _membership(world, world.alice)
    response = client_for(world.alice).post(
        reverse("organisations:membership_remove", args=[membership.pk])
    )
    assert response.status_code == 302
    assert _levels(response) == ["error"]
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_people_who_do_not_lead_the_school_get_404_when_removing(client_for, world, who):
    membership = _membership(world, world.carol)
    url = reverse("organisations:membership_remove", args=[membership.pk])
    assert client_for(getattr(world, who)).post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_anonymous_visitor_cannot_remove_anyone(client, world):
    membership = _membership(world, world.bob)
    url = reverse("organisations:membership_remove", args=[membership.pk])
    assert _sent_to_sign_in(client.post(url))
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- team_update (name, kind and members together) and team_delete --------------------------


def test_a_team_is_renamed_and_its_members_changed_in_one_call(world):
    erik = teacher_at(world.school_a, full_name="Erik Ek")
    services.team_update(
        actor=world.alice,
        team=world.team_a,
        name="Arbetslag F–3",
        kind=Team.Kind.WORK_TEAM,
        member_ids=[world.bob.pk, erik.pk],
    )
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Arbetslag F–3"
    assert set(world.team_a.members.all()) == {world.bob, erik}


def test_a_member_from_another_school_keeps_the_old_name_too(world):
    with pytest.raises(ValidationError, match="own school"):
        services.team_update(
            actor=world.alice,
            team=world.team_a,
            name="Arbetslag F–3",
            kind=Team.Kind.WORK_TEAM,
            member_ids=[world.bob.pk, world.dave.pk],
        )
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Arbetslag 4–6"
    assert set(world.team_a.members.all()) == {world.bob, world.carol}


def test_the_team_page_saves_nothing_when_one_member_is_refused(client_for, world):
    response = client_for(world.alice).post(
        reverse("organisations:team", args=[world.team_a.pk]),
        {
            "team-name": "Arbetslag F–3",
            "team-kind": "work",
            "members-members": [str(world.bob.pk), str(world.dave.pk)],
        },
    )
    assert response.status_code == 200
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Arbetslag 4–6"
    assert set(world.team_a.members.all()) == {world.bob, world.carol}


def test_a_leader_deletes_a_team(world):
    services.team_delete(actor=world.alice, team=world.team_a)
    assert not Team.objects.filter(pk=world.team_a.pk).exists()
    assert not TeamMembership.objects.filter(team_id=world.team_a.pk).exists()
    event = AuditEvent.objects.get(action="team.deleted")
    assert event.data == {"name": "Arbetslag 4–6"} and event.actor == world.alice


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_schools_leaders_may_delete_a_team(world, who):
    with pytest.raises(PermissionDenied):
        services.team_delete(actor=getattr(world, who), team=world.team_a)
    assert Team.objects.filter(pk=world.team_a.pk).exists()


def test_the_leader_deletes_a_team_from_its_page(client_for, world):
    response = client_for(world.alice).post(
        reverse("organisations:team_delete", args=[world.team_a.pk])
    )
    assert response["Location"] == reverse("organisations:teams", args=[world.school_a.pk])
    assert _levels(response) == ["success"]
    assert not Team.objects.filter(pk=world.team_a.pk).exists()


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_people_who_do_not_lead_the_school_get_404_when_deleting_a_team(client_for, world, who):
    url = reverse("organisations:team_delete", args=[world.team_a.pk])
    assert client_for(getattr(world, who)).post(url).status_code == 404
    assert Team.objects.filter(pk=world.team_a.pk).exists()


def test_an_anonymous_visitor_cannot_delete_a_team(client, world):
    url = reverse("organisations:team_delete", args=[world.team_a.pk])
    assert _sent_to_sign_in(client.post(url))
    assert Team.objects.filter(pk=world.team_a.pk).exists()


# --- network_leave and network_join ---------------------------------------------------------


def _in_network(world, school) -> bool:
    return NetworkMembership.objects.filter(network=world.network, school=school).exists()


def test_a_leader_takes_the_school_out_of_a_network(world):
    services.network_leave(actor=world.alice, network=world.network, school=world.school_a)
    assert not _in_network(world, world.school_a)
    assert _in_network(world, world.school_b)
    assert AuditEvent.objects.filter(action="network.left", school=world.school_a).exists()


def test_leaving_a_network_the_school_is_not_in_is_refused(world):
    services.network_leave(actor=world.alice, network=world.network, school=world.school_a)
    with pytest.raises(ValidationError, match="not in this network"):
        services.network_leave(actor=world.alice, network=world.network, school=world.school_a)


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_schools_leaders_may_leave_a_network(world, who):
    with pytest.raises(PermissionDenied):
        services.network_leave(
            actor=getattr(world, who), network=world.network, school=world.school_a
        )
    assert _in_network(world, world.school_a)


def test_the_leader_leaves_and_joins_again_from_the_networks_page(client_for, world):
    c = client_for(world.alice)
    back = reverse("organisations:networks", args=[world.school_a.pk])
    args = [world.school_a.pk, world.network.pk]
    response = c.post(reverse("organisations:network_leave", args=args))
    assert response["Location"] == back and _levels(response) == ["success"]
    assert not _in_network(world, world.school_a)
    response = c.post(reverse("organisations:network_leave", args=args))
    assert response["Location"] == back and _levels(response) == ["error"]
    response = c.post(reverse("organisations:network_join", args=args))
    assert response["Location"] == back and _levels(response) == ["success"]
    assert _in_network(world, world.school_a)


def test_a_closed_network_refuses_with_a_message(client_for, world):
    world.network.is_open = False
    world.network.save()
    other = SchoolFactory(parent=world.owner)
    leader = teacher_at(other, Role.LEADER)
    response = client_for(leader).post(
        reverse("organisations:network_join", args=[other.pk, world.network.pk])
    )
    assert response.status_code == 302 and _levels(response) == ["error"]
    assert not _in_network(world, other)


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_people_who_do_not_lead_the_school_get_404_when_leaving(client_for, world, who):
    url = reverse("organisations:network_leave", args=[world.school_a.pk, world.network.pk])
    assert client_for(getattr(world, who)).post(url).status_code == 404
    assert _in_network(world, world.school_a)


def test_an_anonymous_visitor_cannot_make_a_school_leave(client, world):
    url = reverse("organisations:network_leave", args=[world.school_a.pk, world.network.pk])
    assert _sent_to_sign_in(client.post(url))
    assert _in_network(world, world.school_a)


# --- focus_update ---------------------------------------------------------------------------


@pytest.fixture
def focus(world):
    return FocusFactory(school=world.school_a, title="Läsförståelse", description="Åk 4–6")


def test_a_leader_changes_and_archives_a_focus_area(world, focus):
    services.focus_update(
        actor=world.alice,
        focus=focus,
        title="  Läsförståelse  i alla ämnen ",
        description=" Alla ",
        is_active=False,
    )
    focus.refresh_from_db()
    assert (focus.title, focus.description, focus.is_active) == (
        "Läsförståelse i alla ämnen",
        "Alla",
        False,
    )


def test_a_focus_area_needs_a_title(world, focus):
    with pytest.raises(ValidationError) as error:
        services.focus_update(
            actor=world.alice, focus=focus, title="  ", description="", is_active=True
        )
    assert "title" in error.value.message_dict
    focus.refresh_from_db()
    assert focus.title == "Läsförståelse"


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_schools_leaders_may_change_a_focus_area(world, focus, who):
    with pytest.raises(PermissionDenied):
        services.focus_update(
            actor=getattr(world, who), focus=focus, title="Annat", description="", is_active=True
        )
    focus.refresh_from_db()
    assert focus.title == "Läsförståelse"


def test_the_leader_edits_a_focus_area_on_its_page(client_for, world, focus):
    url = reverse("organisations:focus_edit", args=[focus.pk])
    c = client_for(world.alice)
    assert c.get(url).status_code == 200
    response = c.post(url, {"title": "Skrivande", "description": "Alla stadier"})
    assert response["Location"] == reverse("organisations:focus_areas", args=[world.school_a.pk])
    focus.refresh_from_db()
    assert (focus.title, focus.is_active) == ("Skrivande", False)


def test_a_blank_title_shows_the_form_again_and_saves_nothing(client_for, world, focus):
    response = client_for(world.alice).post(
        reverse("organisations:focus_edit", args=[focus.pk]),
        {"title": "   ", "description": "Ändrad", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    focus.refresh_from_db()
    assert (focus.title, focus.description) == ("Läsförståelse", "Åk 4–6")


@pytest.mark.parametrize("who", ["bob", "dave"])
def test_people_who_do_not_lead_the_school_get_404_on_a_focus_area(client_for, world, focus, who):
    url = reverse("organisations:focus_edit", args=[focus.pk])
    c = client_for(getattr(world, who))
    assert c.get(url).status_code == 404
    assert c.post(url, {"title": "Annat", "description": ""}).status_code == 404
    assert DevelopmentFocus.objects.get(pk=focus.pk).title == "Läsförståelse"


def test_an_anonymous_visitor_cannot_change_a_focus_area(client, world, focus):
    url = reverse("organisations:focus_edit", args=[focus.pk])
    assert _sent_to_sign_in(client.get(url))
    assert _sent_to_sign_in(client.post(url, {"title": "Annat", "description": ""}))
    assert DevelopmentFocus.objects.get(pk=focus.pk).title == "Läsförståelse"


# --- invitation_resend and invitation_revoke (the services: test_invitation_services) ----------


@pytest.fixture
def invitation(world):
    invitation, _token = services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example", full_name="Nina Ny"
    )
    return invitation


def test_the_leader_sends_a_new_link_from_the_invitations_page(
    client_for, world, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.alice).post(
            reverse("organisations:invitation_resend", args=[invitation.pk])
        )
    assert response["Location"] == reverse("organisations:invitations", args=[world.school_a.pk])
    assert _levels(response) == ["success"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nina@a.example"]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.pending().get(email="nina@a.example").pk != invitation.pk


def test_the_leader_withdraws_an_invitation(client_for, world, invitation):
    response = client_for(world.alice).post(
        reverse("organisations:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 302 and _levels(response) == ["success"]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = client_for(world.alice).post(
        reverse("organisations:invitation_revoke", args=[invitation.pk])
    )
    assert _levels(response) == ["error"]


@pytest.mark.parametrize("name", ["invitation_resend", "invitation_revoke"])
@pytest.mark.parametrize("who", ["bob", "dave"])
def test_people_who_do_not_lead_the_school_get_404_on_invitations(
    client_for, world, invitation, mailoutbox, name, who
):
    mailoutbox.clear()
    url = reverse(f"organisations:{name}", args=[invitation.pk])
    assert client_for(getattr(world, who)).post(url).status_code == 404
    assert list(Invitation.objects.pending()) == [invitation]
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["invitation_resend", "invitation_revoke"])
def test_an_anonymous_visitor_cannot_touch_an_invitation(client, world, invitation, name):
    assert _sent_to_sign_in(client.post(reverse(f"organisations:{name}", args=[invitation.pk])))
    assert list(Invitation.objects.pending()) == [invitation]


def test_resending_withdraws_the_old_link_and_mails_a_new_one(
    world, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fresh, token = services.invitation_resend(actor=world.alice, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert fresh.pk != invitation.pk and fresh.status == "pending"
    assert (fresh.email, fresh.full_name, fresh.role) == ("nina@a.example", "Nina Ny", "teacher")
    assert fresh.expires_at > invitation.created_at
    assert len(mailoutbox) == 1 and token in mailoutbox[0].body
    assert list(Invitation.objects.pending()) == [fresh]


def test_a_used_invitation_is_not_sent_again(world, invitation, mailoutbox):
    invitation.accepted_at = invitation.created_at
    invitation.save()
    mailoutbox.clear()
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_resend(actor=world.alice, invitation=invitation)
    assert Invitation.objects.count() == 1 and mailoutbox == []


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_the_schools_leaders_may_send_an_invitation_again(world, invitation, who):
    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=getattr(world, who), invitation=invitation)
    assert list(Invitation.objects.pending()) == [invitation]

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from kollegium.accounts.models import User
from kollegium.organisations import services
from kollegium.organisations.models import Invitation, Membership, Role, TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are matched in English here; the Swedish ones are checked through the views.
    with translation.override("en"):
        yield


def invite(world, email="new.teacher@a.example", **kwargs):
    kwargs.setdefault("actor", world.alice)
    kwargs.setdefault("school", world.school_a)
    return services.invitation_create(email=email, **kwargs)


def test_a_leader_invites_a_teacher_and_the_email_carries_a_working_link(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(world, role=Role.TEACHER, team=world.team_a)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.teacher@a.example"]
    assert "Skola A" in message.subject
    assert f"/school/invitation/{token}/" in message.body
    assert "har bjudit in dig" in message.body  # Swedish, the inviter's language
    assert invitation.token_hash != token


def test_accepting_creates_the_account_membership_and_team_place(world):
    _invitation, token = invite(world, role=Role.FACILITATOR, team=world.team_a)
    user = services.invitation_accept(
        token=token, full_name="Nina Ny", password="a-good-long-password-7"
    )
    assert user.check_password("a-good-long-password-7")
    assert Membership.objects.get(user=user, school=world.school_a).role == Role.FACILITATOR
    assert TeamMembership.objects.filter(user=user, team=world.team_a).exists()


def test_an_invitation_works_only_once(world):
    _invitation, token = invite(world)
    services.invitation_accept(token=token, full_name="Nina Ny", password="a-good-long-password-7")
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(
            token=token, full_name="Nina Igen", password="another-long-pass-8"
        )


def test_an_expired_invitation_is_refused_and_creates_nobody(world):
    invitation, token = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(
            token=token, full_name="Nina Ny", password="a-good-long-password-7"
        )
    assert not User.objects.filter(email="new.teacher@a.example").exists()


def test_a_withdrawn_invitation_is_refused(world):
    invitation, token = invite(world)
    services.invitation_revoke(actor=world.alice, invitation=invitation)
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_from_token(token)


def test_a_weak_password_saves_nothing(world):
    invitation, token = invite(world)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, full_name="Nina Ny", password="123")
    assert "password1" in error.value.error_dict
    assert not User.objects.filter(email="new.teacher@a.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_teacher_cannot_invite(world):
    with pytest.raises(PermissionDenied):
        invite(world, actor=world.bob)


def test_a_leader_cannot_invite_to_a_school_they_do_not_lead(world):
    with pytest.raises(PermissionDenied):
        invite(world, school=world.school_b)
    assert not Invitation.objects.exists()


def test_someone_already_at_the_school_cannot_be_invited_again(world):
    with pytest.raises(ValidationError, match="already at the school"):
        invite(world, email="BOB@a.example")


def test_an_invalid_email_gets_a_clear_message(world):
    with pytest.raises(ValidationError) as error:
        invite(world, email="not-an-address")
    assert "email" in error.value.error_dict


def test_a_team_from_another_school_is_refused(world):
    from kollegium.core.testing.factories import TeamFactory

    other_team = TeamFactory(school=world.school_b)
    with pytest.raises(ValidationError):
        invite(world, team=other_team)


def test_a_new_invitation_withdraws_the_previous_pending_one(world):
    first, first_token = invite(world)
    second, _ = invite(world)
    first.refresh_from_db()
    assert first.status == "revoked"
    assert second.status == "pending"
    with pytest.raises(ValidationError):
        services.invitation_from_token(first_token)


def test_a_signed_in_person_accepts_into_a_second_school(world):
    _inv, token = services.invitation_create(
        actor=_leader_of_b(world), school=world.school_b, email=world.bob.email
    )
    services.invitation_accept(token=token, actor=world.bob)
    assert set(world.bob.memberships.values_list("school_id", flat=True)) == {
        world.school_a.pk,
        world.school_b.pk,
    }


def test_an_invitation_for_another_address_cannot_be_taken_by_a_signed_in_person(world):
    _inv, token = invite(world)
    with pytest.raises(ValidationError, match="another email address"):
        services.invitation_accept(token=token, actor=world.carol)


def _leader_of_b(world):
    from kollegium.core.testing.factories import teacher_at

    return teacher_at(world.school_b, Role.LEADER, email="eva@b.example")

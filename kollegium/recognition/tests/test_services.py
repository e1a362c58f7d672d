"""Thanks, sharing, guests and confirmations through their services (real database)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollegium.core.models import Notification
from kollegium.core.testing.factories import UserFactory
from kollegium.groups.permissions import can_view_group, get_meeting_for_user_or_404
from kollegium.organisations.actor import as_actor
from kollegium.recognition import credentials, jws, services
from kollegium.recognition.models import Confirmation, GuestInvitation, ThanksNote
from kollegium.recognition.tests.helpers import group_with_meetings

pytestmark = pytest.mark.django_db


def test_a_colleague_thanks_another_who_is_told(world):
    note = services.thanks_send(
        actor=world.bob, receiver=world.carol, text="  Tack för   hjälpen! "
    )
    assert note.text == "Tack för hjälpen!" and not note.on_profile
    assert Notification.objects.filter(recipient=world.carol, kind="recognition.thanked").exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 281])
def test_empty_or_overlong_thanks_are_refused_and_nothing_is_saved(world, text):
    with pytest.raises(ValidationError) as refused:
        services.thanks_send(actor=world.bob, receiver=world.carol, text=text)
    assert "text" in refused.value.message_dict
    assert not ThanksNote.objects.exists()
    assert not Notification.objects.exists()


def test_nobody_thanks_themselves_or_a_stranger(world):
    stranger = UserFactory()
    for receiver in (world.bob, stranger):
        with pytest.raises(PermissionDenied):
            services.thanks_send(actor=world.bob, receiver=receiver, text="Tack!")


def test_thanks_for_something_that_is_not_theirs_is_refused(world):
    group_with_meetings(world)
    with pytest.raises(ValidationError):
        services.thanks_send(
            actor=world.bob, receiver=world.carol, text="Tack!", link_kind="talk", link_id=999999
        )
    assert not ThanksNote.objects.exists()


def test_only_the_receiver_puts_a_note_on_their_profile(world):
    note = services.thanks_send(actor=world.bob, receiver=world.carol, text="Tack!")
    with pytest.raises(PermissionDenied):
        services.thanks_show_on_profile(actor=world.bob, note=note, shown=True)
    services.thanks_show_on_profile(actor=world.carol, note=note, shown=True)
    note.refresh_from_db()
    assert note.on_profile


def _invite(world, group, **kwargs):
    defaults = {
        "email": "forskare@uni.example",
        "full_name": "Rut Forskare",
        "access_until": timezone.localdate() + timedelta(days=30),
    }
    return services.guest_invite(actor=world.carol, group=group, **{**defaults, **kwargs})


def test_a_guest_sees_the_group_only_while_access_lasts(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    group, _meetings = group_with_meetings(world)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(world, group)
    assert len(mailoutbox) == 1 and token in mailoutbox[0].body
    guest = services.guest_accept(token=token, password="ett-långt-lösenord-42")
    assert not guest.memberships.exists()
    assert can_view_group(as_actor(guest), group)
    assert not can_view_group(as_actor(world.dave), group)
    GuestInvitation.objects.filter(pk=invitation.pk).update(access_until=timezone.now())
    assert not can_view_group(as_actor(guest), group)


def test_a_meeting_guest_sees_that_meeting_and_not_the_group(world):
    group, meetings = group_with_meetings(world)
    _invitation, token = _invite(world, group, meeting=meetings[0])
    guest = as_actor(services.guest_accept(token=token, password="ett-långt-lösenord-42"))
    assert get_meeting_for_user_or_404(guest, meetings[0].pk) == meetings[0]
    assert not can_view_group(guest, group)
    from django.http import Http404

    with pytest.raises(Http404):
        get_meeting_for_user_or_404(guest, meetings[1].pk)


def test_a_guest_invitation_to_a_member_of_a_school_is_refused(world):
    group, _meetings = group_with_meetings(world)
    with pytest.raises(ValidationError) as refused:
        _invite(world, group, email=world.dave.email.upper())
    assert "email" in refused.value.message_dict
    assert not GuestInvitation.objects.exists()


def test_only_the_groups_facilitator_invites_guests(world):
    group, _meetings = group_with_meetings(world)
    with pytest.raises(PermissionDenied):
        services.guest_invite(
            actor=world.bob,
            group=group,
            email="x@uni.example",
            full_name="X",
            access_until=timezone.localdate(),
        )


def test_an_expired_guest_link_says_so_and_makes_no_account(world):
    group, _meetings = group_with_meetings(world)
    invitation, token = _invite(world, group)
    GuestInvitation.objects.filter(pk=invitation.pk).update(link_expires_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        services.guest_accept(token=token, password="ett-långt-lösenord-42")
    assert "slutade gälla" in refused.value.messages[0]  # "expired on <date>"
    from kollegium.accounts.models import User

    assert not User.objects.filter(email="forskare@uni.example").exists()


def test_a_confirmation_is_a_signed_credential_that_verifies(world):
    group, _meetings = group_with_meetings(world, count=3)
    confirmation = services.confirmation_issue(actor=world.carol, group=group, person=world.bob)
    assert confirmation.meetings == 3 and str(confirmation.hours) == "4.8"  # 3 × 95 minutes
    credential = credentials.verify(confirmation.token)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["name"] == world.bob.full_name
    assert world.bob.email not in confirmation.token  # only a salted hash of it
    offline = jws.keys_from_jwks(credentials.jwks_document())
    assert jws.verify(confirmation.token, offline, timezone.now()) == credential


def test_a_confirmation_needs_attendance_and_is_given_once(world):
    group, _meetings = group_with_meetings(world)
    services.confirmation_issue(actor=world.carol, group=group, person=world.bob)
    with pytest.raises(ValidationError):
        services.confirmation_issue(actor=world.carol, group=group, person=world.bob)
    with pytest.raises(PermissionDenied):
        services.confirmation_issue(actor=world.bob, group=group, person=world.carol)
    assert Confirmation.objects.count() == 1

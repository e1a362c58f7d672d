"""Demo data for recognition: a few thanks, one shared summary, an expert guest of the TLC group
and a confirmation, as a school would have them after some weeks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kollegium.groups.models import Attendance, GroupMembership, LearningGroup
from kollegium.recognition import services
from kollegium.recognition.models import Confirmation, ContributionSharing, GuestInvitation


def load_demo(demo: Any) -> None:
    people = demo.people
    if not {"alice", "bob", "carol", "erik"} <= set(people):
        return
    bob, carol, erik = people["bob"], people["carol"], people["erik"]
    services.thanks_send(
        actor=bob,
        receiver=carol,
        text="Tack för att du höll i TLC-mötet så lugnt, exit tickets fungerar nu i 5B!",
    )
    note = services.thanks_send(
        actor=erik,
        receiver=bob,
        text="Tack för tipset om glasspinnar, mina elever i 8A pratade mer än någonsin.",
    )
    services.thanks_show_on_profile(actor=bob, note=note, shown=True)
    ContributionSharing.objects.update_or_create(user=bob, defaults={"shared": True})

    group = (
        LearningGroup.objects.filter(school=demo.school_a, memberships__user=carol)
        .filter(memberships__role=GroupMembership.Role.FACILITATOR)
        .order_by("pk")
        .first()
    )
    if group is None:
        return
    # Run a second time (the query-count sweep grows the data so), the demo adds another guest.
    n = GuestInvitation.objects.filter(group__school=demo.school_a).count()
    invitation, _token = services.guest_invite(
        actor=carol,
        group=group,
        email=f"rut.forskare{n or ''}@universitet.example",
        full_name="Rut Forskare",
        role_description="Forskare i ämnesdidaktik, Umeå universitet",
        access_until=timezone.localdate() + timedelta(days=60),
    )
    # She accepted the week after (the demo sets the account up directly: no password).
    from kollegium.accounts.models import User

    guest = User.objects.create_user(
        email=invitation.email, password=None, full_name=invitation.full_name
    )
    GuestInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), guest=guest)
    attended = Attendance.objects.filter(
        meeting__group=group, present=True, meeting__status="held"
    ).values_list("user_id", flat=True)
    member = group.members.exclude(pk=carol.pk).filter(pk__in=attended).order_by("pk").first()
    if member is not None and not Confirmation.objects.filter(group=group, person=member).exists():
        services.confirmation_issue(actor=carol, group=group, person=member)

"""The fair draw of a TeachMeet's speaking order: seeded, shown, repeatable."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.core.services import audit_record
from kollegium.groups import draw as draw_core
from kollegium.groups.models import Meeting, Talk, TalkDraw
from kollegium.groups.permissions import can_arrange_talks
from kollegium.groups.services.talks import _lock_open_meeting, _steps_or_refuse
from kollegium.organisations.actor import Actor, as_actor


def _talks_by_slot(meeting: Meeting, slots: list[str]) -> dict[str, list[int]]:
    by_slot: dict[str, list[int]] = {key: [] for key in slots}
    for talk_id, step_key in Talk.objects.filter(meeting=meeting).values_list("pk", "step_key"):
        if step_key in by_slot:
            by_slot[step_key].append(talk_id)
    return {key: ids for key, ids in by_slot.items() if ids}


@transaction.atomic
def talk_order_draw(
    *, actor: Actor, meeting: Meeting, seed: str = "", now: datetime | None = None
) -> TalkDraw:
    """The facilitator draws the speaking order of every talk slot at random. The seed (a
    fresh one, or one the room chose) is stored and shown, so anyone can repeat the draw."""
    if not can_arrange_talks(actor, meeting.group):
        raise PermissionDenied
    seed = (seed or "").strip() or draw_core.new_seed()
    if not draw_core.valid_seed(seed):
        raise ValidationError(
            {
                "seed": _("A seed is up to %(n)s letters, digits, hyphens or underscores.")
                % {"n": draw_core.SEED_MAX}
            }
        )
    steps = _steps_or_refuse(meeting)
    _lock_open_meeting(meeting, now)
    by_slot = _talks_by_slot(meeting, list(steps))
    if not by_slot:
        raise ValidationError(_("Nobody has signed up to speak yet: there is nothing to draw."))
    order = draw_core.draw_order(seed, by_slot)
    talks = {t.pk: t for t in Talk.objects.filter(meeting=meeting)}
    changed = []
    for ids in order.values():
        for position, talk_id in enumerate(ids, start=1):
            talk = talks[talk_id]
            talk.position = position
            changed.append(talk)
    Talk.objects.bulk_update(changed, ["position"])
    result = TalkDraw.objects.create(
        meeting=meeting, seed=seed, order=order, drawn_by=as_actor(actor).person
    )
    audit_record(
        actor=actor,
        action="groups.talk_order_drawn",
        target=meeting,
        school=meeting.group.school,
        data={"seed": seed, "order": order},
    )
    return result

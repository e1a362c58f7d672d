from contextlib import suppress

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import NavItem, register_expert_listener, register_nav_item
from kollegium.organisations.actor import actor_of

register_nav_item(
    NavItem(
        "topics:list",
        _("Topics"),
        order=35,
        match_prefix="/topics/",
        visible=lambda request: bool(actor_of(request).school_ids),
    )
)


def _record_expert_on_topics(*, actor, group, note: str) -> None:
    """A guest invited into a group that a topic became shows in that topic's decision log."""
    # Imported here: hooks load with the app registry, before models may be imported.
    from kollegium.topics.services import topic_expert_record_for_group

    # Someone who may invite guests but not write the topic's log (not expected: the group's
    # facilitators may do both) still invites; the log line is then left out.
    with suppress(PermissionDenied):
        topic_expert_record_for_group(actor=actor, group=group, note=note)


register_expert_listener(_record_expert_on_topics)

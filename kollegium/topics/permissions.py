"""Who may see and do what with topics.

- Everyone at the topic's school sees it, and so does everyone at a school sharing a network
  with it when the proposer opened it to the network; they all respond.
- The proposer edits the "needs an expert" mark; the school's leaders decide, take topics
  up, record an expert and adjust the weights.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.permissions import can_manage_school
from kollegium.topics.models import Topic


def can_view_topic(actor: Actor, topic: Topic) -> bool:
    actor = as_actor(actor)
    if not actor.is_authenticated:
        return False
    if actor.is_installation_admin or topic.school_id in actor.school_ids:
        return True
    return topic.shared_with_network and topic.school_id in actor.network_school_ids


def can_respond(actor: Actor, topic: Topic) -> bool:
    return can_view_topic(actor, topic) and bool(as_actor(actor).school_ids)


def can_decide(actor: Actor, topic: Topic) -> bool:
    return can_manage_school(actor, topic.school)


def can_mark_expert(actor: Actor, topic: Topic) -> bool:
    return topic.proposer_id == as_actor(actor).pk or can_decide(actor, topic)


def get_topic_for_user_or_404(actor: Actor, topic_id: int) -> Topic:
    topic = get_object_or_404(
        Topic.objects.select_related("school", "proposer", "focus", "group"), pk=topic_id
    )
    if not can_view_topic(actor, topic):
        raise Http404
    return topic

"""The demo has topics at both schools: ranked, decided, taken up, opened to the network."""

import pytest

from kollegium.core.demo import DemoData
from kollegium.core.testing.factories import teacher_at
from kollegium.organisations.models import DevelopmentFocus, Role
from kollegium.topics import selectors
from kollegium.topics.demo import load_demo
from kollegium.topics.models import Decision, Topic

pytestmark = pytest.mark.django_db


def test_the_demo_has_topics_responses_decisions_and_a_teachmeet(world):
    people = {"alice": world.alice, "bob": world.bob, "carol": world.carol, "dave": world.dave}
    for key in ("erik", "fatima", "gustav", "hanna", "ida"):
        people[key] = teacher_at(world.school_a, Role.TEACHER, full_name=key.title())
    people["eva"] = teacher_at(world.school_b, Role.LEADER, full_name="Eva")
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Läsförståelse")
    load_demo(
        DemoData(
            owner=world.owner,
            school_a=world.school_a,
            school_b=world.school_b,
            network=world.network,
            people=people,
            focus_areas=[focus],
        )
    )
    assert Topic.objects.filter(school=world.school_a).count() == 3
    ranked, decided = selectors.school_topics(actor=world.bob, school=world.school_a)
    assert ranked[0].topic.title.startswith("Läsförståelse")  # focus, evidence, four share it
    assert [t.status for t in decided] == [Topic.Status.TAKEN_UP]
    assert decided[0].group.guide.slug == "workshop"
    assert set(Decision.objects.values_list("kind", flat=True)) == {"later", "taken_up"}
    network = selectors.network_topics(actor=world.bob)
    assert [r.topic.title for r in network] == ["Språkutvecklande arbetssätt i NO"]

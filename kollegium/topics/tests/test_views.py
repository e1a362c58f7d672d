"""Topics' pages: the right person, Dave (another school: 404) and a visitor (sign-in)."""

import pytest
from django.urls import reverse

from kollegium.competence.models import Skill
from kollegium.core.testing.factories import teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups.models import LearningGroup
from kollegium.topics import services
from kollegium.topics.models import Decision, Response, SchoolWeights, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world):
    return services.topic_propose(
        actor=world.bob,
        school=world.school_a,
        title="Reading strategies",
        need="Pupils decode but do not understand.",
        skills=list(Skill.objects.order_by("pk")[:1]),
    )


def urls(topic, world):
    return {
        "list": reverse("topics:list"),
        "propose": reverse("topics:propose"),
        "detail": reverse("topics:detail", args=[topic.pk]),
        "take_up": reverse("topics:take_up", args=[topic.pk]),
        "priorities": reverse("topics:priorities", args=[world.school_a.pk]),
    }


def test_a_visitor_is_sent_to_sign_in_everywhere(client, topic, world):
    for url in [
        *urls(topic, world).values(),
        reverse("topics:respond", args=[topic.pk]),
        reverse("topics:decide", args=[topic.pk]),
        reverse("topics:expert_mark", args=[topic.pk]),
        reverse("topics:expert_record", args=[topic.pk]),
        reverse("topics:weights_reset", args=[world.school_a.pk]),
    ]:
        response = client.post(url) if "/respond/" in url or "/decide/" in url else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_dave_at_another_school_gets_404_for_a_topic_not_opened_to_the_network(
    client_for, topic, world
):
    c = client_for(world.dave)
    for name in ("detail", "take_up", "priorities"):
        assert c.get(urls(topic, world)[name]).status_code == 404, name
    for name in ("respond", "decide", "expert_mark", "expert_record"):
        assert c.post(reverse(f"topics:{name}", args=[topic.pk])).status_code == 404, name
    assert c.post(reverse("topics:weights_reset", args=[world.school_a.pk])).status_code == 404
    response = c.get(reverse("topics:list"))
    assert response.status_code == 200
    assert "Reading strategies" not in response.content.decode()


def test_dave_sees_and_joins_a_topic_opened_to_the_network(client_for, topic, world):
    topic.shared_with_network = True
    topic.save()
    c = client_for(world.dave)
    assert "Reading strategies" in c.get(reverse("topics:list")).content.decode()
    assert c.get(reverse("topics:detail", args=[topic.pk])).status_code == 200
    c.post(reverse("topics:respond", args=[topic.pk]), {"kind": "need_too"})
    assert Response.objects.filter(user=world.dave, kind="need_too").exists()
    # ... but he does not decide for School A
    assert c.get(reverse("topics:take_up", args=[topic.pk])).status_code == 403


def test_bob_proposes_a_topic_through_the_form(client_for, world):
    c = client_for(world.bob)
    skill = Skill.objects.order_by("pk").first()
    assert c.get(reverse("topics:propose")).status_code == 200
    response = c.post(
        reverse("topics:propose"),
        {"title": "Feedback", "need": "Pupils ignore written feedback.", "skills": [skill.key]},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/topics/{topic.pk}/")
    assert list(topic.skills.all()) == [skill]


def test_an_empty_need_and_10000_characters_show_clear_messages_and_save_nothing(client_for, world):
    c = client_for(world.bob)
    response = c.post(reverse("topics:propose"), {"title": "Feedback", "need": ""})
    assert response.status_code == 200
    response = c.post(reverse("topics:propose"), {"title": "x" * 10_000, "need": "y" * 10_000})
    assert response.status_code == 200
    assert "10000" in response.content.decode()
    assert not Topic.objects.exists()


def test_the_detail_page_shows_the_breakdown_and_responses(client_for, topic, world):
    services.topic_respond(actor=world.carol, topic=topic, kind="contribute", text="I know this")
    response = client_for(world.carol).get(reverse("topics:detail", args=[topic.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "I know this" in html
    assert reverse("competence:person", args=[world.carol.pk]) in html
    assert "<table>" in html  # the breakdown


def test_a_leader_decides_and_takes_up_through_the_pages(client_for, topic, world):
    c = client_for(world.alice)
    c.post(reverse("topics:decide", args=[topic.pk]), {"decision": "now", "reason": "Our goal"})
    assert Decision.objects.get().reason == "Our goal"
    assert c.get(reverse("topics:take_up", args=[topic.pk])).status_code == 200
    response = c.post(
        reverse("topics:take_up", args=[topic.pk]),
        {"format": "group", "guide_slug": "tlc", "name": "Reading together"},
    )
    group = LearningGroup.objects.get()
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    assert group.name == "Reading together"


def test_a_teacher_cannot_decide_and_nothing_is_saved(client_for, topic, world):
    c = client_for(world.bob)
    c.post(reverse("topics:decide", args=[topic.pk]), {"decision": "now", "reason": "I say so"})
    assert not Decision.objects.exists()
    assert c.get(reverse("topics:take_up", args=[topic.pk])).status_code == 403


def test_everyone_reads_the_weights_and_only_the_leader_changes_them(client_for, world):
    url = reverse("topics:priorities", args=[world.school_a.pk])
    bob = client_for(world.bob)
    assert bob.get(url).status_code == 200
    assert bob.post(url, {"focus": 5}).status_code == 403
    alice = client_for(world.alice)
    weights = {"focus": 5, "need": 3, "shared": 2, "lead": 2, "risk": 1}
    assert alice.post(url, weights).status_code == 302
    assert SchoolWeights.objects.get().weights["focus"] == 5
    response = alice.post(url, {**weights, "focus": 11})
    assert response.status_code == 200
    assert SchoolWeights.objects.get().weights["focus"] == 5


def test_the_list_runs_a_constant_number_of_queries(client_for, topic, world):
    c = client_for(world.bob)
    skills = list(Skill.objects.order_by("pk")[:3])

    def grow():
        for n in range(4):
            more = services.topic_propose(
                actor=world.carol,
                school=world.school_a,
                title=f"More {n}",
                need="A need",
                skills=skills,
                shared_with_network=True,
            )
            services.topic_respond(actor=world.bob, topic=more, kind="need_too")
            services.topic_respond(
                actor=teacher_at(world.school_a), topic=more, kind="question", text="?"
            )
        services.topic_decide(actor=world.alice, topic=more, decision="not_now", reason="No")

    assert_constant_queries(lambda: c.get(reverse("topics:list")), grow)
    dave = client_for(world.dave)
    assert_constant_queries(lambda: dave.get(reverse("topics:list")), grow)


def test_the_detail_and_priorities_pages_run_a_constant_number_of_queries(client_for, topic, world):
    c = client_for(world.alice)

    def grow():
        for n in range(3):
            person = teacher_at(world.school_a)
            services.topic_respond(actor=person, topic=topic, kind="contribute", text=f"{n}")
            other = services.topic_propose(
                actor=person, school=world.school_a, title=f"T{n}", need="N"
            )
            services.topic_decide(actor=world.alice, topic=other, decision="later", reason="R")

    assert_constant_queries(lambda: c.get(reverse("topics:detail", args=[topic.pk])), grow)
    url = reverse("topics:priorities", args=[world.school_a.pk])
    assert_constant_queries(lambda: c.get(url), grow)


def test_the_network_sees_a_shared_topic_but_not_the_school_s_focus_or_private_group(
    client_for, world
):
    from kollegium.core.testing.factories import FocusFactory

    focus = FocusFactory(school=world.school_a, title="Hemligt fokus")
    topic = services.topic_propose(
        actor=world.bob,
        school=world.school_a,
        title="Shared reading",
        need="A need",
        focus=focus,
        shared_with_network=True,
    )
    services.topic_take_up(
        actor=world.alice, topic=topic, format="group", guide_slug="tlc", name="Privat grupp"
    )
    url = reverse("topics:detail", args=[topic.pk])
    dave = client_for(world.dave).get(url).content.decode()
    assert "Shared reading" in dave
    assert "Hemligt fokus" not in dave and "Privat grupp" not in dave
    bob = client_for(world.bob).get(url).content.decode()
    assert "Hemligt fokus" in bob and "Privat grupp" in bob

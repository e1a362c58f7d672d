"""Topics: proposing, responding, deciding in the open, taking up in one step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.competence.models import FocusSkill, Skill, SkillLevel
from kollegium.core.models import AuditEvent, Notification
from kollegium.core.testing.factories import FocusFactory
from kollegium.groups.models import GroupMembership, LearningGroup
from kollegium.topics import selectors, services
from kollegium.topics.models import Decision, Response, SchoolWeights, Topic

pytestmark = pytest.mark.django_db


def propose(world, **kwargs):
    values = {
        "actor": world.bob,
        "school": world.school_a,
        "title": "Reading strategies in year 5",
        "need": "Many pupils in year 5 read words but do not understand the text.",
    }
    values.update(kwargs)
    return services.topic_propose(**values)


def test_a_teacher_proposes_a_topic_with_skills_and_a_focus(world):
    focus = FocusFactory(school=world.school_a)
    skills = list(Skill.objects.order_by("pk")[:2])
    topic = propose(world, focus=focus, skills=skills, evidence="National test, autumn")
    assert topic.status == Topic.Status.OPEN
    assert set(topic.skills.all()) == set(skills)
    assert topic.focus == focus


@pytest.mark.parametrize("need", ["", "   "])
def test_a_topic_without_the_students_need_is_refused_and_nothing_saved(world, need):
    with pytest.raises(ValidationError) as error:
        propose(world, need=need)
    assert "need" in error.value.message_dict
    assert not Topic.objects.exists()


def test_a_10000_character_topic_is_refused_with_a_clear_message(world):
    with pytest.raises(ValidationError) as error:
        propose(world, need="x" * 10_000)
    assert "10000" in " ".join(error.value.message_dict["need"])
    with pytest.raises(ValidationError):
        propose(world, title="y" * 10_000)
    assert not Topic.objects.exists()


def test_another_school_s_focus_area_is_refused(world):
    with pytest.raises(ValidationError):
        propose(world, focus=FocusFactory(school=world.school_b))


def test_only_people_at_the_school_propose_there(world):
    with pytest.raises(PermissionDenied):
        propose(world, actor=world.dave)


def test_colleagues_respond_and_the_proposer_is_told(world):
    topic = propose(world)
    services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.NEED_TOO)
    services.topic_respond(
        actor=world.alice, topic=topic, kind=Response.Kind.CONTRIBUTE, text="I ran it"
    )
    assert Notification.objects.filter(recipient=world.bob, kind="topics.response").count() == 2
    row = selectors.topic_row(topic)
    assert row.sharers == 2
    assert {p.key: p.value for p in row.scored.parts}["lead"] == 1.0


def test_responding_twice_the_same_way_is_refused(world):
    topic = propose(world)
    services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.NEED_TOO)
    with pytest.raises(ValidationError):
        services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.NEED_TOO)
    assert Response.objects.count() == 1


def test_a_question_needs_its_text_and_the_proposer_cannot_add_their_own_need(world):
    topic = propose(world)
    with pytest.raises(ValidationError):
        services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.QUESTION)
    with pytest.raises(ValidationError):
        services.topic_respond(actor=world.bob, topic=topic, kind=Response.Kind.NEED_TOO)
    with pytest.raises(ValidationError):
        services.topic_respond(actor=world.carol, topic=topic, kind="downvote")
    assert not Response.objects.exists()


def test_another_school_sees_a_topic_only_when_it_is_opened_to_the_network(world):
    closed = propose(world)
    with pytest.raises(PermissionDenied):
        services.topic_respond(actor=world.dave, topic=closed, kind=Response.Kind.NEED_TOO)
    shared = propose(world, title="Shared", shared_with_network=True)
    services.topic_respond(actor=world.dave, topic=shared, kind=Response.Kind.NEED_TOO)
    assert [r.topic for r in selectors.network_topics(actor=world.dave)] == [shared]
    assert selectors.network_topics(actor=world.bob) == []


def test_a_single_holder_skill_and_the_focus_raise_the_score(world):
    skill = Skill.objects.order_by("pk").first()
    plain = propose(world, title="Plain")
    risky = propose(world, title="Risky", skills=[skill])
    SkillLevel.objects.create(user=world.carol, skill=skill, level=3)
    focus = FocusFactory(school=world.school_a)
    FocusSkill.objects.create(focus=focus, skill=skill)
    ranked, _decided = selectors.school_topics(actor=world.bob, school=world.school_a)
    assert [r.topic for r in ranked] == [risky, plain]
    parts = {p.key: p.value for p in ranked[0].scored.parts}
    assert parts == {"focus": 0.5, "need": 0.5, "shared": 0.2, "lead": 0.5, "risk": 1.0}


def test_a_leader_decides_with_a_reason_the_log_keeps_and_the_proposer_hears(world):
    topic = propose(world)
    with pytest.raises(PermissionDenied):
        services.topic_decide(actor=world.carol, topic=topic, decision="now", reason="Yes")
    with pytest.raises(ValidationError):
        services.topic_decide(actor=world.alice, topic=topic, decision="later", reason=" ")
    services.topic_decide(actor=world.alice, topic=topic, decision="later", reason="After Easter")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.LATER
    entry = Decision.objects.get()
    assert entry.reason == "After Easter" and entry.score is not None
    assert Notification.objects.filter(recipient=world.bob, kind="topics.decision").exists()
    assert AuditEvent.objects.filter(action="topics.decided").exists()


def test_a_topic_becomes_a_group_in_one_step_with_the_proposer_and_responders(world):
    topic = propose(world)
    services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.CONTRIBUTE)
    group = services.topic_take_up(
        actor=world.alice, topic=topic, format="group", guide_slug="tlc", reason="Fits our goal"
    )
    assert group.guide.slug == "tlc"
    members = set(GroupMembership.objects.filter(group=group).values_list("user_id", flat=True))
    assert members == {world.alice.pk, world.bob.pk, world.carol.pk}
    topic.refresh_from_db()
    assert topic.status == Topic.Status.TAKEN_UP and topic.group == group
    assert Decision.objects.get(kind=Decision.Kind.TAKEN_UP).group == group
    assert Notification.objects.filter(recipient=world.bob, kind="topics.taken_up").exists()
    assert Notification.objects.filter(recipient=world.carol, kind="topics.invited").exists()
    with pytest.raises(ValidationError):
        services.topic_take_up(actor=world.alice, topic=topic, format="group", guide_slug="tlc")


def test_a_mentoring_pair_needs_a_contributor_as_mentor_and_nothing_is_half_saved(world):
    topic = propose(world)
    with pytest.raises(ValidationError):
        services.topic_take_up(
            actor=world.alice, topic=topic, format="mentoring", mentor_id=world.carol.pk
        )
    assert not LearningGroup.objects.exists()
    services.topic_respond(actor=world.carol, topic=topic, kind=Response.Kind.CONTRIBUTE)
    group = services.topic_take_up(
        actor=world.alice, topic=topic, format="mentoring", mentor_id=world.carol.pk
    )
    assert group.guide.slug == "mentoring"


def test_a_teachmeet_uses_the_workshop_guide(world):
    group = services.topic_take_up(actor=world.alice, topic=propose(world), format="teachmeet")
    assert group.guide.slug == "workshop"


def test_an_unknown_guide_is_refused_and_the_topic_stays_open(world):
    topic = propose(world)
    with pytest.raises(ValidationError):
        services.topic_take_up(actor=world.alice, topic=topic, format="group", guide_slug="nope")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.OPEN
    assert not Decision.objects.exists()


def test_a_network_colleague_is_invited_through_the_network(world):
    topic = propose(world, shared_with_network=True)
    services.topic_respond(actor=world.dave, topic=topic, kind=Response.Kind.NEED_TOO)
    group = services.topic_take_up(actor=world.alice, topic=topic, format="teachmeet")
    assert group.network == world.network
    assert GroupMembership.objects.filter(group=group, user=world.dave).exists()


def test_an_expert_brought_in_shows_in_the_log(world):
    topic = propose(world, needs_expert=True)
    with pytest.raises(PermissionDenied):
        services.topic_expert_record(actor=world.carol, topic=topic, note="A researcher")
    services.topic_expert_record(actor=world.alice, topic=topic, note="A researcher in reading")
    assert Decision.objects.get().kind == Decision.Kind.EXPERT
    assert Notification.objects.filter(recipient=world.bob, kind="topics.expert").exists()


def test_the_group_s_facilitator_records_an_expert_for_the_topic_it_came_from(world):
    topic = propose(world, needs_expert=True)
    group = services.topic_take_up(actor=world.alice, topic=topic, format="group", guide_slug="tlc")
    assert services.topic_expert_record_for_group(actor=world.alice, group=group, note="Guest") == 1


def test_a_guest_invited_into_the_group_a_topic_became_shows_in_its_log(world):
    from datetime import timedelta

    from django.utils import timezone

    from kollegium.recognition.services import guest_invite

    topic = propose(world, needs_expert=True)
    group = services.topic_take_up(actor=world.alice, topic=topic, format="group", guide_slug="tlc")
    guest_invite(
        actor=world.alice,
        group=group,
        email="rut.forskare@universitet.example",
        full_name="Rut Forskare",
        role_description="researcher in reading",
        access_until=timezone.localdate() + timedelta(days=30),
    )
    entry = Decision.objects.get(topic=topic, kind=Decision.Kind.EXPERT)
    assert "Rut Forskare (researcher in reading)" in entry.reason
    assert entry.group == group


def test_the_proposer_marks_needs_an_expert_but_a_colleague_cannot(world):
    topic = propose(world)
    services.topic_expert_mark(actor=world.bob, topic=topic, needs_expert=True)
    with pytest.raises(PermissionDenied):
        services.topic_expert_mark(actor=world.carol, topic=topic, needs_expert=False)
    topic.refresh_from_db()
    assert topic.needs_expert


def test_a_leader_adjusts_the_weights_audited_and_can_reset_them(world):
    with pytest.raises(PermissionDenied):
        services.topic_weights_set(actor=world.bob, school=world.school_a, weights={"focus": 5})
    with pytest.raises(ValidationError):
        services.topic_weights_set(actor=world.alice, school=world.school_a, weights={"focus": 99})
    services.topic_weights_set(actor=world.alice, school=world.school_a, weights={"focus": 5})
    assert selectors.weights_for([world.school_a.pk])[world.school_a.pk].weight("focus") == 5
    event = AuditEvent.objects.get(action="topics.weights_changed")
    assert event.data["before"]["focus"] == 3 and event.data["after"]["focus"] == 5
    services.topic_weights_reset(actor=world.alice, school=world.school_a)
    assert not SchoolWeights.objects.exists()


def test_a_start_far_in_the_future_is_refused_not_a_crash(world):
    from datetime import date

    topic = propose(world)
    with pytest.raises(ValidationError) as error:
        services.topic_take_up(
            actor=world.alice, topic=topic, format="teachmeet", starts_on=date(9999, 12, 31)
        )
    assert "starts_on" in error.value.message_dict
    assert not LearningGroup.objects.exists()

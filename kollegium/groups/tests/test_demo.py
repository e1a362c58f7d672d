"""The demo hook builds realistic groups on the demo school."""

import pytest

from kollegium.core.demo import DemoData
from kollegium.core.testing.factories import teacher_at
from kollegium.groups.demo import load_demo
from kollegium.groups.models import Commitment, LearningGroup, Meeting, Talk, TestItemResult
from kollegium.organisations.models import DevelopmentFocus, Role

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_tlc_with_past_meetings_minutes_commitments_and_reflections(world):
    people = {"alice": world.alice, "bob": world.bob, "carol": world.carol, "dave": world.dave}
    for key in ("erik", "fatima", "gustav", "hanna", "ida"):
        people[key] = teacher_at(
            world.school_a, Role.TEACHER, email=f"{key}@a.example", full_name=key.title()
        )
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Formativ bedömning")
    demo = DemoData(
        owner=world.owner,
        school_a=world.school_a,
        school_b=world.school_b,
        network=world.network,
        people=people,
        focus_areas=[focus],
    )
    load_demo(demo)
    tlc = LearningGroup.objects.get(guide__slug="tlc")
    assert tlc.focus == focus and tlc.school == world.school_a
    held = tlc.meetings.filter(status=Meeting.Status.HELD)
    assert held.count() == 3 and all(m.minutes for m in held)
    assert tlc.meetings.filter(status=Meeting.Status.PLANNED).count() == 1
    assert Commitment.objects.filter(group=tlc, outcome="did_not_work").exists()
    assert Commitment.objects.filter(group=tlc, reflected_at__isnull=True).exists()
    assert TestItemResult.objects.filter(lesson__group__guide__slug="learning-study").count() == 8
    reading_circle = LearningGroup.objects.get(guide__slug="reading-circle")
    assert world.dave in reading_circle.members.all()


def test_the_demo_has_a_network_teachmeet_with_speakers_from_both_schools(world):
    people = {"alice": world.alice, "bob": world.bob, "carol": world.carol, "dave": world.dave}
    for key in ("erik", "fatima", "hanna", "ida"):
        people[key] = teacher_at(
            world.school_a, Role.TEACHER, email=f"{key}@a.example", full_name=key.title()
        )
    load_demo(
        DemoData(
            owner=world.owner,
            school_a=world.school_a,
            school_b=world.school_b,
            network=world.network,
            people=people,
            focus_areas=[],
        )
    )
    group = LearningGroup.objects.get(guide__slug="workshop")
    assert group.network == world.network and group.guide.version == 3
    assert group.meetings.get(status=Meeting.Status.HELD).phase_key == "sign_up"
    meeting = group.meetings.get(status=Meeting.Status.PLANNED)
    assert meeting.phase_key == "teachmeet"
    talks = Talk.objects.filter(meeting=meeting)
    assert talks.filter(step_key="micro_talks").count() == 3
    assert talks.filter(step_key="short_talks", speaker=world.dave).exists()

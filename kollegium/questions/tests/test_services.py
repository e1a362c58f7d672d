"""Asking, routing, answering, accepting, publishing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kollegium.competence.models import CompetenceProfile, Skill, SkillLevel
from kollegium.core.models import AuditEvent, Notification
from kollegium.core.testing.factories import teacher_at
from kollegium.organisations.models import Role
from kollegium.questions import services
from kollegium.questions.anonymity import is_asker
from kollegium.questions.models import Question, Routing, Visibility
from kollegium.questions.permissions import can_view_question

pytestmark = pytest.mark.django_db


def formative():
    return Skill.objects.get(key="assessment.formative")


def holder(user, value=4, share=True):
    return SkillLevel.objects.create(
        user=user, skill=formative(), level=value, willing_to_share=share
    )


def ask(world, actor=None, **kwargs):
    values = {"title": "Hur gör ni exit tickets i åk 4?", "skills": [formative()]}
    values.update(kwargs)
    return services.question_ask(actor=actor or world.bob, school=world.school_a, **values)


def test_a_named_question_is_routed_to_sharing_colleagues_at_level_three_or_more(world):
    holder(world.carol, 4)
    holder(world.alice, 3, share=False)  # not willing: not routed
    question, token = ask(world)
    assert token == ""
    assert question.author == world.bob
    assert list(Routing.objects.values_list("recipient_id", flat=True)) == [world.carol.pk]
    note = Notification.objects.get(recipient=world.carol)
    assert note.kind == "questions.routed" and question.title in note.body


def test_nobody_is_routed_more_than_three_questions_a_week(world):
    holder(world.carol)
    for i in range(5):
        ask(world, title=f"Fråga {i}")
    assert Routing.objects.filter(recipient=world.carol).count() == 3
    Routing.objects.update(created_at=timezone.now() - timedelta(days=8))
    ask(world, title="En vecka senare")
    assert Routing.objects.filter(recipient=world.carol).count() == 4


def test_a_question_is_routed_to_at_most_five_colleagues(world):
    for i in range(8):
        holder(teacher_at(world.school_a, Role.TEACHER, email=f"h{i}@a.example"))
    ask(world)
    assert Routing.objects.count() == 5


def test_network_questions_reach_opted_in_colleagues_at_network_schools_only(world):
    holder(world.dave)
    ask(world, title="Skolfråga")
    assert not Routing.objects.filter(recipient=world.dave).exists()
    ask(world, title="Nätverksfråga", visibility=Visibility.NETWORK)
    assert not Routing.objects.filter(recipient=world.dave).exists()
    CompetenceProfile.objects.create(user=world.dave, visible_in_network=True)
    ask(world, title="Nätverksfråga 2", visibility=Visibility.NETWORK)
    assert Routing.objects.filter(recipient=world.dave).count() == 1


def test_an_anonymous_question_stores_no_author_and_the_asker_can_still_find_it(world):
    question, token = ask(world, anonymous=True)
    question.refresh_from_db()
    assert question.author_id is None and question.is_anonymous
    assert token and token not in question.follow_token_hash
    assert is_asker(world.bob, question)
    assert not is_asker(world.carol, question)
    assert question.created_at.minute == 0 and question.created_at.second == 0
    assert not AuditEvent.objects.exists()


def next_hour():
    return timezone.now() + timedelta(hours=1)


def ask_routed(world, **kwargs):
    """An anonymous question after the hourly batch has routed it (others can see it)."""
    question, token = ask(world, anonymous=True, **kwargs)
    services.questions_route_waiting(now=next_hour())
    question.refresh_from_db()
    return question, token


def test_an_anonymous_question_is_routed_by_the_batch_after_its_hour_not_when_asked(world):
    holder(world.carol)
    holder(world.alice)
    question, _token = ask(world, anonymous=True)
    assert not Routing.objects.exists() and not Notification.objects.exists()
    assert services.questions_route_waiting() == 0  # its hour has not ended
    assert services.questions_route_waiting(now=next_hour()) == 1
    routed = set(Routing.objects.values_list("recipient_id", flat=True))
    assert len(routed) == 1 and routed <= {world.carol.pk, world.alice.pk}
    question.refresh_from_db()
    assert not question.awaits_routing
    assert services.questions_route_waiting(now=next_hour()) == 0  # once only


def test_an_anonymous_asker_who_is_a_holder_is_never_asked_to_help_with_it(world):
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example")
    for person in (world.bob, world.carol, erik):
        holder(person)
    for n in range(3):
        ask(world, anonymous=True, title=f"Anonym fråga {n}")
        services.questions_route_waiting(now=next_hour())
        routed = set(
            Routing.objects.filter(question__title=f"Anonym fråga {n}").values_list(
                "recipient_id", flat=True
            )
        )
        assert routed == {world.carol.pk, erik.pk}
    assert not Notification.objects.filter(recipient=world.bob).exists()


def test_an_anonymous_question_always_leaves_one_eligible_colleague_out(world):
    # Alice (not a holder) asks; three holders: two are asked, one at random is not, so
    # that a holder left out when a holder asks does not stand out.
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example")
    for person in (world.bob, world.carol, erik):
        holder(person)
    ask(world, actor=world.alice, anonymous=True)
    services.questions_route_waiting(now=next_hour())
    routed = set(Routing.objects.values_list("recipient_id", flat=True))
    assert len(routed) == 2 and routed <= {world.bob.pk, world.carol.pk, erik.pk}
    # A lone holder is not asked either: asking them alone would say "not the asker".
    Routing.objects.all().delete()
    ask(world, actor=world.alice, anonymous=True, title="Bara en kan", skills=[])
    assert services.questions_route_waiting(now=next_hour()) == 1
    assert not Routing.objects.exists()


def test_the_rows_of_a_routed_anonymous_question_carry_the_hour_only(world):
    holder(world.carol)
    holder(world.alice)
    ask(world, anonymous=True)
    later = next_hour().replace(minute=17, second=42, microsecond=123456)
    services.questions_route_waiting(now=later)
    hour = later.replace(minute=0, second=0, microsecond=0)
    (routing,) = Routing.objects.all()
    assert routing.created_at == hour
    assert list(Notification.objects.values_list("created_at", flat=True)) == [hour]


def test_the_anonymous_asker_accepts_by_account_or_by_private_code_and_nobody_else(world):
    question, token = ask_routed(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Prova tre frågor.")
    with pytest.raises(PermissionDenied):
        services.answer_accept(actor=world.alice, question=question, answer=answer)
    with pytest.raises(PermissionDenied):
        services.answer_accept(actor=world.alice, question=question, answer=answer, token="x")
    services.answer_accept(actor=world.alice, question=question, answer=answer, token=token)
    services.answer_accept(actor=world.bob, question=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert Notification.objects.filter(recipient=world.carol, kind="questions.accepted").exists()
    assert not Notification.objects.filter(recipient=world.bob).exists()


def test_the_anonymous_asker_cannot_answer_or_mark_helpful_as_that_would_name_them(world):
    question, _token = ask_routed(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Svar")
    with pytest.raises(ValidationError):
        services.answer_post(actor=world.bob, question=question, body="Tack!")
    with pytest.raises(ValidationError):
        services.helpful_toggle(actor=world.bob, answer=answer)
    assert services.helpful_toggle(actor=world.alice, answer=answer) is True
    assert services.helpful_toggle(actor=world.alice, answer=answer) is False


def test_a_named_asker_is_told_about_answers(world):
    question, _token = ask(world)
    services.answer_post(actor=world.carol, question=question, body="Svar")
    assert Notification.objects.filter(recipient=world.bob, kind="questions.answered").exists()


def test_bad_input_saves_nothing(world):
    with pytest.raises(ValidationError):
        ask(world, title="   ")
    with pytest.raises(ValidationError):
        ask(world, visibility="everyone")
    with pytest.raises(ValidationError):
        ask(world, body="x" * 5001)
    with pytest.raises(PermissionDenied):
        services.question_ask(actor=world.dave, school=world.school_a, title="Hej")
    assert not Question.objects.exists()


def test_dave_cannot_see_school_questions_but_can_see_network_questions(world):
    school_q, _t = ask(world, title="Skolfråga")
    network_q, _t = ask(world, title="Nätverksfråga", visibility=Visibility.NETWORK)
    assert not can_view_question(world.dave, school_q)
    assert can_view_question(world.dave, network_q)
    with pytest.raises(PermissionDenied):
        services.answer_post(actor=world.dave, question=school_q, body="Hej")


def test_publishing_the_accepted_answer_to_the_library(world):
    from kollegium.library.models import Item

    question, _token = ask(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Tre frågor.")
    with pytest.raises(ValidationError):
        services.question_publish_accepted_answer_to_library(actor=world.carol, question=question)
    services.answer_accept(actor=world.bob, question=question, answer=answer)
    with pytest.raises(PermissionDenied):
        services.question_publish_accepted_answer_to_library(actor=world.dave, question=question)
    item = services.question_publish_accepted_answer_to_library(
        actor=world.carol, question=question
    )
    question.refresh_from_db()
    assert question.published_item_id == item.pk
    assert Item.objects.get(pk=item.pk).title == question.title
    with pytest.raises(ValidationError):
        services.question_publish_accepted_answer_to_library(actor=world.carol, question=question)


def test_the_anonymous_asker_cannot_publish_as_it_would_name_them(world):
    question, _token = ask_routed(world)
    answer = services.answer_post(actor=world.carol, question=question, body="Svar")
    services.answer_accept(actor=world.bob, question=question, answer=answer)
    with pytest.raises(PermissionDenied):
        services.question_publish_accepted_answer_to_library(actor=world.bob, question=question)


def test_the_hourly_command_routes_the_anonymous_questions_of_past_hours(
    world, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    holder(world.carol)
    holder(world.alice)
    question, _token = ask(world, anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("questions_route", stdout=StringIO())
    assert not Routing.objects.exists()  # this hour is not over
    Question.objects.filter(pk=question.pk).update(
        created_at=question.created_at - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("questions_route", stdout=StringIO())
    assert Routing.objects.count() == 1

"""Who may see and act on questions. Another school's questions answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from kollegium.organisations.actor import Actor
from kollegium.organisations.selectors import network_school_ids_for_user, school_ids_for_user
from kollegium.questions.anonymity import is_asker
from kollegium.questions.models import Question, Visibility


def _in_scope(user: Actor, question: Question) -> bool:
    if not user.is_authenticated:
        return False
    if question.school_id in school_ids_for_user(user):
        return True
    return question.visibility == Visibility.NETWORK and (
        question.school_id in network_school_ids_for_user(user)
    )


def can_view_question(user: Actor, question: Question) -> bool:
    """Colleagues at the question's school (its network, for a network question). An
    anonymous question is shown to others only once the hourly batch has routed it, so the
    moment it appears in the list does not give away when it was asked; its asker sees it
    from the start."""
    if not _in_scope(user, question):
        return False
    return not question.awaits_routing or is_question_asker(user, question)


def can_follow_question(user: Actor, question: Question) -> bool:
    """With the private code of an anonymous question: whoever holds it is its asker."""
    return _in_scope(user, question)


def get_question_for_user_or_404(user: Actor, question_id: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("school"), pk=question_id)
    if not can_view_question(user, question):
        raise Http404
    return question


def is_question_asker(user: Actor, question: Question) -> bool:
    """The named author, or (anonymous) the person whose digest matches."""
    if not user.is_authenticated:
        return False
    if question.is_anonymous:
        return is_asker(user, question)
    return question.author_id == user.pk


def can_ask_at(user: Actor, school_id: int) -> bool:
    return school_id in school_ids_for_user(user)

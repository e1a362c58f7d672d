"""Reads for questions, always scoped to the acting person."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kollegium.organisations.actor import Actor
from kollegium.organisations.selectors import network_school_ids_for_user, school_ids_for_user
from kollegium.questions.anonymity import is_asker
from kollegium.questions.models import Answer, Question, Visibility


def questions_for_user(user: Actor) -> QuerySet[Question]:
    own = school_ids_for_user(user)
    network = network_school_ids_for_user(user)
    # Waiting anonymous questions are left out: their askers find them under "My questions".
    return Question.objects.filter(
        Q(school_id__in=own) | Q(school_id__in=network, visibility=Visibility.NETWORK),
        awaits_routing=False,
    )


def question_list(*, user: Actor, skill_id: int | None = None, limit: int = 50) -> list[Question]:
    qs = questions_for_user(user)
    if skill_id:
        qs = qs.filter(skills__id=skill_id)
    return list(
        qs.select_related("school", "author", "accepted_answer")
        .prefetch_related("skills")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-id")[:limit]
    )


def my_questions(*, user: Actor) -> list[Question]:
    """Questions the person asked: named ones by author, anonymous ones by recomputing the
    digest over the anonymous questions of their own schools (nothing per person is stored)."""
    named = list(
        Question.objects.filter(author_id=user.pk)
        .select_related("school", "accepted_answer")
        .annotate(answer_count=Count("answers", distinct=True))
    )
    anonymous = [
        q
        for q in Question.objects.filter(is_anonymous=True, school_id__in=school_ids_for_user(user))
        .select_related("school", "accepted_answer")
        .annotate(answer_count=Count("answers", distinct=True))
        if is_asker(user, q)
    ]
    return sorted([*named, *anonymous], key=lambda q: (q.created_at, q.pk), reverse=True)


def question_detail(*, user: Actor, question: Question) -> dict[str, Any]:
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("author")
        .annotate(
            helpful_count=Count("helpful_marks", distinct=True),
            marked_by_me=Count("helpful_marks", filter=Q(helpful_marks__user_id=user.pk)),
        )
    )
    return {
        "answers": answers,
        "skills": list(question.skills.all()),
    }


def answer_prefetch() -> Prefetch:
    return Prefetch("answers", queryset=Answer.objects.select_related("author"))

"""Reads for questions, always scoped to the acting person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kollegium.organisations.actor import Actor
from kollegium.organisations.selectors import network_school_ids_for_user, school_ids_for_user
from kollegium.questions.anonymity import is_asker
from kollegium.questions.models import Answer, Question, Visibility

if TYPE_CHECKING:
    from kollegium.core.textsearch import TextMatcher


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


#: At most this many narrowed answered questions are read for the search box (newest first).
SEARCH_CANDIDATES = 300


def answered_questions_matching(
    *, user: Actor, matcher: TextMatcher, limit: int
) -> tuple[list[tuple[Question, str, int]], int]:
    """Answered questions the person may see whose question or answers match what was typed,
    best first (three queries): (question, the best-matching text as marked HTML, number of
    answers). Nothing about who asked is read, so an anonymous asker stays anonymous."""
    from kollegium.core.textsearch import narrowed

    if not user.is_authenticated or matcher.is_empty:
        return [], 0
    answered = questions_for_user(user).filter(
        Exists(Answer.objects.filter(question=OuterRef("pk")))
    )
    candidates = narrowed(
        Question.objects.filter(pk__in=answered.values("pk")), matcher,
        ("title", "body", "answers__body"),
    )  # fmt: skip
    rows = list(
        Question.objects.filter(pk__in=candidates.values("pk"))
        .select_related("school")
        .only("id", "title", "body", "created_at", "school__name", "school__name_en")
        .order_by("-created_at", "-id")[:SEARCH_CANDIDATES]
    )
    answers: dict[int, list[str]] = {q.pk: [] for q in rows}
    for question_id, body in Answer.objects.filter(question_id__in=list(answers)).values_list(
        "question_id", "body"
    ):
        answers[question_id].append(body)
    found: list[tuple[int, int, tuple[Question, str, int]]] = []
    for i, question in enumerate(rows):
        said = "\n".join(answers[question.pk])
        body = f"{question.body}\n{said}"
        levels = [matcher.rank(question.title, body, lang) for lang in ("sv", "en")]
        level = min((lv for lv in levels if lv is not None), default=None)
        if level is None:
            continue
        snippet = matcher.highlight(question.body) if question.body else ""
        if "<mark>" not in snippet:
            snippet = matcher.highlight(said) or snippet
        found.append((level, i, (question, snippet, len(answers[question.pk]))))
    found.sort(key=lambda f: (f[0], f[1]))
    return [row for _level, _i, row in found[:limit]], len(found)

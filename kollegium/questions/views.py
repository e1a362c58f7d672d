"""Thin views for "ask a colleague"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.competence.selectors import skills_for_user
from kollegium.core.actions import form_action, post_action
from kollegium.core.tokens import hash_token
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.questions import selectors, services
from kollegium.questions.anonymity import token_matches
from kollegium.questions.forms import AnswerForm, AskForm
from kollegium.questions.models import Answer, Question
from kollegium.questions.permissions import (
    can_follow_question,
    get_question_for_user_or_404,
    is_question_asker,
)


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "questions/list.html",
        {
            "mine": selectors.my_questions(user=actor_of(request)),
            "questions": selectors.question_list(user=actor_of(request)),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    skills = list(skills_for_user(actor_of(request)).order_by("area__order", "order"))
    initial = {"skills": [request.GET["skill"]]} if request.GET.get("skill") else None
    form = AskForm(request.POST or None, skills=skills, initial=initial)

    def post() -> Any:
        data = form.cleaned_data
        by_key = {s.key: s for s in skills}
        return services.question_ask(
            actor=actor_of(request),
            school=school,
            title=data["title"],
            body=data["body"],
            skills=[by_key[k] for k in data["skills"]],
            visibility=data["visibility"],
            anonymous=data["anonymous"],
        )

    def posted(result: Any) -> Any:
        question, token = result
        if token:
            # Shown once, in this response only: never in a URL, a message or a log.
            return render(request, "questions/asked.html", {"question": question, "token": token})
        return ("questions:detail", question.pk)

    done = form_action(
        request,
        form,
        post,
        success=lambda result: "" if result[1] else _("Your question is posted."),
        redirect_to=posted,
    )
    return done or render(request, "questions/ask.html", {"form": form, "school": school})


def _detail_context(request: HttpRequest, question: Question, token: str = "") -> dict:
    asker = is_question_asker(actor_of(request), question) or (
        question.is_anonymous and bool(token) and token_matches(token, question)
    )
    context = selectors.question_detail(user=actor_of(request), question=question)
    context.update(
        {
            "question": question,
            "is_asker": asker,
            "token": token if asker else "",
            "answer_form": AnswerForm(),
            "can_answer": not (question.is_anonymous and asker),
            "can_mark": not (question.is_anonymous and asker),
            "can_publish": question.accepted_answer_id is not None
            and not question.published_item_id
            and not (question.is_anonymous and asker),
        }
    )
    return context


@require_GET
def detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(actor_of(request), question_id)
    return render(request, "questions/detail.html", _detail_context(request, question))


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Open an anonymous question with its private code (posted, never in the URL)."""
    token = (request.POST.get("token") or "").strip()
    if request.method == "POST" and token:
        question = Question.objects.filter(
            is_anonymous=True, follow_token_hash=hash_token(token)
        ).first()
        if question is not None and can_follow_question(actor_of(request), question):
            return render(
                request, "questions/detail.html", _detail_context(request, question, token)
            )
        messages.error(request, _("No question matches that code."))
    return render(request, "questions/follow.html", {})


@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(actor_of(request), question_id)
    form = AnswerForm(request.POST)
    done = form_action(
        request,
        form,
        lambda: services.answer_post(
            actor=actor_of(request), question=question, **form.cleaned_data
        ),
        success=_("Thank you for your answer."),
        redirect_to=("questions:detail", question.pk),
    )
    if done:
        return done
    context = _detail_context(request, question)
    context["answer_form"] = form
    return render(request, "questions/detail.html", context, status=422)


def _answer_for(request: HttpRequest, question_id: int, answer_id: int) -> Answer:
    question = get_question_for_user_or_404(actor_of(request), question_id)
    return get_object_or_404(
        Answer.objects.select_related("question"), pk=answer_id, question=question
    )


@require_POST
def helpful(request: HttpRequest, question_id: int, answer_id: int) -> HttpResponse:
    target = _answer_for(request, question_id, answer_id)
    return post_action(
        request,
        lambda: services.helpful_toggle(actor=actor_of(request), answer=target),
        redirect_to=("questions:detail", question_id),
    )


@require_POST
def accept(request: HttpRequest, question_id: int, answer_id: int) -> HttpResponse:
    target = _answer_for(request, question_id, answer_id)
    token = (request.POST.get("token") or "").strip()

    def accepted(_result: Any) -> Any:
        if token:
            context = _detail_context(request, target.question, token)
            return render(request, "questions/detail.html", context)
        return ("questions:detail", question_id)

    return post_action(
        request,
        lambda: services.answer_accept(
            actor=actor_of(request), question=target.question, answer=target, token=token
        ),
        success=_("You accepted the answer. Thank you!"),
        redirect_to=accepted,
        error_redirect_to=("questions:detail", question_id),
    )


@require_POST
def publish(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user_or_404(actor_of(request), question_id)
    return post_action(
        request,
        lambda: services.question_publish_accepted_answer_to_library(
            actor=actor_of(request), question=question
        ),
        success=_("The answer is now in the library."),
        redirect_to=("questions:detail", question.pk),
    )

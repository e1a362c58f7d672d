"""Writes for "ask a colleague". Keyword-only, atomic, validating.

Anonymous questions: nothing written here links the question to its author. No author FK, no
audit record, no notification to the asker, no routing row that leaves the asker out (an
eligible asker is routed like anyone else, so the missing name gives nothing away).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.competence.models import CompetenceProfile, Skill, SkillLevel
from kollegium.competence.permissions import can_use_skill
from kollegium.core.services import audit_record, notification_send
from kollegium.core.tokens import new_token
from kollegium.library.services import item_publish_from_source
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership, NetworkMembership, Organisation
from kollegium.organisations.permissions import can_manage_school
from kollegium.questions import anonymity
from kollegium.questions.models import Answer, HelpfulMark, Question, Routing, Visibility
from kollegium.questions.permissions import can_ask_at, can_view_question, is_question_asker

MAX_TITLE = 200
MAX_BODY = 5000
MAX_SKILLS = 5
ROUTE_PER_QUESTION = 5
ROUTE_PER_PERSON_PER_WEEK = 3


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").strip()
    if not title:
        raise ValidationError({"title": _("Write your question.")})
    if len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": _("Keep the question to 200 characters; add details below.")}
        )
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Keep the details to 5,000 characters.")})
    return title, body


@transaction.atomic
def question_ask(
    *,
    actor: Actor,
    school: Organisation,
    title: str,
    body: str = "",
    skills: Iterable[Skill] = (),
    visibility: str = Visibility.SCHOOL,
    anonymous: bool = False,
) -> tuple[Question, str]:
    """Ask a question. Returns (question, follow token). The token is only non-empty for an
    anonymous question: show it to the asker once, it is stored only as a hash."""
    if not can_ask_at(actor, school.pk):
        raise PermissionDenied
    title, body = _clean_text(title, body)
    skills = list(skills)
    if len(skills) > MAX_SKILLS:
        raise ValidationError({"skills": _("Choose at most five skills.")})
    if any(not can_use_skill(actor, s) for s in skills):
        raise ValidationError({"skills": _("That skill is not available.")})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who can see the question.")})
    now = timezone.now()
    token = ""
    if anonymous:
        token = new_token()
        question = Question.objects.create(
            school=school,
            author=None,
            is_anonymous=True,
            follow_token_hash=anonymity.hash_token(token),
            title=title,
            body=body,
            visibility=visibility,
            # rounded to the hour, so the time cannot be matched against other activity
            created_at=now.replace(minute=0, second=0, microsecond=0),
        )
        question.asker_digest = anonymity.asker_digest(actor.pk, question.pk)
        question.save(update_fields=["asker_digest"])
    else:
        question = Question.objects.create(
            school=school,
            author=as_actor(actor).person,
            title=title,
            body=body,
            visibility=visibility,
        )
    question.skills.set(skills)
    question_route(question=question, exclude_user_id=None if anonymous else actor.pk)
    return question, token


def _eligible_helpers(question: Question, skill_ids: list[int]) -> list[int]:
    """Colleagues at level 3-4 who are willing to share, at the question's school (and at
    network schools, if the question is for the network and they opted in)."""
    scope = Q(user__memberships__school_id=question.school_id)
    if question.visibility == Visibility.NETWORK:
        networks = NetworkMembership.objects.filter(school_id=question.school_id).values(
            "network_id"
        )
        net_schools = NetworkMembership.objects.filter(network_id__in=networks).values("school_id")
        visible = CompetenceProfile.objects.filter(visible_in_network=True).values("user_id")
        scope |= Q(user__memberships__school_id__in=net_schools, user_id__in=visible)
    levels: dict[int, int] = {}
    for user_id, level in SkillLevel.objects.filter(
        scope,
        skill_id__in=skill_ids,
        level__gte=3,
        willing_to_share=True,
        user__is_active=True,
    ).values_list("user_id", "level"):
        levels[user_id] = max(levels.get(user_id, 0), level)
    return sorted(levels, key=lambda uid: (-levels[uid], uid))


def question_route(*, question: Question, exclude_user_id: int | None) -> list[int]:
    """Notify up to five skilled colleagues, none more than three times a week."""
    skill_ids = list(question.skills.values_list("pk", flat=True))
    if not skill_ids:
        return []
    candidates = [u for u in _eligible_helpers(question, skill_ids) if u != exclude_user_id]
    if not candidates:
        return []
    week_ago = timezone.now() - timedelta(days=7)
    recent = dict(
        Routing.objects.filter(recipient_id__in=candidates, created_at__gte=week_ago)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    chosen = [u for u in candidates if recent.get(u, 0) < ROUTE_PER_PERSON_PER_WEEK]
    chosen.sort(key=lambda u: recent.get(u, 0))  # stable: keeps level order within a tie
    chosen = chosen[:ROUTE_PER_QUESTION]
    people = User.objects.in_bulk(chosen)
    skill_names = list(question.skills.all())
    url = reverse("questions:detail", args=[question.pk])
    for user_id in chosen:
        recipient = people[user_id]
        Routing.objects.create(question=question, recipient=recipient)
        with translation.override(recipient.preferred_language or "sv"):
            names = ", ".join(s.name for s in skill_names)
            notification_send(
                recipient=recipient,
                kind="questions.routed",
                title=_("A colleague asks about %(skills)s") % {"skills": names},
                body=question.title,
                url=url,
            )
    return chosen


@transaction.atomic
def answer_post(*, actor: Actor, question: Question, body: str) -> Answer:
    if not can_view_question(actor, question):
        raise PermissionDenied
    if question.is_anonymous and is_question_asker(actor, question):
        raise ValidationError(
            {"body": _("You asked this anonymously; an answer from you would show your name.")}
        )
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your answer.")})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Keep the answer to 5,000 characters.")})
    person = as_actor(actor).person
    answer = Answer.objects.create(question=question, author=person, body=body)
    CompetenceProfile.objects.filter(user=person).update(updated_at=timezone.now())
    author = question.author
    if author is not None and author.pk != actor.pk:
        with translation.override(author.preferred_language or "sv"):
            notification_send(
                recipient=author,
                kind="questions.answered",
                title=_("%(name)s answered your question") % {"name": person.get_short_name()},
                body=question.title,
                url=reverse("questions:detail", args=[question.pk]),
            )
    return answer


@transaction.atomic
def helpful_toggle(*, actor: Actor, answer: Answer) -> bool:
    """Mark (or unmark) an answer as helpful. Returns whether it is now marked."""
    question = answer.question
    if not can_view_question(actor, question):
        raise PermissionDenied
    if answer.author_id == actor.pk:
        raise ValidationError(_("You cannot mark your own answer."))
    if question.is_anonymous and is_question_asker(actor, question):
        # A mark would be a row tying the asker to the question: accept the answer instead.
        raise ValidationError(_("You asked this anonymously: accept the answer instead."))
    deleted, _rows = HelpfulMark.objects.filter(answer=answer, user_id=actor.pk).delete()
    if deleted:
        return False
    HelpfulMark.objects.create(answer=answer, user=as_actor(actor).person)
    return True


@transaction.atomic
def answer_accept(*, actor: Actor, question: Question, answer: Answer, token: str = "") -> None:
    """The asker (by account, or by the private link of an anonymous question) accepts."""
    allowed = is_question_asker(actor, question) or (
        question.is_anonymous and token and anonymity.token_matches(token, question)
    )
    if not allowed:
        raise PermissionDenied
    if answer.question_id != question.pk:
        raise ValidationError(_("That answer belongs to another question."))
    question.accepted_answer = answer
    question.save(update_fields=["accepted_answer"])
    if answer.author_id != actor.pk:
        author = answer.author
        with translation.override(author.preferred_language or "sv"):
            notification_send(
                recipient=author,
                kind="questions.accepted",
                title=_("Your answer helped: it was accepted"),
                body=question.title,
                url=reverse("questions:detail", args=[question.pk]),
            )


def accepted_answer_markdown(question: Question) -> str:
    answer = question.accepted_answer
    assert answer is not None
    asked_by = _("asked anonymously") if question.is_anonymous else str(question.author or "")
    question_word, answer_word = _("Question"), _("Answer")
    parts = [
        f"**{question_word}** ({asked_by}): {question.title}",
        question.body,
        f"**{answer_word}** ({answer.author}):",
        answer.body,
    ]
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def question_publish_accepted_answer_to_library(*, actor: Actor, question: Question) -> Any:
    """Publish the accepted answer to the library (once).

    Allowed for the answer's author, the school's leaders, and the named asker. Not for the
    anonymous asker: the library item would carry their name and point at the question."""
    if not can_view_question(actor, question):
        raise PermissionDenied
    answer = question.accepted_answer
    if answer is None:
        raise ValidationError(_("Accept an answer first."))
    allowed = (
        answer.author_id == actor.pk
        or can_manage_school(actor, question.school)
        or (not question.is_anonymous and question.author_id == actor.pk)
    )
    if not allowed:
        raise PermissionDenied
    if question.published_item_id:
        raise ValidationError(_("This answer is already in the library."))
    if not Membership.objects.filter(user_id=actor.pk, school=question.school).exists():
        raise PermissionDenied
    item = item_publish_from_source(
        actor=actor,
        title=question.title,
        body_markdown=accepted_answer_markdown(question),
        item_type="answer",
        visibility="network" if question.visibility == Visibility.NETWORK else "school",
        school=question.school,
        origin_label=_("Ask a colleague"),
        origin_url=reverse("questions:detail", args=[question.pk]),
        skills=list(question.skills.all()),
        language="sv",
    )
    question.published_item_id = item.pk
    question.save(update_fields=["published_item_id"])
    audit_record(
        actor=actor,
        action="questions.answer_published",
        target=answer,
        school=question.school,
        data={"item": item.pk},
    )
    return item

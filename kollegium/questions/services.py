"""Writes for "ask a colleague". Keyword-only, atomic, validating.

Anonymous questions: nothing written here links the question to its author. No author FK, no
audit record, no notification to the asker. Asking writes the question and its skills only;
routing happens in the hourly batch (`questions_route_waiting`), which recognises the asker
among the eligible colleagues in memory (the same digest their account uses) and never asks
them, choosing at random and always leaving one eligible colleague out, so that not being
asked points at nobody (docs/features/competence.md states what remains).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.accounts.models import User
from kollegium.competence.models import CompetenceProfile, Skill, SkillLevel
from kollegium.competence.permissions import can_use_skill
from kollegium.core.models import Notification
from kollegium.core.notices import in_each_language
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
            created_at=_hour_of(now),
            awaits_routing=True,
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
    if not anonymous:
        question_route(question=question, exclude_user_id=actor.pk)
    return question, token


def _hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


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


def _routed_this_week(candidates: list[int]) -> dict[int, int]:
    week_ago = timezone.now() - timedelta(days=7)
    return dict(
        Routing.objects.filter(recipient_id__in=candidates, created_at__gte=week_ago)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )


def question_route(*, question: Question, exclude_user_id: int | None) -> list[int]:
    """A named question: notify up to five skilled colleagues (never its author), highest
    level and least asked first, none more than three times a week."""
    skill_ids = list(question.skills.values_list("pk", flat=True))
    if not skill_ids:
        return []
    candidates = [u for u in _eligible_helpers(question, skill_ids) if u != exclude_user_id]
    if not candidates:
        return []
    recent = _routed_this_week(candidates)
    chosen = [u for u in candidates if recent.get(u, 0) < ROUTE_PER_PERSON_PER_WEEK]
    chosen.sort(key=lambda u: recent.get(u, 0))  # stable: keeps level order within a tie
    chosen = chosen[:ROUTE_PER_QUESTION]
    _notify_routed(question, chosen)
    return chosen


def _notify_routed(question: Question, chosen: list[int], at: datetime | None = None) -> None:
    """Routing rows and notifications for ``chosen``; ``at`` (an hour start) replaces the
    rows' times for an anonymous question."""
    people = User.objects.in_bulk(chosen)
    skill_names = list(question.skills.all())
    url = reverse("questions:detail", args=[question.pk])
    names = in_each_language(lambda: ", ".join(s.name for s in skill_names))
    notified = []
    for user_id in chosen:
        recipient = people[user_id]
        Routing.objects.create(
            question=question, recipient=recipient, created_at=at or timezone.now()
        )
        notification = notification_send(
            recipient=recipient,
            kind="questions.routed",
            title=gettext_lazy("A colleague asks about %(skills)s"),
            params={"skills": names},
            body=question.title,
            url=url,
        )
        notified.append(notification.pk)
    if at is not None and notified:
        Notification.objects.filter(pk__in=notified).update(created_at=at)


def _route_anonymous(question: Question, at: datetime, rng: random.Random) -> list[int]:
    """Route an anonymous question without asking its asker, and without that showing.

    E = the colleagues eligible now (skill, level 3–4, willing, under the weekly cap), the
    asker included if they are one. The asker is recognised in memory by their digest and
    left out; of the rest, ``min(5, |E| - 1)`` are chosen at random. Always leaving at least
    one of E out, whether or not the asker is in it, means a colleague who was not asked is
    only |E| / (|E| - k) times as likely to be the asker as before, never certainly so.
    """
    skill_ids = list(question.skills.values_list("pk", flat=True))
    eligible = _eligible_helpers(question, skill_ids) if skill_ids else []
    recent = _routed_this_week(eligible)
    pool = [u for u in eligible if recent.get(u, 0) < ROUTE_PER_PERSON_PER_WEEK]
    count = min(ROUTE_PER_QUESTION, len(pool) - 1)
    if count <= 0:
        return []
    others = [u for u in pool if not anonymity.is_asker_id(u, question)]
    chosen = rng.sample(others, min(count, len(others)))
    _notify_routed(question, chosen, at=at)
    return chosen


def questions_route_waiting(*, now: datetime | None = None) -> int:
    """Route the anonymous questions asked in hours that have ended (run hourly by
    ``manage.py questions_route``). Questions are taken in random order, each in its own
    transaction, so neither the order of the rows written nor their ids follow the order
    in which the questions were asked. Returns how many were routed."""
    hour = _hour_of(now or timezone.now())
    waiting = list(
        Question.objects.filter(awaits_routing=True, created_at__lt=hour).values_list(
            "pk", flat=True
        )
    )
    rng = random.SystemRandom()
    rng.shuffle(waiting)
    for question_id in waiting:
        with transaction.atomic():
            question = (
                Question.objects.select_for_update()
                .filter(pk=question_id, awaits_routing=True)
                .first()
            )
            if question is None:  # another batch took it
                continue
            _route_anonymous(question, hour, rng)
            question.awaits_routing = False
            question.save(update_fields=["awaits_routing"])
    return len(waiting)


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
        notification_send(
            recipient=author,
            kind="questions.answered",
            title=gettext_lazy("%(name)s answered your question"),
            params={"name": person.get_short_name()},
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
        notification_send(
            recipient=author,
            kind="questions.accepted",
            title=gettext_lazy("Your answer helped: it was accepted"),
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

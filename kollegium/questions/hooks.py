from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kollegium.core.acting import ActingPerson
from kollegium.core.homepage import watch
from kollegium.core.registry import (
    HomePanel,
    NavItem,
    SearchKind,
    SearchResult,
    register_home_panel,
    register_nav_item,
    register_search_kind,
)
from kollegium.core.textsearch import text_matcher
from kollegium.organisations.actor import actor_of, as_actor
from kollegium.questions.models import Question, Routing

register_nav_item(NavItem("questions:list", _("Questions"), order=20, match_prefix="/questions/"))


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Open questions colleagues asked this person to help with (one query)."""

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    asked = list(
        Question.objects.filter(
            routings__recipient_id=user.pk, accepted_answer__isnull=True
        ).order_by("-created_at", "-id")[:5]
    )
    return {"asked": asked} if asked else None


register_home_panel(HomePanel("questions/_home_panel.html", home_panel, order=15))


def quick_actions(request: HttpRequest) -> dict[str, Any] | None:
    """The three things a teacher does most, one tap from home (issue 16): find who can help
    with a need typed in their own words, ask (anonymously if they like), share a tip. No
    query: for everyone at a school."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    return {} if actor_of(request).memberships else None


register_home_panel(HomePanel("questions/_quick_actions.html", quick_actions, order=2))


# Whose home page changes: the colleagues a question was routed to (never its author, who may
# be anonymous).
watch(Routing, users=lambda routing: [routing.recipient_id])
watch(
    Question,
    users=lambda question: Routing.objects.filter(question_id=question.pk).values("recipient_id"),
)


def _search(person: ActingPerson, raw: str, limit: int) -> tuple[list[SearchResult], int]:
    """The one search box: answered questions (never who asked them)."""
    from kollegium.questions.selectors import answered_questions_matching

    found, total = answered_questions_matching(
        user=as_actor(person), matcher=text_matcher(raw), limit=limit
    )
    results = [
        SearchResult(
            title=question.title,
            url=reverse("questions:detail", args=[question.pk]),
            snippet_html=snippet,
            meta=ngettext("%(n)s answer", "%(n)s answers", n) % {"n": n},
        )
        for question, snippet, n in found
    ]
    return results, total


register_search_kind(SearchKind("questions", _("Answered questions"), _search, order=30))

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.core.homepage import watch
from kollegium.core.registry import HomePanel, NavItem, register_home_panel, register_nav_item
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


# Whose home page changes: the colleagues a question was routed to (never its author, who may
# be anonymous).
watch(Routing, users=lambda routing: [routing.recipient_id])
watch(
    Question,
    users=lambda question: Routing.objects.filter(question_id=question.pk).values("recipient_id"),
)

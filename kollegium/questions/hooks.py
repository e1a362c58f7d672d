from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import HomePanel, NavItem, register_home_panel, register_nav_item

register_nav_item(NavItem("questions:list", _("Questions"), order=20, match_prefix="/questions/"))


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Open questions colleagues asked this person to help with (one query)."""
    from kollegium.questions.models import Question

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

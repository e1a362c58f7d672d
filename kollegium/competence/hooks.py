from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kollegium.core.registry import HomePanel, NavItem, register_home_panel, register_nav_item

register_nav_item(
    NavItem("competence:profile", _("Competence"), order=10, match_prefix="/competence/")
)


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """ "You are the only one at your school who …" (a constant number of queries)."""
    from kollegium.competence.selectors import sole_holdings

    if not getattr(request.user, "is_authenticated", False):
        return None
    sole = sole_holdings(user=request.user)
    return {"sole": sole} if sole else None


register_home_panel(HomePanel("competence/_home_panel.html", home_panel, order=12))

"""Which changes to a person concern home pages (kollegium/core/homepage.py)."""

from typing import Any

from django.core.signals import request_finished

from kollegium.accounts import signed_in
from kollegium.accounts.models import User
from kollegium.core.homepage import watch
from kollegium.organisations.models import Membership


def _shown_on_home_pages(user: Any, signal: dict[str, Any]) -> bool:
    # Signing in stamps last_login, which no page shows.
    update_fields = signal.get("update_fields")
    return not update_fields or not set(update_fields) <= {"last_login"}


# The person's own name and language; their name on colleagues' pages, and whether they count
# as a colleague at all (an inactive person holds no skill for the school).
watch(
    User,
    users=lambda user: [user.pk],
    schools=lambda user: Membership.objects.filter(user_id=user.pk).values("school_id"),
    when=_shown_on_home_pages,
)


def _forget_signed_in(**kwargs: Any) -> None:
    signed_in.leave(None, None)


# A person read with the session but not taken (a page that never asked who is signed in)
# does not outlive its request.
request_finished.connect(_forget_signed_in, dispatch_uid="kollegium-forget-signed-in")

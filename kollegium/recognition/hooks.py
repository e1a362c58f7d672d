"""The recognition app's hooks: guests' grants for the groups' permissions. "My
contributions" is reached from the profile, not the menu, which must fit on one row."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in

from kollegium.core.guests import register_guest_grants
from kollegium.recognition.middleware import mark_guest_session
from kollegium.recognition.permissions import guest_grants_of

register_guest_grants(guest_grants_of)  # type: ignore[arg-type]
user_logged_in.connect(mark_guest_session, dispatch_uid="recognition.mark_guest_session")

"""Request-scoped clean-up of the signed-in person.

Which changes to a person concern home pages is in kollegium/organisations/hooks.py: it
needs the person's schools.
"""

from typing import Any

from django.core.signals import request_finished

from kollegium.accounts import signed_in


def _forget_signed_in(**kwargs: Any) -> None:
    signed_in.leave(None, None)


# A person read with the session but not taken (a page that never asked who is signed in)
# does not outlive its request.
request_finished.connect(_forget_signed_in, dispatch_uid="kollegium-forget-signed-in")

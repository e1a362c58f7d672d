"""Who acts, as far as core knows.

The apps pass an ``organisations.actor.Actor`` (the person with their memberships, schools and
roles); core sits below organisations and cannot import it, so its services and hooks accept
anything that says who the person is and whether they are signed in. A stored or anonymous
user fits too.
"""

from typing import Any, Protocol


class ActingPerson(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

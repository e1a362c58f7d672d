"""Sign-in backends that load the signed-in person with one fixed SQL statement.

Django loads the user on every request (`get_user`). Usually the session store has already
read the person in the same statement as the session (kollegium/accounts/signed_in.py);
otherwise a raw query with the model's own columns gives the same instance for a fraction of
what the ORM costs. Either way the person comes with their home-page version as
`home_version` (None if they have no version row yet), so a kept home page needs no query of
its own (kollegium/core/homepage.py).
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from kollegium.accounts import signed_in

_read_sql = ""


def _person_statement() -> str:
    global _read_sql
    if not _read_sql:
        _read_sql = signed_in.person_by_id_statement()
    return _read_sql


class _FastGetUser:
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:  # a tampered session: nobody is signed in
            return None
        user = signed_in.take(user_id)
        if user is None:
            alias = router.db_for_read(user_model)
            with connections[alias].cursor() as cursor:
                cursor.execute(_person_statement(), [user_id])
                row = cursor.fetchone()
            user = signed_in.person_from_row(row, alias) if row else None
        if user is None or not self.user_can_authenticate(user):  # type: ignore[attr-defined]
            return None
        return user


class PasswordBackend(_FastGetUser, ModelBackend):
    """Django's password sign-in (also used by `force_login` and the invitation flow)."""


class AccountBackend(_FastGetUser, AuthenticationBackend):
    """django-allauth's sign-in by email address."""

"""Sign-in backends that load the signed-in person with one fixed SQL statement.

Django loads the user on every request (`get_user`). Through the ORM, building that query
costs several times the lookup; a raw query with the model's own columns gives the same
instance for a fraction of it. The same statement brings the person's home-page version
(kollegium/core/homepage.py), so a kept home page costs no query beyond the session's and
this one.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from kollegium.core.models import HomeVersion


class _FastGetUser:
    _sql = ""

    def get_user(self, user_id: Any) -> Any:
        """The person, with their home-page version as `home_version` (None if they have no
        version row yet): the home page then needs no query of its own for it."""
        user_model = get_user_model()
        if not _FastGetUser._sql:
            opts = user_model._meta
            table, pk = opts.db_table, opts.pk.column
            columns = ", ".join(f'"{table}"."{field.column}"' for field in opts.concrete_fields)
            versions = HomeVersion._meta.db_table
            _FastGetUser._sql = (
                f'SELECT {columns}, "{versions}"."version" AS "home_version"'  # noqa: S608
                f' FROM "{table}" LEFT JOIN "{versions}"'
                f' ON "{versions}"."user_id" = "{table}"."{pk}"'
                f' WHERE "{table}"."{pk}" = %s'
            )
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:  # a tampered session: nobody is signed in
            return None
        user = next(iter(user_model._default_manager.raw(_FastGetUser._sql, [user_id])), None)
        if user is None or not self.user_can_authenticate(user):  # type: ignore[attr-defined]
            return None
        return user


class PasswordBackend(_FastGetUser, ModelBackend):
    """Django's password sign-in (also used by `force_login` and the invitation flow)."""


class AccountBackend(_FastGetUser, AuthenticationBackend):
    """django-allauth's sign-in by email address."""

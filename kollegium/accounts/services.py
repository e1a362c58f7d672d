"""Writes about people: profiles and language. (Invitations to a school: organisations.)"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.acting import ActingPerson


@transaction.atomic
def user_update_profile(
    *,
    actor: ActingPerson,
    user: User,
    full_name: str,
    languages: str = "",
    ask_me_about: str = "",
    subject_ids: list[int] | None = None,
    stage_ids: list[int] | None = None,
    wants_email_notifications: bool = True,
    preferred_language: str | None = None,
) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only edit your own profile."))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    user.full_name = full_name[:150]
    user.languages = languages.strip()[:200]
    user.ask_me_about = ask_me_about.strip()[:300]
    user.wants_email_notifications = wants_email_notifications
    if preferred_language in dict(settings.LANGUAGES):
        user.preferred_language = preferred_language
    user.save()
    if subject_ids is not None:
        user.subjects.set(subject_ids)
    if stage_ids is not None:
        user.stages.set(stage_ids)
    return user


def user_set_language(*, actor: User | AnonymousUser, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose Swedish or English."))
    if isinstance(actor, User) and actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])

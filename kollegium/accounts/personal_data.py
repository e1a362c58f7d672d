"""The accounts app's personal data (issue 12): the profile and the sessions."""

from collections.abc import Iterable, Mapping
from typing import Any

from kollegium.accounts.models import User
from kollegium.core.registry import Erasure, PersonalData, register_personal_data


def _profile(person: Any) -> Iterable[Mapping[str, Any]]:
    user = User.objects.prefetch_related("subjects", "stages").get(pk=person.pk)
    yield {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "languages": user.languages,
        "ask_me_about": user.ask_me_about,
        "subjects": [subject.name for subject in user.subjects.all()],
        "stages": [str(stage) for stage in user.stages.all()],
        "wants_email_notifications": user.wants_email_notifications,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }


def erased_email(person_id: int) -> str:
    """The address an erased person's row gets (unique, never deliverable: RFC 2606)."""
    return f"erased-{person_id}@erased.invalid"


def _anonymise(erasure: Erasure) -> int:
    """The person's own row stays (what they made points at it) but says only the role."""
    user = User.objects.get(pk=erasure.person.pk)
    # Unless the owner decided to keep the official records attributed: then the name stays.
    if erasure.records != "keep":
        user.full_name = erasure.role_label
    user.email = erased_email(user.pk)
    user.languages = ""
    user.ask_me_about = ""
    user.external_id = ""
    user.wants_email_notifications = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.subjects.clear()
    user.stages.clear()
    user.groups.clear()
    user.user_permissions.clear()
    return 1


register_personal_data(
    PersonalData(
        model="accounts.User",
        person_fields=("pk",),
        export=_profile,
        erase=_anonymise,
        kept=(
            "Records that are kept point at the person's row, which then holds only the role "
            "(for example 'a teacher at Björkskolan'), no name, email or profile."
        ),
        order=1000,  # last: the other erasers still find the person's name and email
    ),
    PersonalData(
        model="accounts.Session",
        person_fields=("user",),
        export_fields=("expire_date",),
    ),
)

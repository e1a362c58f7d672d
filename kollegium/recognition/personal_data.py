"""The recognition app's personal data (issue 15)."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="recognition.ThanksNote",
        person_fields=("sender", "receiver"),
        export_fields=(
            "sender__full_name",
            "receiver__full_name",
            "text",
            "link_title",
            "on_profile",
            "created_at",
        ),
        text_fields=("text",),
    ),
    PersonalData(
        model="recognition.ContributionSharing",
        person_fields=("user",),
        export_fields=("shared", "updated_at"),
    ),
    PersonalData(
        model="recognition.GuestInvitation",
        person_fields=("guest", "invited_by"),
        export_fields=(
            "email",
            "full_name",
            "role_description",
            "group__name",
            "created_at",
            "access_until",
            "accepted_at",
            "revoked_at",
        ),
    ),
    PersonalData(
        model="recognition.Confirmation",
        person_fields=("person", "issued_by"),
        export_fields=("title", "hours", "meetings", "issued_at", "token"),
    ),
)

"""The notifications app's personal data: a person's email choices and what was sent."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="notifications.Preference",
        person_fields=("user",),
        export_fields=("kind", "delivery", "updated_at"),
    ),
    PersonalData(
        model="notifications.EmailDelivery",
        person_fields=("recipient",),
        export_fields=("kind", "delivery", "over_cap", "emailed_on", "digest_id"),
    ),
    PersonalData(
        model="notifications.Digest",
        person_fields=("recipient",),
        export_fields=("period", "starts_on", "sent_at", "count"),
    ),
    PersonalData(
        model="notifications.CapNotice",
        person_fields=("recipient",),
        export_fields=("day",),
    ),
)

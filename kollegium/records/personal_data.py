"""The records app's personal data (issue 12): accessibility reports name who reported them."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="records.AccessibilityReport",
        person_fields=("reporter",),
        export_fields=("created_at", "page", "message", "handled_at", "reply"),
        erase="delete",
        text_fields=("page", "message", "reply"),
    )
)

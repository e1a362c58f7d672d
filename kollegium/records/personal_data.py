"""The records app's personal data (issue 12), registered by model name only (core.registry)."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="records.AccessibilityReport",
        person_fields=("reporter",),
        export_fields=("page", "message", "created_at", "handled_at", "reply"),
        erase="keep",
        kept="A report the operator follows up (DOS-lagen); the reporter is replaced by the "
        "role, and their name in the text too.",
        text_fields=("message", "reply"),
    ),
)

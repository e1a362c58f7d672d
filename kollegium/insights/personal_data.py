"""The insights app's personal data (issue 12): only who last set a time promise."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="insights.TimePromise",
        person_fields=("updated_by",),
        export_fields=("school__name", "minutes", "unit", "updated_at"),
        erase="keep",
        kept="The school's promise of time; who set it last is replaced by the role.",
    ),
)

"""The insights app's personal data (issue 12): only who last set a promise of time. All other
figures are computed from the other apps' records, which they register themselves."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="insights.TimePromise",
        person_fields=("updated_by",),
        export_fields=("school__name", "team__name", "minutes", "unit", "updated_at"),
        erase="keep",
        kept="The school's promise of time for everyone; who last set it is replaced by the role.",
    ),
)

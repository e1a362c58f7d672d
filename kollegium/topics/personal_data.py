"""The topics app's personal data (issue 15)."""

from kollegium.core.registry import PersonalData, register_personal_data

_SHARED = (
    "Topics, responses and decisions are the school's open record of what it chose to learn "
    "and why; the person is replaced by the role, and their name in the text too."
)

register_personal_data(
    PersonalData(
        model="topics.Topic",
        person_fields=("proposer",),
        export_fields=("title", "need", "description", "evidence", "school__name", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("title", "need", "description", "evidence"),
    ),
    PersonalData(
        model="topics.Response",
        person_fields=("user",),
        export_fields=("topic__title", "kind", "text", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("text",),
    ),
    PersonalData(
        model="topics.Decision",
        person_fields=("decided_by",),
        export_fields=("topic__title", "kind", "reason", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("reason",),
    ),
    PersonalData(
        model="topics.SchoolWeights",
        person_fields=("updated_by",),
        export_fields=("school__name", "weights", "updated_at"),
        erase="keep",
        kept="The school's published weights stay; who changed them is in the audit log.",
    ),
)

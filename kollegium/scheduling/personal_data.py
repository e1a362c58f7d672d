"""Scheduling's personal data (issue 12): timetables, subscriptions, calendar feeds."""

from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="scheduling.TimetableImport",
        person_fields=("user",),
        export_fields=("source", "name", "lessons_read", "created_at"),
    ),
    PersonalData(
        model="scheduling.TimetableEntry",
        person_fields=("user",),
        export_fields=(
            "kind",
            "title",
            "subject",
            "group_name",
            "room",
            "start",
            "end",
            "source",
            "reason",
        ),
    ),
    PersonalData(
        model="scheduling.SeriesCorrection",
        person_fields=("user",),
        export_fields=("series_key", "is_lesson", "created_at"),
    ),
    PersonalData(
        model="scheduling.TimetableSubscription",
        person_fields=("user",),
        export_fields=("url", "last_fetched_at", "created_at"),
    ),
    PersonalData(
        model="scheduling.CalendarFeed",
        person_fields=("user",),
        export_fields=("hint", "created_at", "last_used_at", "revoked_at"),
    ),
    PersonalData(
        model="scheduling.DedicatedTime",
        person_fields=("created_by",),
        export_fields=("school__name", "title", "created_at"),
        erase="keep",
        kept="The school's protected time for everyone; its creator is replaced by the role.",
    ),
)

"""Peer observation's personal data (issue 12).

Notes are the writer's alone: the export holds only the person's own notes, and erasure
removes them. The observation itself is also the partner's record, so it stays with the
person replaced by the role.
"""

from kollegium.core.audience import register_audience
from kollegium.core.registry import PersonalData, register_personal_data
from kollegium.observations.permissions import observation_audience

_PAIR = "Also the partner's record; the person is replaced by the role and their name in it."

register_personal_data(
    PersonalData(
        model="observations.Observation",
        person_fields=("observer", "observed"),
        export_fields=(
            "school__name",
            "observer__full_name",
            "observed__full_name",
            "start",
            "end",
            "lesson_label",
            "focus_key",
            "focus_detail",
            "status",
            "reason",
            "debrief_start",
            "debrief_end",
        ),
        erase="keep",
        kept=_PAIR,
        text_fields=("lesson_label", "focus_detail", "reason"),
    ),
    PersonalData(
        model="observations.ObservationNote",
        person_fields=("author",),
        export_fields=("observation__start", "observation__lesson_label", "body", "created_at"),
        text_fields=("body",),
    ),
    PersonalData(
        model="observations.SharedLearning",
        person_fields=("author",),
        export_fields=("focus_key", "body", "created_at"),
        erase="keep",
        kept="Shared with the team as learning; the person is replaced by the role.",
        text_fields=("body",),
    ),
    PersonalData(
        model="observations.ObservationRound",
        person_fields=("created_by", "participants"),
        export_fields=("title", "first_day", "last_day", "status", "created_at"),
        erase="keep",
        kept="The school's plan of observations; the person is replaced by the role.",
        text_fields=("title",),
    ),
    PersonalData(
        model="observations.RoundPair",
        person_fields=("observer", "observed"),
        export_fields=(
            "round__title",
            "start",
            "end",
            "lesson_label",
            "status",
            "observer_response",
            "observed_response",
            "decline_reason",
        ),
        erase="keep",
        kept=_PAIR,
        text_fields=("lesson_label", "decline_reason"),
    ),
)

# "Who can see this?" on an observation's page (core/audience.py).
register_audience("observations.Observation", observation_audience)

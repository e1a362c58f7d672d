"""The groups app's personal data (issue 12): places in groups, commitments, talks, minutes.

Minutes and proven-practice conclusions are the group's records: they are kept when a member
is erased, with the member replaced by the role ("a teacher at Björkskolan") and their name in
the text too; when the owner decides that the person's own records go as well, the
conclusions they wrote are removed.
"""

from typing import Any

from kollegium.core.audience import Audience, register_audience
from kollegium.core.registry import Erasure, PersonalData, register_personal_data
from kollegium.groups.models import Conclusion
from kollegium.groups.permissions import group_work_audience

_GROUP_RECORD = (
    "Part of the group's record, which the other members keep; the person is replaced by the "
    "role and their name in the text too."
)


def _conclusions(erasure: Erasure) -> int:
    if erasure.records != "delete":
        return 0
    deleted, _ = Conclusion.objects.filter(created_by=erasure.person).delete()
    return deleted


register_personal_data(
    PersonalData(
        model="groups.GroupMembership",
        person_fields=("user",),
        export_fields=("group__name", "role", "joined_at"),
        order=900,
    ),
    PersonalData(
        model="groups.LearningGroup",
        person_fields=("created_by",),
        export_fields=("name", "purpose", "created_at"),
        erase="keep",
        kept=_GROUP_RECORD,
        text_fields=("purpose",),
    ),
    PersonalData(
        model="groups.MethodGuide",
        person_fields=("created_by",),
        export_fields=("title_sv", "title_en", "created_at"),
        erase="keep",
        kept="A method guide others use; its author is replaced by the role.",
    ),
    PersonalData(
        model="groups.Meeting",
        person_fields=("discussion_leader", "note_taker", "timekeeper", "created_by"),
        export_fields=("group__name", "starts_at", "ends_at", "place", "minutes", "decisions"),
        erase="keep",
        kept=_GROUP_RECORD,
        text_fields=("minutes", "decisions", "place"),
        official=True,
    ),
    PersonalData(
        model="groups.MinutesRevision",
        person_fields=("author",),
        export_fields=("meeting__group__name", "meeting__starts_at", "number", "created_at"),
        erase="keep",
        kept=_GROUP_RECORD,
        text_fields=("minutes", "decisions"),
        official=True,
    ),
    PersonalData(
        model="groups.Attendance",
        person_fields=("user",),
        export_fields=("meeting__group__name", "meeting__starts_at", "present"),
        erase="keep",
        kept="The group's time ledger counts who came; the person is replaced by the role.",
    ),
    PersonalData(
        model="groups.Commitment",
        person_fields=("user",),
        export_fields=(
            "group__name",
            "text",
            "due_on",
            "outcome",
            "reflection",
            "reflected_at",
            "created_at",
        ),
        text_fields=("text", "reflection"),
    ),
    PersonalData(
        model="groups.Talk",
        person_fields=("speaker",),
        export_fields=("meeting__group__name", "title", "description", "created_at"),
        text_fields=("title", "description"),
    ),
    PersonalData(
        model="groups.TalkDraw",
        person_fields=("drawn_by",),
        export_fields=("meeting__group__name", "meeting__starts_at", "seed", "drawn_at"),
        erase="keep",
        kept=(
            "How a meeting's speaking order was drawn, kept so anyone can repeat it; the person "
            "who drew it is replaced by the role."
        ),
    ),
    PersonalData(
        model="groups.Material",
        person_fields=("added_by",),
        export_fields=("group__name", "title", "url", "description", "created_at"),
        erase="keep",
        kept=_GROUP_RECORD,
        text_fields=("title", "description"),
    ),
    PersonalData(
        model="groups.Conclusion",
        person_fields=("created_by",),
        export_fields=(
            "group__name",
            "title",
            "tried",
            "evidence",
            "conclusion",
            "created_at",
            "published_at",
        ),
        erase=_conclusions,
        text_fields=("title", "tried", "evidence", "conclusion"),
        official=True,
    ),
)


def _of_group_work(thing: Any) -> Audience:
    return group_work_audience(thing.group)


# "Who can see this?" by the minutes, the commitments and the proven-practice records
# (core/audience.py): all are the group's work, under one rule (``can_view_group_work``).
register_audience("groups.Meeting", _of_group_work)
register_audience("groups.Commitment", _of_group_work)
register_audience("groups.Conclusion", _of_group_work)

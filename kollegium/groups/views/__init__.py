"""Thin views: parse the request, check access, call a service or selector, render."""

from kollegium.groups.views.groups import (
    group_create,
    group_detail,
    group_edit,
    group_list,
    overview,
)
from kollegium.groups.views.guides import guide_adapt, guide_detail, guide_list
from kollegium.groups.views.meetings import (
    commitment_reflect,
    meeting_apologies,
    meeting_attendance,
    meeting_cancel,
    meeting_commitment_create,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_minutes_history,
    meeting_minutes_save,
)
from kollegium.groups.views.outcomes import (
    conclusion_create,
    conclusion_publish,
    evidence,
    evidence_lesson_add,
    evidence_result_save,
    export,
)
from kollegium.groups.views.talks import (
    talk_draw,
    talk_edit,
    talk_move,
    talk_remove,
    talk_reorder,
    talk_signup,
    talk_withdraw,
)

__all__ = [
    "commitment_reflect",
    "conclusion_create",
    "conclusion_publish",
    "evidence",
    "evidence_lesson_add",
    "evidence_result_save",
    "export",
    "group_create",
    "group_detail",
    "group_edit",
    "group_list",
    "guide_adapt",
    "guide_detail",
    "guide_list",
    "meeting_apologies",
    "meeting_attendance",
    "meeting_cancel",
    "meeting_commitment_create",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_minutes_history",
    "meeting_minutes_save",
    "overview",
    "talk_draw",
    "talk_edit",
    "talk_move",
    "talk_remove",
    "talk_reorder",
    "talk_signup",
    "talk_withdraw",
]

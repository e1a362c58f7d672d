"""Writes for learning groups. Every function is keyword-only, atomic and validating.

Split by subject; import from here: ``from kollegium.groups import services``.
"""

from kollegium.groups.services.draw import talk_order_draw
from kollegium.groups.services.groups import (
    group_create,
    group_members_update,
    group_update,
    material_add,
)
from kollegium.groups.services.guides import guide_adapt, shipped_guide, shipped_guide_files
from kollegium.groups.services.meetings import (
    MinutesSaved,
    meeting_attendance_record,
    meeting_cancel,
    meeting_notes_save,
    meeting_reschedule,
    meeting_schedule,
    meeting_send_apologies,
    phase_for_next_meeting,
)
from kollegium.groups.services.outcomes import (
    commitment_create,
    commitment_reflect,
    conclusion_create,
    conclusion_publish_to_library,
    lesson_version_create,
    test_result_save,
)
from kollegium.groups.services.reminders import (
    commitment_reminders_send,
    meeting_reminders_send,
)
from kollegium.groups.services.talks import (
    talk_move,
    talk_remove,
    talk_reorder,
    talk_signup,
    talk_update,
    talk_withdraw,
    talks_open,
)
from kollegium.groups.services.timer import meeting_timer_run, meeting_timer_step

__all__ = [
    "MinutesSaved",
    "commitment_create",
    "commitment_reflect",
    "commitment_reminders_send",
    "conclusion_create",
    "conclusion_publish_to_library",
    "group_create",
    "group_members_update",
    "group_update",
    "guide_adapt",
    "lesson_version_create",
    "material_add",
    "meeting_attendance_record",
    "meeting_cancel",
    "meeting_notes_save",
    "meeting_reminders_send",
    "meeting_reschedule",
    "meeting_schedule",
    "meeting_send_apologies",
    "meeting_timer_run",
    "meeting_timer_step",
    "phase_for_next_meeting",
    "shipped_guide",
    "shipped_guide_files",
    "talk_move",
    "talk_order_draw",
    "talk_remove",
    "talk_reorder",
    "talk_signup",
    "talk_update",
    "talk_withdraw",
    "talks_open",
    "test_result_save",
]

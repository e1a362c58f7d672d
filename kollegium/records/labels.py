"""Readable names of the audit log's actions (the stored code stays as it is)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "accounts.email_changed": _("Email address changed"),
    "accounts.password_changed": _("Password changed"),
    "accounts.password_reset": _("Password reset"),
    "accounts.password_set": _("Password set"),
    "competence.focus_skills_set": _("Skills of a development focus set"),
    "competence.matrix_imported": _("Competence matrix imported"),
    "competence.skill_created": _("Skill created"),
    "directory.file_previewed": _("Staff file previewed"),
    "directory.source_created": _("Staff directory source added"),
    "directory.source_updated": _("Staff directory source changed"),
    "directory.sync_applied": _("Staff directory synchronised"),
    "directory.sync_requested": _("Staff directory synchronisation requested"),
    "focus.created": _("Development focus created"),
    "groups.conclusion_created": _("Proven-practice conclusion created"),
    "groups.conclusion_published": _("Proven-practice conclusion published"),
    "groups.group_created": _("Learning group created"),
    "groups.guide_adapted": _("Method guide adapted"),
    "groups.meeting_scheduled": _("Meeting scheduled"),
    "groups.members_changed": _("Group members changed"),
    "groups.minutes_sharing_changed": _("Sharing of minutes changed"),
    "groups.talk_moved": _("Talk moved"),
    "groups.talk_removed": _("Talk removed"),
    "insights.promise_removed": _("Time promise removed"),
    "insights.promise_set": _("Time promise set"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.created": _("Invitation sent"),
    "invitation.revoked": _("Invitation revoked"),
    "membership.removed": _("Person removed from a school"),
    "membership.role_changed": _("Role changed"),
    "network.created": _("Network created"),
    "network.joined": _("Network joined"),
    "network.left": _("Network left"),
    "observations.learning_shared": _("Observation learning shared"),
    "observations.learning_withdrawn": _("Observation learning withdrawn"),
    "observations.round_created": _("Observation round created"),
    "observations.round_published": _("Observation round published"),
    "owner_staff.added": _("Owner staff added"),
    "owner_staff.changed": _("Owner staff changed"),
    "owner_staff.removed": _("Owner staff removed"),
    "privacy.erasure_cancelled": _("Erasure cancelled"),
    "privacy.erasure_done": _("Personal data erased"),
    "privacy.erasure_run": _("Erasure run"),
    "privacy.erasure_scheduled": _("Erasure scheduled"),
    "privacy.export_made": _("Personal data export made"),
    "privacy.export_requested": _("Personal data export requested"),
    "privacy.retention_run": _("Retention rules run"),
    "privacy.rules_updated": _("Retention rules changed"),
    "questions.answer_published": _("Answer published to the library"),
    "records.audit_exported": _("Audit log exported"),
    "records.audit_viewed": _("Audit log viewed"),
    "records.request_exported": _("Records request exported"),
    "scheduling.calendar_feed_created": _("Calendar feed created"),
    "scheduling.calendar_feed_revoked": _("Calendar feed revoked"),
    "scheduling.dedicated_time_created": _("Protected time created"),
    "scheduling.dedicated_time_deleted": _("Protected time deleted"),
    "scheduling.dedicated_time_updated": _("Protected time changed"),
    "scheduling.timetable_imported": _("Timetable imported"),
    "team.created": _("Team created"),
    "team.deleted": _("Team deleted"),
}


def action_label(code: str) -> str:
    """The action's readable name, or its code when it has none (a newer app's action)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code

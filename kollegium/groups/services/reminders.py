"""Reminders: before a meeting, and when a commitment's date has passed.

Run from the task ``kollegium.groups.tasks.send_due_reminders`` (enqueued by the management
command ``groups_send_reminders`` from cron), never inside a request. Each reminder is sent
once: the row is marked in the same transaction that sends it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.core.dates import long_date, long_datetime
from kollegium.core.notices import in_each_language
from kollegium.core.services import notification_send
from kollegium.groups.models import Commitment, GroupMembership, Meeting

MEETING_REMINDER_AHEAD = timedelta(hours=24)


def _meeting_body(meeting: Meeting, leads: bool) -> str:
    """The reminder's text in the active language (kept in each language: notices.py)."""
    body = _("%(group)s meets %(when)s. Place: %(where)s.") % {
        "group": meeting.group.name,
        "when": long_datetime(meeting.starts_at),
        "where": meeting.video_url or meeting.place,
    }
    if leads:
        body += " " + _("You are the discussion leader this time.")
    return body


@transaction.atomic
def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every member of meetings starting within the next 24 hours. Returns the count."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(
            status=Meeting.Status.PLANNED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + MEETING_REMINDER_AHEAD,
        )
        .select_related("group", "discussion_leader")
    )
    if not meetings:
        return 0
    memberships = GroupMembership.objects.filter(
        group_id__in=[m.group_id for m in meetings]
    ).select_related("user")
    by_group: dict[int, list] = {}
    for membership in memberships:
        by_group.setdefault(membership.group_id, []).append(membership.user)
    sent = 0
    for meeting in meetings:
        url = reverse("groups:meeting", args=[meeting.pk])
        for user in by_group.get(meeting.group_id, []):
            if not user.is_active:
                continue
            leads = meeting.discussion_leader_id == user.pk
            notification_send(
                recipient=user,
                kind="groups.meeting_reminder",
                title=gettext_lazy("Meeting tomorrow: %(group)s"),
                body=in_each_language(partial(_meeting_body, meeting, leads)),
                params={"group": meeting.group.name},
                url=url,
            )
            sent += 1
        meeting.reminder_sent_at = now
    Meeting.objects.bulk_update(meetings, ["reminder_sent_at"])
    return sent


@transaction.atomic
def commitment_reminders_send(*, today: date | None = None) -> int:
    """Remind people of commitments whose date has passed without a reflection."""
    today = today or timezone.localdate()
    commitments = list(
        Commitment.objects.select_for_update(of=("self",))
        .filter(reflected_at__isnull=True, overdue_reminder_sent_at__isnull=True, due_on__lt=today)
        .select_related("user", "group")
    )
    now = timezone.now()
    sent = 0
    for commitment in commitments:
        user = commitment.user
        if user.is_active:
            notification_send(
                recipient=user,
                kind="groups.commitment_due",
                title=gettext_lazy("How did it go? Your commitment in %(group)s"),
                body=gettext_lazy(
                    "You planned to try this before %(date)s: “%(text)s”. Write a short "
                    "reflection – if it did not work, what you learned is just as valuable."
                ),
                params={
                    "group": commitment.group.name,
                    "date": in_each_language(partial(long_date, commitment.due_on)),
                    "text": commitment.text,
                },
                url=reverse("groups:detail", args=[commitment.group_id])
                + f"#commitment-{commitment.pk}",
            )
            sent += 1
        commitment.overdue_reminder_sent_at = now
    Commitment.objects.bulk_update(commitments, ["overdue_reminder_sent_at"])
    return sent

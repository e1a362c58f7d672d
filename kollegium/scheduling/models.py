"""Timetables (lessons and other busy time), imports, dedicated time and calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    ICS = "ics", _("iCalendar file")
    CSV = "csv", _("CSV file")
    SUBSCRIPTION = "subscription", _("Subscription URL")
    SS12000 = "ss12000", _("SS 12000 calendar event")


class EntryKind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    BUSY = "busy", _("Other busy time")


class TimetableImport(models.Model):
    """One import run: what was read and which lines were skipped, and why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timetable_imports"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    name = models.CharField(_("file or address"), max_length=500, blank=True)
    lessons_read = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)  # [{"line": 12, "reason": "..."}]
    warnings = models.JSONField(default=list, blank=True)  # read, but worth checking
    # How the occurrences were classified: {"lesson": 120, "team_meeting": 12, ...}
    classification = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"


class TimetableEntry(models.Model):
    """One occurrence of a lesson or other busy time in a person's timetable.

    Recurring lessons are stored as their occurrences (expanded at import), so busy-time
    queries are plain range lookups. ``source`` and ``external_id`` (the iCalendar UID and
    RECURRENCE-ID, or an SS 12000 CalendarEvent id later) identify where it came from.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timetable_entries"
    )
    kind = models.CharField(max_length=8, choices=EntryKind.choices, default=EntryKind.LESSON)
    title = models.CharField(_("title"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    group_name = models.CharField(_("group"), max_length=100, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=500, blank=True)
    # The series the occurrence belongs to (see imports.ParsedEntry.series_key), the reason it
    # is or is not a lesson (a rule key from data/lesson_rules.yaml, or "teacher").
    series_key = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    imported_by = models.ForeignKey(
        TimetableImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["user", "start"]), models.Index(fields=["user", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="timetable_entry_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title or self.subject} {self.start:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return self.title or self.subject or str(self.get_kind_display())


class SeriesCorrection(models.Model):
    """A teacher's "this is a lesson" / "not a lesson" for a series; kept across re-imports."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_corrections"
    )
    series_key = models.CharField(max_length=300)
    is_lesson = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "series_key"], name="one_correction_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.series_key}={self.is_lesson}"


class TimetableSubscription(models.Model):
    """A subscription URL from the person's timetable system, fetched on request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timetable_subscription"
    )
    url = models.URLField(_("subscription address"), max_length=1000)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DedicatedTime(models.Model):
    """Recurring protected time for collegial learning, placed by a school's leader."""

    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="dedicated_times"
    )
    title = models.CharField(_("title"), max_length=200)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    first_date = models.DateField(_("from"))
    last_date = models.DateField(_("until"))
    every_weeks = models.PositiveSmallIntegerField(_("every … weeks"), default=1)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["weekday", "start_time", "pk"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A person's private calendar feed. Only a hash of the secret token is stored; revoking
    sets ``revoked_at`` and the URL stops working."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the first characters, to tell feeds apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.hint}…"

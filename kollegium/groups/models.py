"""Learning groups, their method guides, meetings, commitments and conclusions."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kollegium.groups import guides as guide_core


class MethodGuide(models.Model):
    """One immutable version of a method guide, stored as the YAML (or JSON) text.

    Shipped guides (``school`` empty) are copied in from ``data/guides`` the first time a
    group uses a version of them; a school's adapted guide gets a new row per edit. A
    group points at the exact version it started with, so later edits never change a
    running group.
    """

    slug = models.SlugField(_("short name"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="method_guides",
        verbose_name=_("school"),
    )
    method = models.CharField(_("method"), max_length=32)
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    source = models.TextField(_("guide (YAML)"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name=_("based on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("method guide")
        verbose_name_plural = _("method guides")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "slug", "version"], name="guide_version_unique_per_school"
            ),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(school__isnull=True),
                name="shipped_guide_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv

    @cached_property
    def parsed(self) -> guide_core.Guide:
        return _parse_cached(self.pk, self.source, f"{self.slug} v{self.version}")


_PARSED: dict[tuple[int | None, int], guide_core.Guide] = {}


def _parse_cached(pk: int | None, source: str, name: str) -> guide_core.Guide:
    key = (pk, hash(source))
    guide = _PARSED.get(key)
    if guide is None:
        # A stored version may predate ``talk_minutes`` (groups keep the version they started
        # with); it stays readable and its talk steps take no sign-ups. New versions are
        # checked strictly when they are saved (shipped files, ``guide_adapt``).
        guide = guide_core.parse_guide(source, name, require_talk_minutes=False)
        if len(_PARSED) > 500:
            _PARSED.clear()
        _PARSED[key] = guide
    return guide


class MinutesSharing(models.TextChoices):
    MEMBERS = "members", _("members only")
    LEADERS = "leaders", _("members and school leaders")
    SCHOOL = "school", _("everyone at the group's schools")


class LearningGroup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="learning_groups",
        verbose_name=_("school"),
    )
    network = models.ForeignKey(
        "organisations.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_groups",
        verbose_name=_("network"),
        help_text=_("For a group with members from several schools in a network."),
    )
    guide = models.ForeignKey(
        MethodGuide, on_delete=models.PROTECT, related_name="groups", verbose_name=_("method")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    focus = models.ForeignKey(
        "organisations.DevelopmentFocus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_groups",
        verbose_name=_("development focus"),
    )
    interval_days = models.PositiveSmallIntegerField(
        _("days between meetings"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    starts_on = models.DateField(_("runs from"))
    ends_on = models.DateField(_("runs until"))
    minutes_sharing = models.CharField(
        _("who may read the minutes"),
        max_length=10,
        choices=MinutesSharing.choices,
        default=MinutesSharing.MEMBERS,
    )
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        through="GroupMembership",
        related_name="learning_groups",
        verbose_name=_("members"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("learning group")
        verbose_name_plural = _("learning groups")
        ordering = ["name"]
        indexes = [models.Index(fields=["school", "name"])]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("facilitator")
        MEMBER = "member", _("member")

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    phase_key = models.CharField(_("phase"), max_length=64)
    meeting_type_key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    discussion_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discussion leader"),
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("timekeeper"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    # The number of the latest MinutesRevision (0: none yet): the version token of the form.
    minutes_revision = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["starts_at", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class MinutesRevision(models.Model):
    """The minutes and decisions after one save: who wrote them and when (the history)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_revisions")
    number = models.PositiveIntegerField(_("version"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("version of the minutes")
        verbose_name_plural = _("versions of the minutes")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="groups_minutes_revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} minutes v{self.number}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}: {'present' if self.present else 'absent'}"


class Commitment(models.Model):
    """ "I will try X in my class before <date>", and afterwards what happened."""

    class Outcome(models.TextChoices):
        WORKED = "worked", _("it worked")
        PARTLY = "partly", _("it partly worked")
        DID_NOT_WORK = "did_not_work", _("it did not work, and here is what I learned")
        NOT_TRIED = "not_tried", _("I did not get to try it yet")

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="commitments")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments_made")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_commitments"
    )
    text = models.TextField(_("I will try"))
    due_on = models.DateField(_("before"))
    outcome = models.CharField(
        _("what happened"), max_length=14, choices=Outcome.choices, blank=True
    )
    reflection = models.TextField(_("reflection"), blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    reflected_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
    )
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["user", "reflected_at", "due_on"]),
            models.Index(fields=["group", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.reflected_at is None


class Talk(models.Model):
    """A member's talk at a meeting with talk steps (a TeachMeet's micro or short talks).

    ``step_key`` names the talk step of the meeting's agenda (its ``talk_minutes`` is the
    talk's length); ``position`` is the running order within that step.
    """

    TITLE_MAX = 120
    DESCRIPTION_MAX = 200

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="talks")
    step_key = models.CharField(_("talk slot"), max_length=64)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_talks",
        verbose_name=_("speaker"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    position = models.PositiveSmallIntegerField(_("place in the running order"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["meeting", "step_key", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "speaker"], name="one_talk_per_person_per_meeting"
            )
        ]
        indexes = [models.Index(fields=["meeting", "step_key", "position"])]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Conclusion(models.Model):
    """A proven-practice record (beprövad erfarenhet): what we tried → evidence → conclusion."""

    group = models.ForeignKey(LearningGroup, on_delete=models.CASCADE, related_name="conclusions")
    title = models.CharField(_("title"), max_length=200)
    tried = models.TextField(_("what we tried"))
    evidence = models.TextField(_("evidence"))
    conclusion = models.TextField(_("conclusion"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proven practice")
        verbose_name_plural = _("proven practices")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class LessonVersion(models.Model):
    """One version (A, B, C …) of a learning study's research lesson."""

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="lesson_versions"
    )
    label = models.CharField(_("version"), max_length=8)
    taught_on = models.DateField(_("taught on"), null=True, blank=True)
    notes = models.TextField(_("what changed in this version"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "label"], name="lesson_version_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class TestItemResult(models.Model):
    """Aggregate pre-/post-test results for one test item: never a pupil's identity."""

    __test__ = False  # not a pytest test class, despite its name

    lesson = models.ForeignKey(LessonVersion, on_delete=models.CASCADE, related_name="results")
    item = models.CharField(_("test item"), max_length=120)
    pre_percent = models.PositiveSmallIntegerField(
        _("pre-test: percent correct"), validators=[MaxValueValidator(100)]
    )
    pre_pupils = models.PositiveSmallIntegerField(_("pre-test: number of pupils"))
    post_percent = models.PositiveSmallIntegerField(
        _("post-test: percent correct"), validators=[MaxValueValidator(100)]
    )
    post_pupils = models.PositiveSmallIntegerField(_("post-test: number of pupils"))

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "item"], name="one_result_per_item"),
            models.CheckConstraint(
                condition=models.Q(pre_percent__lte=100, post_percent__lte=100),
                name="percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return self.item


class MeetingTimer(models.Model):
    """The agenda timer of one meeting, shared by everyone in it and kept across reloads.

    The time left in the current step is derived: the step's length minus ``elapsed`` (seconds
    run before the last start) and, while running, the time since ``running_since``. ``version``
    rises with every change, so the pages of everyone in the meeting follow it.
    """

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, primary_key=True, related_name="timer"
    )
    step = models.PositiveSmallIntegerField(default=0)
    elapsed = models.PositiveIntegerField(default=0)
    running_since = models.DateTimeField(null=True, blank=True)
    finished = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting timer")
        verbose_name_plural = _("meeting timers")

    def __str__(self) -> str:
        return f"{self.meeting_id}: step {self.step}"

    def elapsed_at(self, now: datetime) -> int:
        """Seconds run in the current step at ``now``."""
        if self.running_since is None:
            return self.elapsed
        return self.elapsed + max(0, int((now - self.running_since).total_seconds()))


class TalkDraw(models.Model):
    """A random draw of a meeting's speaking order: the seed is shown, so anyone can repeat
    it (kollegium/groups/draw.py). The latest draw of a meeting is the one that counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="talk_draws")
    seed = models.CharField(_("seed"), max_length=40)
    order = models.JSONField(_("speaking order"), default=dict)  # slot key -> talk ids
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draw of the speaking order")
        verbose_name_plural = _("draws of the speaking order")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.seed}"

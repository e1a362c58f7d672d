"""Peer observation (kollegaobservation): observations, their private notes and feedback,
learnings the observed teacher chose to share, and observation rounds.

Privacy: notes and feedback live in their own tables and are only ever read through
`selectors.observation_for_pair_or_404` / the pair's pages. Aggregates for leaders read the
Observation table's who/when/status columns only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.observations import lifecycle
from kollegium.observations.guides import load_guides

if TYPE_CHECKING:
    from kollegium.accounts.models import User
    from kollegium.organisations.actor import Actor


class ObservationStatus(models.TextChoices):
    REQUESTED = lifecycle.Status.REQUESTED.value, _("requested")
    AGREED = lifecycle.Status.AGREED.value, _("agreed")
    DONE = lifecycle.Status.DONE.value, _("held")
    DEBRIEFED = lifecycle.Status.DEBRIEFED.value, _("debriefed")
    DECLINED = lifecycle.Status.DECLINED.value, _("declined")
    CANCELLED = lifecycle.Status.CANCELLED.value, _("cancelled")


class PairRole(models.TextChoices):
    OBSERVER = lifecycle.Role.OBSERVER.value, _("observer")
    OBSERVED = lifecycle.Role.OBSERVED.value, _("observed teacher")


class Observation(models.Model):
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("school"),
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="observations_made",
        verbose_name=_("observer"),
    )
    observed = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="observations_received",
        verbose_name=_("observed teacher"),
    )
    requested_by = models.CharField(max_length=10, choices=PairRole.choices)
    awaiting = models.CharField(max_length=10, choices=PairRole.choices, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    lesson_label = models.CharField(_("lesson"), max_length=200, blank=True)
    lesson_ref = models.CharField(max_length=64, blank=True)
    focus_key = models.CharField(_("focus"), max_length=40, blank=True)
    focus_detail = models.TextField(_("what to look for in particular"), blank=True)
    form_key = models.CharField(_("feedback form"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObservationStatus.choices,
        default=ObservationStatus.REQUESTED,
    )
    reason = models.TextField(_("reason"), blank=True)
    closed_by = models.CharField(max_length=10, choices=PairRole.choices, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    debrief_start = models.DateTimeField(_("debrief starts"), null=True, blank=True)
    debrief_end = models.DateTimeField(_("debrief ends"), null=True, blank=True)
    round_pair = models.OneToOneField(
        "observations.RoundPair",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["observer", "start"]),
            models.Index(fields=["observed", "start"]),
            models.Index(fields=["school", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(observer=models.F("observed")), name="observation_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="observation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observer} → {self.observed} {self.start:%Y-%m-%d %H:%M}"

    # --- bridges to the pure core ---

    @property
    def state(self) -> lifecycle.ObservationState:
        return lifecycle.ObservationState(
            status=lifecycle.Status(self.status),
            start=self.start,
            end=self.end,
            awaiting=lifecycle.Role(self.awaiting) if self.awaiting else None,
            sequence=self.sequence,
            reason=self.reason,
            closed_by=lifecycle.Role(self.closed_by) if self.closed_by else None,
        )

    def apply_state(self, state: lifecycle.ObservationState) -> None:
        self.status = state.status.value
        self.start = state.start
        self.end = state.end
        self.awaiting = state.awaiting.value if state.awaiting else ""
        self.sequence = state.sequence
        self.reason = state.reason
        self.closed_by = state.closed_by.value if state.closed_by else ""
        self.updated_at = timezone.now()

    def role_of(self, user: Actor | User) -> lifecycle.Role | None:
        user_id = user.pk
        if not user_id:
            return None
        if user_id == self.observer_id:
            return lifecycle.Role.OBSERVER
        if user_id == self.observed_id:
            return lifecycle.Role.OBSERVED
        return None

    def other_person(self, user: Actor | User) -> User:
        return self.observed if user.pk == self.observer_id else self.observer

    @property
    def focus(self) -> Any:
        if not self.focus_key:
            return None
        try:
            return load_guides().focus(self.focus_key)
        except KeyError:
            return None

    @property
    def form(self) -> Any:
        try:
            return load_guides().form(self.form_key)
        except KeyError:
            return None

    @property
    def took_place(self) -> bool:
        return self.status in (ObservationStatus.DONE, ObservationStatus.DEBRIEFED)


class ObservationNote(models.Model):
    """A timestamped note the observer writes during the lesson. Private to the pair."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observation note")
        verbose_name_plural = _("observation notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%H:%M}"


class ObservationFeedback(models.Model):
    """The observer's feedback in the agreed form, on the chosen focus. Private to the pair."""

    observation = models.OneToOneField(
        Observation, on_delete=models.CASCADE, related_name="feedback"
    )
    form_key = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observation feedback")
        verbose_name_plural = _("observation feedback")

    def __str__(self) -> str:
        return f"feedback {self.observation_id}"


class SharedLearning(models.Model):
    """A short learning the observed teacher chose to write and share. Never the notes."""

    observation = models.ForeignKey(
        Observation, on_delete=models.SET_NULL, null=True, related_name="shared_learnings"
    )
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("share with"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_learnings"
    )
    focus_key = models.CharField(max_length=40, blank=True)
    body = models.TextField(_("what I learnt"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shared learning")
        verbose_name_plural = _("shared learnings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def focus(self) -> Any:
        try:
            return load_guides().focus(self.focus_key) if self.focus_key else None
        except KeyError:
            return None


class SubjectMode(models.TextChoices):
    SAME = "same", _("same subject")
    CROSS = "cross", _("across subjects")
    MIXED = "mixed", _("mixed")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SOLVING = "solving", _("planning")
    PROPOSED = "proposed", _("proposal ready")
    INFEASIBLE = "infeasible", _("rules cannot be met")
    PUBLISHED = "published", _("sent to participants")
    CLOSED = "closed", _("closed")


class ObservationRound(models.Model):
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="observation_rounds",
        verbose_name=_("school"),
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation_rounds",
        verbose_name=_("team"),
    )
    title = models.CharField(_("title"), max_length=200)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="observation_rounds", verbose_name=_("participants")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    k = models.PositiveSmallIntegerField(_("observations per person"), default=1)
    subject_mode = models.CharField(
        _("subjects"), max_length=10, choices=SubjectMode.choices, default=SubjectMode.MIXED
    )
    previous_round = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("no pair repeated from"),
    )
    max_per_day = models.PositiveSmallIntegerField(_("at most per person and day"), default=1)
    require_observer_free = models.BooleanField(_("the observer must be free"), default=True)
    #: a round across the schools of a network (instructional rounds between schools); the
    #: round is run from ``school``, its participants come from the network's schools
    network = models.ForeignKey(
        "organisations.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation_rounds",
        verbose_name=_("network"),
    )
    #: minutes an observer visiting another school must also be free before and after
    travel_minutes = models.PositiveSmallIntegerField(_("travel time between schools"), default=0)
    other_schools_only = models.BooleanField(_("observers visit other schools only"), default=False)
    #: leader-chosen pairs the planner prefers: [[observer_id, observed_id], ...]
    preferred_pairs = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    progress = models.FloatField(default=0.0)
    task_id = models.CharField(max_length=64, blank=True)
    result_status = models.CharField(max_length=12, blank=True)
    objective = models.FloatField(null=True, blank=True)
    best_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    wall_time_s = models.FloatField(null=True, blank=True)
    blocking = models.JSONField(default=list, blank=True)
    solve_error = models.CharField(max_length=300, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observation round")
        verbose_name_plural = _("observation rounds")
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="round_last_day_not_before_first",
            )
        ]

    def __str__(self) -> str:
        return self.title

    SOLVE_ERRORS = {
        "too_few_people": _("A round needs at least two teachers."),
        "period_over": _("The round's period is over. Choose later days."),
        "no_schedule": _("No schedule was found in the time available. Try again."),
        "failed": _(
            "Planning stopped because of an unexpected error. Try again; if it happens again, "
            "tell your administrator."
        ),
    }

    @property
    def solve_error_text(self) -> str:
        if not self.solve_error:
            return ""
        return str(self.SOLVE_ERRORS.get(self.solve_error, _("The round could not be planned.")))

    @property
    def gap_percent(self) -> str:
        return f"{(self.gap or 0.0) * 100:.1f}"

    @property
    def progress_percent(self) -> int:
        return max(0, min(100, round(self.progress * 100)))


class PairResponse(models.TextChoices):
    PENDING = lifecycle.Response.PENDING.value, _("not answered")
    ACCEPTED = lifecycle.Response.ACCEPTED.value, _("accepted")
    DECLINED = lifecycle.Response.DECLINED.value, _("declined")


class PairStatus(models.TextChoices):
    PROPOSED = lifecycle.PairStatus.PROPOSED.value, _("proposed")
    CONFIRMED = lifecycle.PairStatus.CONFIRMED.value, _("confirmed")
    DECLINED = lifecycle.PairStatus.DECLINED.value, _("declined")


class RoundPair(models.Model):
    """One proposed observation of a round: who observes whom, in which lesson."""

    round = models.ForeignKey(ObservationRound, on_delete=models.CASCADE, related_name="pairs")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    observed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson_ref = models.CharField(max_length=64)
    lesson_label = models.CharField(max_length=200, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    observer_response = models.CharField(
        max_length=10, choices=PairResponse.choices, default=PairResponse.PENDING
    )
    observed_response = models.CharField(
        max_length=10, choices=PairResponse.choices, default=PairResponse.PENDING
    )
    decline_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    moved_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("round pair")
        verbose_name_plural = _("round pairs")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "observer", "observed"], name="round_pair_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observer} → {self.observed}"

    def role_of(self, user: Actor | User) -> lifecycle.Role | None:
        user_id = user.pk
        if user_id == self.observer_id:
            return lifecycle.Role.OBSERVER
        if user_id == self.observed_id:
            return lifecycle.Role.OBSERVED
        return None

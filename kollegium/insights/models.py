"""The school's promise of protected time for collegial learning (issue 14).

Everything else the insights app shows is computed from the other apps' records (meetings
attended, observations, talks, dedicated time); only the promise is its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PromiseUnit(models.TextChoices):
    WEEK = "week", _("minutes a week")
    TERM = "term", _("minutes a term")


#: The range a promise may have, per unit (a promise of 0 or 10,000 minutes is refused).
PROMISE_LIMITS = {PromiseUnit.WEEK: (10, 600), PromiseUnit.TERM: (60, 6000)}


class TimePromise(models.Model):
    """How much time for collegial learning the school promises each teacher.

    One row for the whole school (``team`` empty) and at most one per team; a teacher in a
    team with its own promise gets that team's (the largest when in several).
    """

    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="time_promises",
        verbose_name=_("school"),
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_promises",
        verbose_name=_("team"),
    )
    minutes = models.PositiveIntegerField(_("number of minutes"))
    unit = models.CharField(
        _("per"), max_length=8, choices=PromiseUnit.choices, default=PromiseUnit.WEEK
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("time promise")
        verbose_name_plural = _("time promises")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "team"], name="insights_one_promise_per_team"
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=models.Q(team__isnull=True),
                name="insights_one_school_promise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.team_id or '-'}: {self.minutes} per {self.unit}"

"""Topics colleagues propose for collegial learning, their responses and the leader's
decisions (a log everyone at the school can read)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 160
NEED_MAX = 2000
TEXT_MAX = 4000
EVIDENCE_MAX = 2000
RESPONSE_MAX = 1000
REASON_MAX = 2000
MAX_SKILLS = 5


class Topic(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        LATER = "later", _("later")
        NOW = "now", _("take up now")
        NOT_NOW = "not_now", _("not now")
        TAKEN_UP = "taken_up", _("taken up")

    #: Topics that are still waiting for a decision, or may come back (ranked on the list).
    RANKED = (Status.OPEN, Status.LATER, Status.NOW)

    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("school"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposed_topics",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("topic"), max_length=TITLE_MAX)
    need = models.TextField(_("students' learning need"), max_length=NEED_MAX)
    description = models.TextField(_("what we would learn"), max_length=TEXT_MAX, blank=True)
    evidence = models.TextField(_("evidence"), max_length=EVIDENCE_MAX, blank=True)
    focus = models.ForeignKey(
        "organisations.DevelopmentFocus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("development focus"),
    )
    skills = models.ManyToManyField(  # type: ignore[var-annotated]
        "competence.Skill", blank=True, related_name="topics", verbose_name=_("skills")
    )
    shared_with_network = models.BooleanField(_("open to our school networks"), default=False)
    needs_expert = models.BooleanField(_("needs an expert"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    group = models.ForeignKey(
        "groups.LearningGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("taken up as"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["school", "status", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ranked(self) -> bool:
        return self.status in self.RANKED


class Response(models.Model):
    """A colleague's response: "we need this too", "I can contribute" or a question.
    There are no down-votes."""

    class Kind(models.TextChoices):
        NEED_TOO = "need_too", _("We need this too")
        CONTRIBUTE = "contribute", _("I can contribute")
        QUESTION = "question", _("Question")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_responses"
    )
    kind = models.CharField(_("response"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("comment"), max_length=RESPONSE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response to a topic")
        verbose_name_plural = _("responses to topics")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user", "kind"],
                condition=~models.Q(kind="question"),
                name="topic_response_once_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} – {self.get_kind_display()}"


class Decision(models.Model):
    """One entry of the school's decision log: a leader's decision with its reason, a topic
    taken up, or an expert brought in."""

    class Kind(models.TextChoices):
        NOW = "now", _("Take up now")
        LATER = "later", _("Later")
        NOT_NOW = "not_now", _("Not now")
        TAKEN_UP = "taken_up", _("Taken up")
        EXPERT = "expert", _("Expert brought in")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="decisions")
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="topic_decisions"
    )
    kind = models.CharField(_("decision"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    group = models.ForeignKey(
        "groups.LearningGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("topic decision")
        verbose_name_plural = _("topic decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_at"])]

    def __str__(self) -> str:
        return f"{self.topic} – {self.get_kind_display()}"


class SchoolWeights(models.Model):
    """A school leader's adjustment of the published weights (the defaults are in
    data/weights.yaml). Every change is audited."""

    school = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="topic_weights"
    )
    weights = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("topic weights")
        verbose_name_plural = _("topic weights")

    def __str__(self) -> str:
        return str(self.school)

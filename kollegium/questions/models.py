"""Ask a colleague: questions, answers, "this helped" marks and routing to skilled colleagues.

Anonymous questions store no link to their author (see docs/features/competence.md):
`author` is empty, and the only traces are
- `follow_token_hash`: SHA-256 of a random token that only the asker was shown, and
- `asker_digest`: HMAC(server key, "<user id>:<question id>"), which lets the asker's own
  account recognise the question, but which nobody can turn back into a person without the
  server's secret key *and* trying every account.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    SCHOOL = "school", _("my school")
    NETWORK = "network", _("my school's networks")


class Question(models.Model):
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("school"),
    )
    # Empty for anonymous questions. Never set for them, not even temporarily.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    is_anonymous = models.BooleanField(_("ask anonymously"), default=False)
    asker_digest = models.CharField(max_length=64, blank=True, db_index=True)
    follow_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    skills = models.ManyToManyField(
        "competence.Skill", related_name="questions", blank=True, verbose_name=_("skills")
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    accepted_answer = models.OneToOneField(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Anonymous questions get an hour-rounded time, so it cannot be matched to other activity.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # An anonymous question is routed in the hourly batch after the hour it was asked in
    # (services.questions_route_waiting), so no routing row, notification, email or home
    # page change is written at the moment of asking.
    awaits_routing = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False) | models.Q(author__isnull=True),
                name="anonymous_question_has_no_author",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class HelpfulMark(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("'this helped' mark")
        verbose_name_plural = _("'this helped' marks")
        constraints = [
            models.UniqueConstraint(fields=["answer", "user"], name="helpful_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.answer_id}"


class Routing(models.Model):
    """A colleague who was asked to help with a question (for the weekly cap and the
    "you were asked because you know …" line). Never points at the asker. For anonymous
    questions `created_at` is the start of the hour the batch ran in, not a moment."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routings")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_routings"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("question routing")
        verbose_name_plural = _("question routings")
        constraints = [models.UniqueConstraint(fields=["question", "recipient"], name="route_once")]
        indexes = [models.Index(fields=["recipient", "created_at"])]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.recipient_id}"

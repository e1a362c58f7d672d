"""Skills, self-assessed levels, endorsements and the link from focus areas to skills.

Levels are for finding help, never for evaluation.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _is_english() -> bool:
    return (get_language() or "sv").startswith("en")


class Level(models.IntegerChoices):
    CURIOUS = 1, _("1 – curious (want to learn)")
    PRACTISING = 2, _("2 – practising")
    CONFIDENT = 3, _("3 – confident")
    GUIDE = 4, _("4 – can guide others")


HOLDER_LEVEL = Level.CONFIDENT
#: Colleagues endorse levels 3 and 4 only: an endorsement says "I have seen them do this
#: confidently", which means nothing for "curious" or "practising".
ENDORSABLE_LEVEL = Level.CONFIDENT


class SkillArea(models.Model):
    """The first level of the taxonomy (from data/skills.yaml)."""

    key = models.CharField(max_length=40, unique=True)
    name_sv = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    description_sv = models.CharField(max_length=300, blank=True)
    description_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("skill area")
        verbose_name_plural = _("skill areas")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _is_english() else self.name_sv


class Skill(models.Model):
    """A skill. Taxonomy skills have a stable key from the data file; leaders can add skills
    for their own school or network (then `school` or `network` is set)."""

    key = models.CharField(max_length=100, unique=True)
    area = models.ForeignKey(
        SkillArea, on_delete=models.PROTECT, related_name="skills", verbose_name=_("area")
    )
    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    description_sv = models.CharField(_("description in Swedish"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_retired = models.BooleanField(default=False)
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_skills",
    )
    network = models.ForeignKey(
        "organisations.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_skills",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["area__order", "order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(school__isnull=False) & models.Q(network__isnull=False)),
                name="skill_custom_for_school_or_network",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _is_english() else self.name_sv

    @property
    def description(self) -> str:
        return self.description_en if _is_english() else self.description_sv

    @property
    def is_custom(self) -> bool:
        return self.school_id is not None or self.network_id is not None


class CompetenceProfile(models.Model):
    """Per-person settings of the competence map."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competence_profile"
    )
    visible_in_network = models.BooleanField(
        _("show my skills to colleagues in our school networks"),
        default=False,
        help_text=_("Unticked, only colleagues at your own school see your skills."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("competence profile")
        verbose_name_plural = _("competence profiles")

    def __str__(self) -> str:
        return str(self.user)


class SkillLevel(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_levels"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=Level.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    willing_to_share = models.BooleanField(_("willing to share"), default=False)
    want_to_learn = models.BooleanField(_("want to learn"), default=False)
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("One line, for example: I ran the Läslyftet module twice."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_level_per_person_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="skill_level_1_to_4"
            ),
        ]
        # No (skill, level) index: SQLite would prefer it to the (user, skill) unique index
        # and scan every level row of a skill in "who can help" (measured: 60 ms vs 6 ms).

    def __str__(self) -> str:
        return f"{self.user} – {self.skill}: {self.level}"

    @property
    def can_be_endorsed(self) -> bool:
        return self.level >= ENDORSABLE_LEVEL


class Endorsement(models.Model):
    """A colleague vouches for someone's skill, once per colleague and skill-holder."""

    skill_level = models.ForeignKey(
        SkillLevel, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["skill_level", "endorser"], name="endorse_once_per_colleague"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorser} → {self.skill_level}"


class FocusSkill(models.Model):
    """Links one of the school's development focus areas to a skill."""

    focus = models.ForeignKey(
        "organisations.DevelopmentFocus", on_delete=models.CASCADE, related_name="focus_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="focus_links")

    class Meta:
        verbose_name = _("focus skill")
        verbose_name_plural = _("focus skills")
        constraints = [models.UniqueConstraint(fields=["focus", "skill"], name="focus_skill_once")]

    def __str__(self) -> str:
        return f"{self.focus} – {self.skill}"


class SchoolTypes(models.Model):
    """The school types (skolformer) a school has, chosen by its leader: which skills its
    coverage counts. Keys from data/school_types.yaml, comma-separated. Without a row the
    types follow the stages its people teach (selectors.school_types_of)."""

    school = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="competence_types"
    )
    keys = models.CharField(_("school types"), max_length=100)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("school types")
        verbose_name_plural = _("school types")

    def __str__(self) -> str:
        return f"{self.school}: {self.keys}"

    @property
    def key_set(self) -> frozenset[str]:
        return frozenset(k for k in self.keys.split(",") if k)

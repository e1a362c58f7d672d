"""Owners (huvudmän), schools (skolenheter), teams, networks, memberships with roles.

Field names follow SS 12000 (Organisation, Person, Duty) so that an import can map onto them
without a remodel: `external_id` holds the SS 12000 id, `school_unit_code` the skolenhetskod,
`organisation_number` the organisationsnummer, `Membership` plays the part of a Duty.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kollegium.core.aggregates import DEFAULT_MIN_GROUP_SIZE, MAX_ALLOWED, MIN_ALLOWED


class BilingualName(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name_sv = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


class Subject(BilingualName):
    """A school subject (ämne), keyed by Skolverket's subject code. Loaded from data/."""

    class Meta(BilingualName.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Stage(BilingualName):
    """A school stage (förskola, F–3, 4–6, 7–9, gymnasium, vux …). Loaded from data/."""

    class Meta(BilingualName.Meta):
        verbose_name = _("school stage")
        verbose_name_plural = _("school stages")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OWNER = "owner", _("school owner")
        SCHOOL = "school", _("school")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("school owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    school_unit_code = models.CharField(
        _("school unit code"), max_length=8, blank=True, help_text=_("Skolenhetskod, 8 digits.")
    )
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True)
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(_("email address"), blank=True)
    # An owner's setting (on its schools it is unused): leaders and owner staff see a count,
    # share or chart only when at least this many people are behind it (core/aggregates.py).
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size for figures"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_ALLOWED), MaxValueValidator(MAX_ALLOWED)],
        help_text=_(
            'Figures about fewer people than this are shown as "too few to show", so that '
            "no single teacher can be picked out."
        ),
    )
    # An owner's setting (issue 11): off, its staff sign in only through the school's own
    # account (Entra, Google, Skolfederation); guests and installation administrators keep
    # their passwords.
    staff_password_sign_in = models.BooleanField(
        _("staff may sign in with email and password"), default=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # A school's name is a proper noun ("Björkskolan" in every language, as its people
        # and their texts call it); an owner's may be descriptive ("Exempelstad municipality").
        # (the kind read only if loaded: pages that defer it show schools, and must not query)
        kind = self.__dict__.get("kind", self.Kind.SCHOOL)
        english = (get_language() or "sv").startswith("en")
        if english and self.name_en and kind != self.Kind.SCHOOL:
            return self.name_en
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class Role(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    FACILITATOR = "facilitator", _("facilitator")
    LEADER = "leader", _("leader")
    ADMINISTRATOR = "administrator", _("administrator")


class Membership(models.Model):
    """A person's place at a school, with one role (an SS 12000 Duty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    title = models.CharField(_("title"), max_length=100, blank=True)
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")
        ]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.school} ({self.role})"

    @property
    def manages_school(self) -> bool:
        return self.role in (Role.LEADER, Role.ADMINISTRATOR)

    @property
    def facilitates(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.LEADER, Role.ADMINISTRATOR)


class Team(models.Model):
    class Kind(models.TextChoices):
        WORK_TEAM = "work", _("work team (arbetslag)")
        SUBJECT_TEAM = "subject", _("subject team (ämneslag)")

    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.WORK_TEAM)
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMembership",
        related_name="teams",
        verbose_name=_("members"),
    )
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="team_name_unique_per_school")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="team_memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_team_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id}"


class Network(models.Model):
    """Schools (of one or several owners) that learn together (nätverk)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(
        _("open to any school"),
        default=True,
        help_text=_("Leaders of any school can let their school join."),
    )
    schools: models.ManyToManyField = models.ManyToManyField(
        Organisation, through="NetworkMembership", related_name="networks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="network_memberships"
    )
    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "school"], name="school_joins_network_once")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in {self.network_id}"


class DevelopmentFocus(models.Model):
    """One of the school's chosen goals (systematiskt kvalitetsarbete)."""

    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("development focus")
        verbose_name_plural = _("development focus areas")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class OwnerStaff(models.Model):
    """A person on a school owner's (huvudman's) development staff.

    Owner staff see aggregates across the owner's schools (how many schools have a skill
    covered, vulnerable or missing), never an individual's levels. Installation administrators
    assign the role in the admin. It is separate from `Membership`: a membership is a place at
    one school; this is a place at the owner, above the schools.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owner_staff_roles",
        verbose_name=_("person"),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff",
        limit_choices_to={"kind": Organisation.Kind.OWNER},
        verbose_name=_("school owner"),
    )
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For example: development strategist.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("school owner's development staff member")
        verbose_name_plural = _("school owner's development staff")
        constraints = [
            models.UniqueConstraint(fields=["user", "owner"], name="owner_staff_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.owner}"

    def clean(self) -> None:
        if self.owner_id is not None and self.owner.kind != Organisation.Kind.OWNER:
            raise ValidationError({"owner": _("Choose a school owner, not a school.")})


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An expiring link that lets one email address join one school in one role.

    Only a hash of the token is stored, so a database leak does not leak working links.
    """

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("school"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("team"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        # Made in the accounts app, moved here with its table (migrations 0004 of both apps).
        db_table = "accounts_invitation"
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "email"], name="accounts_in_school__4820ce_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"

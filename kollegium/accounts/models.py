from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in by email. The profile fields live here to keep pages to one join."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    subjects = models.ManyToManyField(
        "organisations.Subject", blank=True, related_name="people", verbose_name=_("subjects")
    )
    stages = models.ManyToManyField(
        "organisations.Stage", blank=True, related_name="people", verbose_name=_("school stages")
    )
    languages = models.CharField(
        _("languages I speak"),
        max_length=200,
        blank=True,
        help_text=_("For example: svenska, English, arabiska"),
    )
    ask_me_about = models.CharField(
        _("ask me about"),
        max_length=300,
        blank=True,
        help_text=_("A short line about what colleagues can ask you about."),
    )
    wants_email_notifications = models.BooleanField(
        _("send me notifications by email"), default=True
    )
    # SS 12000 Person.id, so an import can find people again without a personal identity number.
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("installation administrator"),
        default=False,
        help_text=_("Manages the whole installation and can use the admin site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def initials(self) -> str:
        parts = [p for p in self.full_name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()


class Session(AbstractBaseSession):
    """Django's database session with the signed-in person's id beside the encoded data, so
    that each request reads the session and the person in one statement
    (kollegium/accounts/sessions.py). A person's sessions go when the person does."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        from kollegium.accounts.sessions import SessionStore

        return SessionStore

"""The knowledge library: items with versions, attachments and links, collections,
appreciation. Search lives in ``search.py`` (the FTS5 table / tsvector column are created by
migrations, not modelled here)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    TIP = "tip", _("tip")
    LESSON_PLAN = "lesson_plan", _("lesson plan")
    METHOD = "method", _("method")
    PROVEN_PRACTICE = "proven_practice", _("proven practice")
    ANSWER = "answer", _("answer")
    TALK = "talk", _("talk or course notes")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me (draft)")
    GROUP = "group", _("My group")
    SCHOOL = "school", _("My school")
    NETWORK = "network", _("My network")
    INSTALLATION = "installation", _("Everyone on Kollegium")


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("CC BY 4.0 (share and adapt, name the author)")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0 (as CC BY, and share alike)")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0 (as CC BY, not commercially)")
    CC0 = "CC0-1.0", _("CC0 (no rights reserved)")
    RESERVED = "reserved", _("All rights reserved")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class Item(models.Model):
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="library_items",
        verbose_name=_("school"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    # The readable text of the body (no Markdown), for the search index and snippets.
    body_text = models.TextField(blank=True, editable=False)
    item_type = models.CharField(
        _("type"), max_length=20, choices=ItemType.choices, default=ItemType.TIP
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    visibility = models.CharField(
        _("who can see it"), max_length=12, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    group = models.ForeignKey(
        "groups.LearningGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_items",
        verbose_name=_("group"),
    )
    subjects = models.ManyToManyField(
        "organisations.Subject",
        blank=True,
        related_name="library_items",
        verbose_name=_("subjects"),
    )
    stages = models.ManyToManyField(
        "organisations.Stage", blank=True, related_name="library_items", verbose_name=_("stages")
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="library_items", verbose_name=_("authors")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    licence = models.CharField(
        _("licence"), max_length=16, choices=Licence.choices, default=Licence.CC_BY
    )
    origin_label = models.CharField(_("comes from"), max_length=200, blank=True)
    origin_url = models.CharField(_("link to where it comes from"), max_length=500, blank=True)
    version_number = models.PositiveIntegerField(default=0, editable=False)
    # Access and filter tokens for the search index (``access.py``), kept by ``search.py``.
    search_acl = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["visibility", "school", "-updated_at"], name="library_item_vis"),
            models.Index(fields=["-updated_at", "-id"], name="library_item_recent"),
            models.Index(fields=["group"], name="library_item_group"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", args=[self.pk])

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")  # type: ignore[call-overload]


class ItemSkill(models.Model):
    """A skill tag, by the competence taxonomy's stable key ("subject.swedish").

    Keys, not a foreign key to ``competence.Skill``: that model was being built alongside
    this app. Keys are validated against the taxonomy data file and are what the
    competence app's own records use, so a later switch to an M2M is a data migration.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="skill_tags")
    key = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="library_skill_once_per_item")
        ]

    def __str__(self) -> str:
        from kollegium.library.skills import skill_name

        return skill_name(self.key)


class ItemVersion(models.Model):
    """A snapshot of an item's text after a save. Restoring one makes a new version."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    licence = models.CharField(max_length=16, choices=Licence.choices, default=Licence.CC_BY)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="library_version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the stored path never reveals the original name or leaks a guessable URL.
    import uuid

    return f"library/{instance.item_id}/{uuid.uuid4().hex}"


def display_path(instance: Attachment, filename: str) -> str:
    import uuid

    return f"library/{instance.item_id}/display-{uuid.uuid4().hex}.jpg"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("document")
        IMAGE = "image", _("image")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    display = models.FileField(upload_to=display_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class Link(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("link text"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Collection(models.Model):
    """An ordered, curated list of items with a short intro, kept by a school."""

    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="library_collections"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("short introduction"), blank=True, max_length=2000)
    is_start_here = models.BooleanField(
        _("start here for new colleagues"),
        default=False,
        help_text=_("Linked from the navigation for people who joined recently."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_start_here", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_start_here=True),
                name="library_one_start_here_per_school",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:collection", args=[self.pk])


class CollectionEntry(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="collection_entries")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "item"], name="library_item_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.position}:{self.item_id}"


class Appreciation(models.Model):
    """ "This helped me": one per person and item. Shown to the authors, never ranked."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="appreciations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="library_appreciate_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


class TriedIt(models.Model):
    """ "I tried it", with a short comment on how it went."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tried")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(_("how did it go?"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.comment[:40]


class StartHereVisit(models.Model):
    """That a person has opened their school's "Start here" collection: a step of a new
    colleague's first week on the home page (issue 16)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="library_start_here_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.school_id}"

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kollegium.core import widgets
from kollegium.core.params import to_int
from kollegium.library.models import Item, ItemType, Language, Licence, Visibility
from kollegium.library.services import EditBase, LinkInput
from kollegium.organisations.models import Stage, Subject


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class QuickShareForm(forms.Form):
    """The phone form: a title, a few lines, optionally a photo or a file."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("A few lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works: **bold**, lists with -, links."),
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a field; not BaseForm.files
        label=_("Photo or file (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx,.pptx,.odt,.txt,.md"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.SCHOOL
    )
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, groups: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {g.pk: g for g in (groups or [])}
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ChoiceField)
        group_field.choices = [("", _("(no group)"))] + [
            (g.pk, str(g)) for g in self.groups.values()
        ]

    def chosen_group(self) -> Any:
        return self.groups.get(self.cleaned_data.get("group") or 0)


class ItemForm(QuickShareForm):
    """The longer editor."""

    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: # headings, **bold**, *italics*, lists with - or 1., links as "
            "[text](https://…), tables with | and a |---| line under the header."
        ),
    )
    files = MultipleFileField(label=_("Attach files"), required=False)  # type: ignore[assignment]
    item_type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.CC_BY)
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.all(),
        required=False,
        widget=widgets.SelectMultiple,
    )
    stages = forms.ModelMultipleChoiceField(
        label=_("School stages"),
        queryset=Stage.objects.all(),
        required=False,
        widget=widgets.CheckboxSelectMultiple,
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=widgets.SelectMultiple
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the address, then optionally a space and the link text."),
    )
    note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        max_length=200,
    )

    field_order = [
        "title", "body", "item_type", "language", "visibility", "group", "subjects", "stages",
        "skills", "links", "files", "licence", "note",
    ]  # fmt: skip

    def __init__(self, *args: Any, skill_choices: list[tuple[str, str]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        skills_field = self.fields["skills"]
        assert isinstance(skills_field, forms.MultipleChoiceField)
        skills_field.choices = list(skill_choices)
        if not skill_choices:
            del self.fields["skills"]

    def link_inputs(self) -> list[LinkInput]:
        out = []
        for line in (self.cleaned_data.get("links") or "").splitlines():
            line = line.strip()
            if line:
                url, _sep, title = line.partition(" ")
                out.append(LinkInput(url=url, title=title.strip()))
        return out

    @staticmethod
    def initial_for(item: Item) -> dict[str, Any]:
        return {
            "title": item.title,
            "body": item.body,
            "item_type": item.item_type,
            "language": item.language,
            "visibility": item.visibility,
            "group": item.group_id,
            "licence": item.licence,
            "subjects": [s.pk for s in item.subjects.all()],
            "stages": [s.pk for s in item.stages.all()],
            "skills": [s.key for s in item.skill_tags.all()],
            "links": "\n".join(f"{link.url} {link.title}".strip() for link in item.links.all()),
        }


_EDIT_BASE_SALT = "kollegium.library.item_edit"


class ItemEditForm(ItemForm):
    """The editor of a saved item, with the version the person started from (the token)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def token_for(base: EditBase) -> str:
        """The version and settings the form starts from, signed (a forged one is refused)."""
        return signing.dumps(
            {"v": base.version, "m": base.meta}, salt=_EDIT_BASE_SALT, compress=True
        )

    def base(self) -> EditBase | None:
        """What the person started from, or None if the token is missing, forged or garbage."""
        try:
            data = signing.loads(self.cleaned_data.get("version") or "", salt=_EDIT_BASE_SALT)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("m"), dict):
            return None
        version = data.get("v")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            return None
        return EditBase(version=version, meta=data["m"])


class TriedItForm(forms.Form):
    comment = forms.CharField(
        label=_("How did it go?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Short introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_start_here = forms.BooleanField(
        label=_("This is our “start here” collection for new colleagues"), required=False
    )
    items = forms.CharField(
        label=_("Items, in order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item number per line (the number is in each item's permanent link)."),
    )

    def item_ids(self) -> list[int]:
        ids = []
        for line in (self.cleaned_data.get("items") or "").split():
            number = to_int(line.strip().rstrip("/").rsplit("/", 1)[-1])
            if number is not None:
                ids.append(number)
        return ids

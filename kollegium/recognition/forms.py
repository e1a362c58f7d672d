from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kollegium.groups.models import LearningGroup, Meeting
from kollegium.recognition.jws import MAX_TOKEN
from kollegium.recognition.models import ThanksLink, ThanksNote


class ThanksForm(forms.Form):
    text = forms.CharField(
        label=_("Your thanks, in a sentence"),
        max_length=ThanksNote.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only they see it, unless they choose to show it on their profile."),
    )
    link = forms.ChoiceField(label=_("For"), required=False, choices=())

    def __init__(self, *args, choices: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        link = cast(forms.ChoiceField, self.fields["link"])
        link.choices = [("", ThanksLink.NONE.label), *(choices or [])]

    def link_parts(self) -> tuple[str, int | None]:
        value = self.cleaned_data.get("link") or ""
        kind, _sep, pk = value.partition(":")
        return (kind, int(pk)) if kind and pk.isascii() and pk.isdecimal() else ("", None)


class ShareForm(forms.Form):
    shared = forms.BooleanField(required=False)


class ShowForm(forms.Form):
    shown = forms.BooleanField(required=False)


class GuestInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role_description = forms.CharField(
        label=_("Who they are"),
        max_length=200,
        required=False,
        help_text=_("For example: researcher in mathematics education, Umeå University."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Let them in to"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("the whole group"),
    )
    access_until = forms.DateField(
        label=_("Last day of access"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most a year from today. The link in the email works for 14 days."),
    )

    def __init__(self, *args, group: LearningGroup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = group.meetings.exclude(
            status=Meeting.Status.CANCELLED
        ).order_by("starts_at")


class GuestAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial="sv"
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=MAX_TOKEN,
        help_text=_("Paste the whole credential (the text of the .jwt file)."),
    )

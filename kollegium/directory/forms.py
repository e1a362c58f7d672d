from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.directory.mapping import DUTY_ROLES, GROUP_TYPES
from kollegium.directory.models import DirectorySource
from kollegium.organisations.models import Organisation, Role

ROLE_CHOICES = [
    ("", _("no place in Kollegium")),
    (Role.TEACHER.value, Role.TEACHER.label),
    (Role.FACILITATOR.value, Role.FACILITATOR.label),
    (Role.LEADER.value, Role.LEADER.label),
]


class SourceCreateForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("School owner"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OWNER).order_by("name"),
        empty_label=_("Choose a school owner"),
    )
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("E.g. the vendor's name."))
    base_url = forms.CharField(
        label=_("Address of the SS 12000 API"),
        max_length=300,
        help_text=DirectorySource._meta.get_field("base_url").help_text,
    )
    token = forms.CharField(
        label=_("Access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("The bearer token (JWT) the vendor issued. It is never shown again."),
    )
    client_certificate = forms.CharField(
        label=_("Client certificate file"),
        max_length=300,
        required=False,
        help_text=_("For mutual TLS: the path of a PEM file on the server."),
    )
    client_key = forms.CharField(
        label=_("Client key file"),
        max_length=300,
        required=False,
        help_text=_("For mutual TLS: the path of the certificate's private key on the server."),
    )


class SourceEditForm(forms.Form):
    name = SourceCreateForm.base_fields["name"]
    base_url = SourceCreateForm.base_fields["base_url"]
    token = forms.CharField(
        label=_("New access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored token."),
    )
    client_certificate = SourceCreateForm.base_fields["client_certificate"]
    client_key = SourceCreateForm.base_fields["client_key"]
    leaver_content = forms.ChoiceField(
        label=_("What people who leave have shared"),
        choices=DirectorySource.LeaverContent.choices,
        widget=forms.RadioSelect,
    )
    is_enabled = forms.BooleanField(label=_("Sync changes on schedule"), required=False)
    sync_timetables = forms.BooleanField(
        label=_("Lessons from the school's timetable"),
        required=False,
        help_text=DirectorySource._meta.get_field("sync_timetables").help_text,
    )
    team_group_types = forms.MultipleChoiceField(
        label=_("Group types that become teams"),
        choices=[(t, t) for t in GROUP_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, for_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_file:  # a file connection has no address, token or certificate
            for name in (
                "base_url",
                "token",
                "client_certificate",
                "client_key",
                "is_enabled",
                "sync_timetables",
            ):
                del self.fields[name]
        for index, duty in enumerate(DUTY_ROLES):
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=_("Duty role “%(role)s” gives") % {"role": duty},
                choices=ROLE_CHOICES,
                required=False,
            )

    def role_mapping(self) -> dict[str, str]:
        return {
            duty: self.cleaned_data.get(f"role_{index}") or ""
            for index, duty in enumerate(DUTY_ROLES)
        }

    @classmethod
    def initial_for(cls, source: DirectorySource) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": source.name,
            "base_url": source.base_url,
            "client_certificate": source.client_certificate,
            "client_key": source.client_key,
            "leaver_content": source.leaver_content,
            "is_enabled": source.is_enabled,
            "sync_timetables": source.sync_timetables,
            "team_group_types": list(source.team_group_types or []),
        }
        for index, duty in enumerate(DUTY_ROLES):
            initial[f"role_{index}"] = (source.role_mapping or {}).get(duty, "")
        return initial


class FileSourceCreateForm(forms.Form):
    owner = SourceCreateForm.base_fields["owner"]
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("E.g. “Personallista från HR”.")
    )


class FileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list"),
        help_text=_(
            "A CSV file as Excel saves it (semicolon-separated, any Swedish encoding) or a "
            "OneRoster 1.2 CSV zip."
        ),
    )

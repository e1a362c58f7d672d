"""Forms of the administrator's school sign-in pages (issue 11)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.directory.models import SignInConnection
from kollegium.organisations.models import Organisation


class SignInCreateForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("School owner"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OWNER).order_by("name"),
        empty_label=_("Choose a school owner"),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=SignInConnection.Kind.choices)
    client_id = forms.CharField(
        label=_("Application (client) id"),
        max_length=191,
        help_text=_("From the app registration (Entra) or the OAuth client (Google)."),
    )
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("It is never shown again."),
    )
    tenant_id = forms.CharField(
        label=_("Tenant id (Entra only)"),
        max_length=64,
        required=False,
        help_text=_("The directory (tenant) id of the school owner's Microsoft Entra ID."),
    )
    domain = forms.CharField(
        label=_("Domain"),
        max_length=253,
        help_text=_(
            "The domain staff's accounts end with, such as skola.se. For Google, the "
            "Workspace's primary domain: only its accounts may sign in."
        ),
    )


class SignInEditForm(forms.Form):
    client_id = SignInCreateForm.base_fields["client_id"]
    secret = forms.CharField(
        label=_("New client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )
    domain = SignInCreateForm.base_fields["domain"]


class PasswordSignInForm(forms.Form):
    allowed = forms.TypedChoiceField(
        label=_("Email and password for staff"),
        coerce=lambda value: value == "on",
        choices=[("on", _("allowed")), ("off", _("turned off"))],
    )

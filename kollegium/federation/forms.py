from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kollegium.federation.models import FederationFeed
from kollegium.organisations.models import Organisation


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, initial="Skolfederation")
    url = forms.URLField(
        label=_("Address of the metadata feed"),
        max_length=300,
        assume_scheme="https",
        help_text=FederationFeed._meta.get_field("url").help_text,
    )
    certificate = forms.CharField(
        label=_("Signing certificate of the feed"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=FederationFeed._meta.get_field("certificate").help_text,
    )

    @classmethod
    def initial_for(cls, feed: FederationFeed) -> dict[str, Any]:
        return {"name": feed.name, "url": feed.url, "certificate": feed.certificate}


class IdpAllowForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("School owner"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OWNER).order_by("name"),
        empty_label=_("Choose a school owner"),
    )
    entity_id = forms.ChoiceField(label=_("Identity provider"))
    slug = forms.SlugField(
        label=_("Short name for the direct link"),
        max_length=60,
        help_text=_("Letters, digits and hyphens, e.g. the municipality's name."),
    )

    def __init__(self, *args: Any, feed: FederationFeed, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entity = self.fields["entity_id"]
        assert isinstance(entity, forms.ChoiceField)
        entity.choices = [("", _("Choose an identity provider"))] + [
            (idp["entity_id"], f"{idp['name_sv']} ({idp['entity_id']})") for idp in feed.idps
        ]

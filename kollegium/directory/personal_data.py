"""The directory sync's personal data (issue 12). Registered by model name only, so this
module never imports the app's models."""

from django.apps import apps

from kollegium.core.personal_data import json_holding
from kollegium.core.registry import Erasure, PersonalData, register_personal_data


def _forget_remote_records(erasure: Erasure) -> int:
    """The copy of the person's record fetched from the school's directory goes (the next
    sync fetches it again only if the school still lists the person)."""
    remote = apps.get_model("directory", "RemoteRecord")
    count = 0
    for old, _new in erasure.replacements:
        deleted, _rows = json_holding(remote, "data", old).delete()
        count += deleted
    return count


register_personal_data(
    PersonalData(
        model="directory.PersonIdentity",
        person_fields=("user",),
        export_fields=("eppn",),
    ),
    PersonalData(
        model="directory.HeldName",
        person_fields=("user",),
        export_fields=("full_name", "held_since"),
    ),
    PersonalData(
        model="directory.SyncRun",
        person_fields=("started_by",),
        export_fields=("status", "created_at"),
        erase="keep",
        kept="A record that the directory was synced; who started it is replaced by the role.",
    ),
    PersonalData(
        model="directory.RemoteRecord",
        exempt="The school's own directory (SS 12000) as last fetched; its source is the school.",
        erase=_forget_remote_records,
    ),
    # School sign-in (issue 11): the link between a person and their Entra or Google account.
    PersonalData(
        model="socialaccount.SocialAccount",
        person_fields=("user",),
        export_fields=("provider", "uid", "last_login", "date_joined"),
    ),
    # The OAuth 2.0 / OpenID provider (django-oauth-toolkit): grants and tokens a person was
    # given, and applications they registered. Short-lived, and deleted with the person.
    PersonalData(
        model="oauth2_provider.Application",
        person_fields=("user",),
        export_fields=("name", "created"),
    ),
    PersonalData(
        model="oauth2_provider.AccessToken",
        person_fields=("user",),
        export_fields=("scope", "expires", "created"),
    ),
    PersonalData(
        model="oauth2_provider.RefreshToken",
        person_fields=("user",),
        export_fields=("created", "revoked"),
    ),
    PersonalData(
        model="oauth2_provider.Grant",
        person_fields=("user",),
        export_fields=("scope", "expires", "created"),
    ),
    PersonalData(
        model="oauth2_provider.DeviceGrant",
        person_fields=("user",),
        export_fields=("scope", "expires"),
    ),
    PersonalData(
        model="oauth2_provider.IDToken",
        person_fields=("user",),
        export_fields=("expires", "created"),
    ),
)

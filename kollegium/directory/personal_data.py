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
)

"""The privacy app's own personal data, and that of the libraries' models (issue 12):
Django's admin log, allauth's email addresses and the task queue's results."""

import zipfile

from django.core.files.storage import default_storage
from django.db.models import Q

from kollegium.core.personal_data import json_holding, replace_in_json
from kollegium.core.registry import Erasure, PersonalData, register_personal_data
from kollegium.privacy.models import DataExport


def _names_in_zip(name: str, texts: list[str]) -> bool:
    try:
        with default_storage.open(name, "rb") as stream, zipfile.ZipFile(stream) as zipped:
            for member in zipped.namelist():
                content = zipped.read(member).decode("utf-8", "replace")
                if any(text in content for text in texts):
                    return True
    except (OSError, zipfile.BadZipFile):
        return True  # unreadable: it goes too
    return False


def _erase_exports(erasure: Erasure) -> int:
    """The person's exports go, and so do other people's that name them (an observation
    partner's export holds the partner's name); those people can export again."""
    from kollegium.privacy.services import export_delete_files

    texts = [old for old, _new in erasure.replacements]
    naming = [
        export.pk
        for export in DataExport.objects.exclude(person=erasure.person).exclude(file="")
        if texts and _names_in_zip(export.file.name, texts)
    ]
    exports = DataExport.objects.filter(Q(person=erasure.person) | Q(pk__in=naming))
    export_delete_files(exports)
    deleted, _rows = exports.delete()
    return deleted


def _erase_task_results(erasure: Erasure) -> int:
    """Finished background work whose arguments name the person (an email's address, say)
    goes; work still waiting keeps its arguments, with the name and address replaced."""
    from django_tasks_db.models import DBTaskResult

    count = 0
    for old, new in erasure.replacements:
        holding = json_holding(DBTaskResult, "args_kwargs", old)
        finished = Q(status__in=["FAILED", "SUCCESSFUL"])
        deleted, _rows = holding.filter(finished).delete()
        count += deleted
        for result in holding.exclude(finished).only("pk", "args_kwargs"):
            result.args_kwargs = replace_in_json(result.args_kwargs, old, new)
            result.save(update_fields=["args_kwargs"])
            count += 1
    return count


register_personal_data(
    PersonalData(
        model="privacy.DataExport",
        person_fields=("person",),
        export_fields=("status", "rows", "size", "created_at", "finished_at"),
        erase=_erase_exports,
    ),
    PersonalData(
        model="privacy.SignIn",
        person_fields=("user",),
        export_fields=("at",),
    ),
    PersonalData(
        model="privacy.ErasureRequest",
        person_fields=("person", "requested_by"),
        export_fields=("reason", "status", "records", "due_at", "created_at"),
        erase="keep",
        kept="The decision to erase and its reason are the record that the erasure was done; "
        "the person is replaced by the role.",
        text_fields=("records_reason",),
    ),
    PersonalData(
        model="privacy.OwnerPrivacySettings",
        person_fields=("updated_by",),
        export_fields=("owner__name", "updated_at"),
        erase="keep",
        kept="The owner's rules; who changed them last is replaced by the role.",
    ),
    PersonalData(
        model="admin.LogEntry",
        person_fields=("user",),
        export_fields=("action_time", "object_repr", "change_message"),
        erase="keep",
        kept="What was changed in the admin; the person is replaced by the role, and names "
        "in the log's text too.",
        text_fields=("object_repr", "change_message"),
    ),
    PersonalData(
        model="account.EmailAddress",
        person_fields=("user",),
        export_fields=("email", "verified", "primary"),
    ),
    PersonalData(
        model="django_tasks_database.DBTaskResult",
        exempt="Background work's arguments (an email to send, say): kept only until it ran.",
        erase=_erase_task_results,
    ),
)

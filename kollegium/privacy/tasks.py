"""Background work: making an export, carrying out an erasure, the nightly retention run.

Each runs outside any transaction and writes through the services, one short transaction per
step, so the pages see the progress and a stop leaves every step done or untouched.
"""

from __future__ import annotations

import logging

from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def build_export(*, export_id: int) -> str:
    from kollegium.privacy import exporting, services
    from kollegium.privacy.models import DataExport

    export = services.export_start(export_id=export_id, steps_total=len(exporting.exported()) + 1)
    if export is None:
        return "skipped"
    person = DataExport.objects.select_related("person").get(pk=export_id).person
    try:
        with translation.override(person.preferred_language or "sv"):
            archive, _sections = exporting.build(
                person,
                lambda done, rows: services.export_progress(
                    export_id=export_id, steps_done=done, rows=rows
                ),
            )
        with archive:
            archive.seek(0, 2)
            size = archive.tell()
            archive.seek(0)
            services.export_finish(export_id=export_id, content=archive, size=size)
    except Exception as error:  # never leave an export "being made" for ever; logged
        logger.exception("export %s failed", export_id)
        services.export_fail(export_id=export_id, code=type(error).__name__)
        return "failed"
    return "done"


def erase(erasure_id: int) -> str:
    """Run an erasure's remaining steps; also what the nightly command calls."""
    from kollegium.privacy import erasing, services

    erasure = services.erasure_begin(erasure_id=erasure_id)
    if erasure is None:
        return "skipped"
    school_ids = list(erasure.person.memberships.values_list("school_id", flat=True))
    if not school_ids and erasure.school_id is not None:
        school_ids = [erasure.school_id]
    try:
        for entry in erasing.steps():
            if entry.model not in erasure.steps_done:
                services.erasure_step(erasure_id=erasure_id, model=entry.model)
    except Exception as error:  # the steps done stay done; running it again finishes it
        logger.exception("erasure %s stopped", erasure_id)
        services.erasure_fail(erasure_id=erasure_id, code=type(error).__name__)
        return "failed"
    services.erasure_finish(erasure_id=erasure_id, school_ids=school_ids)
    return "done"


@task()
def run_erasure(*, erasure_id: int) -> str:
    return erase(erasure_id)


@task()
def nightly() -> dict[str, int]:
    """The retention rules and the due erasures (the ``retention_run`` command does the same)."""
    from kollegium.privacy.services import retention_run

    return dict(retention_run().counts)

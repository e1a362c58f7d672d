"""Background work: solving an observation round with CP-SAT, reporting progress as it goes.

Enqueued by ``services.round_solve`` after its transaction commits. The task runs outside any
transaction and writes only through the round's services, each its own short transaction, so
the page that polls the round sees the progress, and a failure is stored whole or not at all.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django_tasks import TaskContext, task

from kollegium.observations.models import ObservationRound
from kollegium.observations.timetable import RoundDataError
from kollegium.scheduling.core.rounds import solve_round

logger = logging.getLogger(__name__)

PROGRESS_STEP = 0.05
PROGRESS_INTERVAL_S = 0.5


@task(takes_context=True)
def solve_observation_round(context: TaskContext, *, round_id: int) -> str:
    """Build the round's instance from the timetables, solve it and store the proposal.

    Progress goes to ``ObservationRound.progress`` (0-1) every half second when it moved by
    5 % or more, so the page's progress bar moves without the solver waiting on the database.
    """
    from kollegium.observations import services

    round_ = services.round_solve_start(round_id=round_id, task_id=str(context.task_result.id))
    if round_ is None:
        return "skipped"  # deleted, closed, or planned by another run meanwhile
    try:
        return _solve(round_)
    except RoundDataError as err:
        code = err.code
    except Exception:  # never leave a round "planning" for ever; the log has the details
        logger.exception("planning observation round %s failed", round_id)
        code = "failed"
    services.round_solve_fail(round_id=round_id, code=code)
    return "error"


def _solve(round_: ObservationRound) -> str:
    from kollegium.observations.services import round_progress_record, round_store_result
    from kollegium.observations.timetable import build_round

    round_id = round_.pk
    built = build_round(round_)
    # CP-SAT calls back from its own thread; only this thread touches the database, so the
    # progress bar works the same on SQLite and PostgreSQL, in a worker and inline.
    latest = {"value": 0.0}

    def progress(fraction: float) -> None:
        latest["value"] = fraction

    written = 0.0
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(
            solve_round,
            built.instance,
            time_limit_s=float(getattr(settings, "OBSERVATION_ROUND_TIME_LIMIT_S", 10.0)),
            workers=2,
            progress=progress,
        )
        while True:
            try:
                result = future.result(timeout=PROGRESS_INTERVAL_S)
                break
            except FutureTimeout:
                value = min(latest["value"], 0.99)
                if value - written >= PROGRESS_STEP:
                    written = value
                    round_progress_record(round_id=round_id, progress=value)
    round_store_result(round_=round_, result=result, built=built)
    return str(result.status)

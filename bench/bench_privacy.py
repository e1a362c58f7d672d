"""Privacy (issue 12): exporting a very large account, and erasing it.

- Export of an account with 20,000 notifications and 5,000 timetable lessons (100,000 and
  25,000 on a full run): wall time, and the peak of memory the
  Python side allocates (tracemalloc) for that account and for one a tenth its size. The rows
  are read in chunks and written straight into the zip on disk, so the peak must not grow with
  the account (target: the large account's peak < 2 x the small one's).
- Erasure of the same account (every registered model, name replaced everywhere): wall time.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import timedelta

from bench.common import BenchContext, row


def _account(person, size: int) -> None:
    from django.utils import timezone

    from kollegium.core.models import Notification
    from kollegium.scheduling.models import TimetableEntry

    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind="bench", title=f"Avisering {n}", body="x" * 80)
            for n in range(size)
        ],
        batch_size=2000,
    )
    TimetableEntry.objects.bulk_create(
        [
            TimetableEntry(
                user=person,
                kind="lesson",
                title=f"Matematik {n}",
                start=now + timedelta(hours=n),
                end=now + timedelta(hours=n, minutes=50),
            )
            for n in range(size // 4)
        ],
        batch_size=2000,
    )


def _export(person, *, trace: bool) -> tuple[float, float, int]:
    """Seconds (without tracing, which slows Python down), or the peak memory (with it)."""
    from kollegium.privacy import exporting

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    archive, _sections = exporting.build(person, lambda done, rows: None)
    seconds = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    with archive:
        archive.seek(0, 2)
        size = archive.tell()
    return seconds, peak / 1024 / 1024, size


def run(ctx: BenchContext) -> list[dict]:
    from kollegium.organisations.models import Membership
    from kollegium.privacy import services
    from kollegium.privacy.models import ErasureRequest
    from kollegium.privacy.tasks import erase

    ctx.seed_people(2, 20)
    large = 20_000 if ctx.quick else 100_000
    members = list(Membership.objects.select_related("user", "school").order_by("pk")[:3])
    small_person, big_person, manager = (m.user for m in members)
    school = members[1].school
    _account(small_person, large // 10)
    _account(big_person, large)
    _small_s, small_peak, _small_size = _export(small_person, trace=True)
    _big_s, big_peak, _big_size = _export(big_person, trace=True)
    big_s, _peak, big_size = _export(big_person, trace=False)
    rows = [
        row(
            f"export: {large:,} notifications + {large // 4:,} lessons",
            big_s,
            "s",
            note=f"zip {big_size / 1e6:.1f} MB",
        ),
        row(f"export: peak Python memory, {large // 10:,} notifications", small_peak, "MB"),
        row(
            f"export: peak Python memory, {large:,} notifications",
            big_peak,
            "MB",
            target="< 2 x the small account's",
            ok=big_peak < 2 * small_peak,
        ),
    ]
    from kollegium.organisations.models import Role

    Membership.objects.filter(user=manager, school=school).update(role=Role.LEADER)
    erasure = services.erasure_schedule(
        actor=manager, school=school, person_id=big_person.pk, reason="left"
    )
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_at=erasure.created_at)
    started = time.perf_counter()
    status = erase(erasure.pk)
    rows.append(
        row(
            f"erasure of that account ({large:,} notifications)",
            time.perf_counter() - started,
            "s",
            note=status,
            ok=status == "done",
        )
    )
    return rows

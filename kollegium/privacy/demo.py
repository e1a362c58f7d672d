"""Demo: Bob has downloaded his data once; Ida is leaving at the end of term and the school
has scheduled the erasure of her account (cancellable until the grace period ends)."""

from kollegium.core.demo import DemoData
from kollegium.privacy import services
from kollegium.privacy.models import ErasureReason
from kollegium.privacy.tasks import build_export


def load_demo(demo: DemoData) -> None:
    export = services.export_request(actor=demo.people["bob"])
    # Made now rather than after the demo's transaction commits (that run then finds it done).
    build_export.call(export_id=export.pk)
    services.erasure_schedule(
        actor=demo.people["alice"],
        school=demo.school_a,
        person_id=demo.people["ida"].pk,
        reason=ErasureReason.LEFT,
    )

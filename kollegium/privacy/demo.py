"""Demo: Bob has downloaded his data once; Ida is leaving at the end of term and the school
has scheduled the erasure of her account (cancellable until the grace period ends). Loaded
again (the query-count tests grow the data that way), Hanna's is scheduled too."""

from kollegium.core.demo import DemoData
from kollegium.privacy import services
from kollegium.privacy.models import ErasureReason, ErasureRequest
from kollegium.privacy.tasks import build_export

LEAVING = ("ida", "hanna", "gustav")


def load_demo(demo: DemoData) -> None:
    export = services.export_request(actor=demo.people["bob"])
    # Made now rather than after the demo's transaction commits (that run then finds it done).
    build_export.call(export_id=export.pk)
    scheduled = set(ErasureRequest.objects.values_list("person_id", flat=True))
    leaving = next((demo.people[k] for k in LEAVING if demo.people[k].pk not in scheduled), None)
    if leaving is not None:
        services.erasure_schedule(
            actor=demo.people["alice"],
            school=demo.school_a,
            person_id=leaving.pk,
            reason=ErasureReason.LEFT,
        )

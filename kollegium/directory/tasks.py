from django_tasks import task

from kollegium.directory import services
from kollegium.directory.models import SyncRun


@task()
def sync_run_task(run_id: int) -> str:
    """Do one queued SS 12000 run (queued by services.sync_request)."""
    run = SyncRun.objects.select_related("source__owner").get(pk=run_id)
    return services.sync_execute(run).status

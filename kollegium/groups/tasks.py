"""Background work for learning groups (django-tasks)."""

from django_tasks import task

from kollegium.groups.services.reminders import commitment_reminders_send, meeting_reminders_send


@task()
def send_due_reminders() -> dict[str, int]:
    """Send due meeting and commitment reminders. Safe to run often: each is sent once."""
    return {
        "meetings": meeting_reminders_send(),
        "commitments": commitment_reminders_send(),
    }

"""Background work for notification emails (django-tasks)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_notification_email(
    *, to: list[str], subject: str, body: str, html_body: str, headers: dict[str, str]
) -> int:
    """Sends one notification email (plain text and HTML, with its unsubscribe headers)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers)
    message.attach_alternative(html_body, "text/html")
    return message.send(fail_silently=False)


@task()
def send_digests(*, period: str) -> int:
    """The period's digests (``kollegium notifications_digest``); safe to run again."""
    from kollegium.notifications.services import digests_send

    return digests_send(period=period)

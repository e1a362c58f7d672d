from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> int:
    """Sends one email. Runs inline in development and tests, on the worker in production."""
    return send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=to,
        html_message=html_body,
        fail_silently=False,
    )

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from kollegium.core.tasks import enqueue_on_commit, send_email


class AccountAdapter(DefaultAccountAdapter):
    """Kollegium is by invitation: people join a school through a link from its leader."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Same path as every other email: through the task framework, after commit.
        message = self.render_mail(template_prefix, email, context)
        body = message.body
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        enqueue_on_commit(
            send_email, to=[email], subject=message.subject, body=body, html_body=html
        )

    def format_email_subject(self, subject: str) -> str:
        return "[Kollegium] " + subject

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):  # type: ignore[no-untyped-def]
        # allauth's own success toasts ("Successfully signed in as …") add noise; keep errors.
        if message_template and (
            "logged_in" in message_template or "logged_out" in message_template
        ):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.http import HttpRequest, HttpResponse

from kollegium.accounts import throttle
from kollegium.accounts.models import User
from kollegium.core.params import is_safe_next
from kollegium.core.registry import password_refusal
from kollegium.core.services import audit_record
from kollegium.core.tasks import enqueue_on_commit, send_email


class AccountAdapter(DefaultAccountAdapter):
    """Kollegium is by invitation: people join a school through a link from its leader."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        if template_prefix == "account/email/password_reset_key" and user is not None:
            # The owner signs its staff in with the school's account (issue 11): no reset
            # link, but where to sign in (the same page as always, so nobody learns whose).
            reason = password_refusal(user)
            if reason:
                audit_record(actor=user, action="accounts.password_reset_refused", target=user)
                template_prefix = "account/email/password_reset_school_sign_in"
                context = {**context, "reason": reason}
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

    def is_safe_url(self, url: str | None) -> bool:
        # The rule of every other "next" in Kollegium: a bare word like "foo" falls back.
        return is_safe_next(context.request, url)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own limits (password reset) see the same address as our throttle.
        return throttle.client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Instead of allauth's "login_failed" limit, which counts per account alone and so
        # lets anyone lock a colleague out (settings.ACCOUNT_RATE_LIMITS turns it off).
        if throttle.retry_after(request, _login(credentials)):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.record_failure(request, _login(credentials))

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        throttle.remember_device(request, response, user.email)
        return response

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


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")

"""Sign-in through Skolfederation: the IdP choice, the direct link per school owner, and
djangosaml2's login, assertion consumer and metadata views with Kollegium's rules:

- only IdPs an administrator allowed, from the verified feed; HTTP-Redirect binding only (no
  self-submitting form, so no inline script under the CSP);
- every signature on a response SHA-256 or stronger (`custom_validation`);
- who the person is and where they work decided by `services.federation_sign_in`;
- refusals shown as a translated page, never a 500.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from djangosaml2 import views as saml2_views
from saml2.response import SignatureError, UnsolicitedResponse
from saml2.validate import ResponseLifetimeExceed, ToEarly

from kollegium.core.params import safe_next_url
from kollegium.core.registry import sign_in_form_actions
from kollegium.federation import config, metadata, selectors, services

#: The session's backend after a federation sign-in (it loads the person on each request).
BACKEND = "kollegium.accounts.backends.AccountBackend"


def _next(request: HttpRequest) -> str:
    return safe_next_url(request, request.GET.get("next"), "/")


def _refused(
    request: HttpRequest, code: str, params: dict[str, Any] | None = None, *, status: int = 403
) -> HttpResponse:
    context = {"reason": selectors.reason(selectors.SIGN_IN_REFUSALS, code, params), "code": code}
    return render(request, "federation/refused.html", context, status=status)


@login_not_required
@sign_in_form_actions
def choose(request: HttpRequest) -> HttpResponse:
    """Which school's sign-in: search by municipality or school owner, then a link each."""
    query = request.GET.get("q", "").strip()[:100]
    if not query.isprintable():
        query = ""
    available = config.sp_configured()
    context = {
        "query": query,
        "idps": selectors.choice(query) if available else [],
        "available": available,
        "next": _next(request),
    }
    return render(request, "federation/choose.html", context)


@login_not_required
def direct(request: HttpRequest, slug: str) -> HttpResponse:
    """A school owner's direct link (`/saml2/s/<slug>/`), for its intranet."""
    idp = selectors.idp_by_slug(slug)
    if idp is None or not config.sp_configured():
        raise Http404
    from urllib.parse import urlencode

    query = urlencode({"idp": idp.entity_id, "next": _next(request)})
    return HttpResponseRedirect(f"{reverse('saml2:login')}?{query}")


@method_decorator([login_not_required, never_cache], name="dispatch")
class LoginView(saml2_views.LoginView):
    config_loader_path = "kollegium.federation.config.sp_config"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        idp = request.GET.get("idp", "")
        if request.user.is_authenticated:
            return HttpResponseRedirect(_next(request))
        if not idp:
            return choose(request)
        if not config.sp_configured():
            raise Http404
        if not idp.isprintable() or len(idp) > 300 or not selectors.is_usable(idp):
            return self.unknown_idp(request, idp)
        return super().get(request, *args, **kwargs)

    def unknown_idp(self, request: HttpRequest, idp: str) -> HttpResponse:
        return _refused(request, "idp_not_allowed", status=404)


class AssertionConsumerServiceView(saml2_views.AssertionConsumerServiceView):
    config_loader_path = "kollegium.federation.config.sp_config"
    refusal = ""  # why this response was refused before pysaml2's own checks

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not config.sp_configured():
            raise Http404
        self.refusal = _weak_signature(request.POST.get("SAMLResponse", ""))
        if self.refusal:
            return _refused(request, self.refusal)
        return super().post(request, *args, **kwargs)

    def custom_validation(self, response: Any) -> None:
        """SHA-1 (or anything weaker than SHA-256) on any signature: refused."""
        self.refusal = _weak_signature(response.xmlstr, encoded=False) or ""
        if self.refusal:
            raise SuspiciousOperation(self.refusal)

    def authenticate_user(
        self,
        request: HttpRequest,
        session_info: dict[str, Any],
        attribute_mapping: Any,
        create_unknown_user: Any,
        assertion_info: dict[str, Any],
    ) -> Any:
        result = services.federation_sign_in(
            idp_entity_id=str(session_info.get("issuer") or ""),
            attributes=session_info.get("ava") or {},
            assertion_id=str(assertion_info.get("assertion_id") or ""),
            not_on_or_after=_when(assertion_info.get("not_on_or_after")),
        )
        if result.user is None:
            raise PermissionDenied(result.code, result.params)
        auth.login(request, result.user, backend=BACKEND)
        saml2_views._set_subject_id(request.saml_session, session_info["name_id"])  # type: ignore[attr-defined]
        return result.user

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        if isinstance(exception, PermissionDenied) and exception.args:
            code = str(exception.args[0])
            params = exception.args[1] if len(exception.args) > 1 else {}
            return _refused(request, code, params, status=403)
        if self.refusal:
            return _refused(request, self.refusal, status=403)
        if isinstance(exception, ResponseLifetimeExceed | ToEarly):
            return _refused(request, "expired", status=403)
        if isinstance(exception, UnsolicitedResponse):
            return _refused(request, "unsolicited", status=403)
        if isinstance(exception, SignatureError):
            return _refused(request, "signature", status=403)
        return _refused(request, "failed", status=400 if status == 400 else 403)


def _weak_signature(data: str | bytes, *, encoded: bool = True) -> str:
    """ "weak_algorithm" when a signature in the response uses less than SHA-256, "unsigned"
    when it has none; "" otherwise (or when it is unreadable: pysaml2 then refuses it)."""
    try:
        text = base64.b64decode(data, validate=False) if encoded else data
        root = metadata.SafeET.fromstring(text)
    except Exception:  # not base64 or not XML: pysaml2's parsing says so
        return ""
    try:
        signatures = metadata.check_algorithms(root)
    except metadata.FeedError:
        return "weak_algorithm"
    return "" if signatures else "signature"


def _when(value: Any) -> datetime | None:
    """An assertion's NotOnOrAfter ("2026-12-07T23:30:00Z") as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


acs = login_not_required(AssertionConsumerServiceView.as_view())
login = LoginView.as_view()


@login_not_required
def sp_metadata(request: HttpRequest) -> HttpResponse:
    """Our SP metadata, to register with the federation."""
    if not config.sp_configured():
        raise Http404
    from saml2.metadata import entity_descriptor

    descriptor = entity_descriptor(config.sp_config(request))
    return HttpResponse(
        str(descriptor).encode("utf-8"), content_type="application/samlmetadata+xml; charset=utf-8"
    )

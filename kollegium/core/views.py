from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kollegium.core import homepage, services
from kollegium.core.models import Notification


def home(request: HttpRequest) -> HttpResponse:
    return homepage.home_response(request)


def notifications(request: HttpRequest) -> HttpResponse:
    items = list(Notification.objects.filter(recipient_id=request.user.pk)[:100])
    response = render(request, "core/notifications.html", {"notifications": items})
    services.notifications_mark_read(actor=request.user, ids=[n.pk for n in items if not n.read_at])
    return response


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(actor=request.user)
    return redirect("core:notifications")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        database = "unavailable"
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {"status": status, "database": database, "vendor": connection.vendor},
        status=200 if status == "ok" else 503,
    )


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_429(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # allauth's remaining limits (password reset) count per minute.
    response = render(request, "429.html", {"retry_after": 60}, status=429)
    response["Retry-After"] = "60"
    return response


def error_500(request: HttpRequest) -> HttpResponse:
    # The database may be what failed, so render without the request's context processors.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


@login_not_required
def bench_bare(request: HttpRequest) -> HttpResponse:
    """The stack's limit for `make bench`: the same middleware, no queries, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


#: How many results of each kind the search page shows (the app's own page has the rest).
SEARCH_PER_KIND = 5


def search(request: HttpRequest) -> HttpResponse:
    """One search box for everything the person may see, grouped by kind; as you type, the
    results part alone is sent (htmx)."""
    from kollegium.core.registry import search_kinds

    raw = request.GET.get("q", "")[:300]
    groups = []
    if raw.strip():
        person = request.user  # each app makes its acting person of it (one per search)
        for kind in search_kinds():
            results, total = kind.search(person, raw, SEARCH_PER_KIND)
            if results:
                more = kind.more_url(raw) if kind.more_url and total > len(results) else ""
                groups.append({"kind": kind, "results": results, "total": total, "more": more})
    context = {"raw": raw, "groups": groups}
    htmx = getattr(request, "htmx", False)
    return render(request, "core/search.html#results" if htmx else "core/search.html", context)

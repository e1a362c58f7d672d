from collections.abc import Callable
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _not_utf8(encoded: str) -> bool:
    """True when a query string or form post decodes to something that is not UTF-8 text.

    Django reads such bytes as U+FFFD (the replacement character), so without this check the
    garbled text would be saved as if the person had written it."""
    try:
        parse_qsl(encoded, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return True
    return False


def _post_not_utf8(request: HttpRequest) -> bool:
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    return _not_utf8(request.body.decode("latin-1"))


class RejectNulMiddleware:
    """Refuse any request with a NUL character in its path, query string or form post, or
    with a query string or form post that is not UTF-8 text.

    No text in Kollegium may hold NUL: PostgreSQL cannot store it in a text column (DataError),
    and Django's form fields refuse it already. This covers everything that does not pass
    through a form field: raw query parameters (``?q=``), posted values a view reads itself,
    and path parts. The person gets a 400 page saying what was wrong, in their language;
    nothing is saved. It runs after the language is chosen and before any view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            NUL in request.path_info
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            reason = _(
                "What was sent contained a NUL character (\\0), which Kollegium does not"
                " accept in text. Remove it and try again; nothing was saved."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        if _not_utf8(request.META.get("QUERY_STRING", "")) or _post_not_utf8(request):
            reason = _(
                "What was sent was not readable text (it was not UTF-8). Type it again or"
                " paste it as plain text; nothing was saved."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)

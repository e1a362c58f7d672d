from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    """Swedish unless the person chose otherwise: their saved choice, else the language cookie.

    The browser's Accept-Language is ignored on purpose: Kollegium is Swedish first, and an
    English browser at a Swedish school should not flip the interface for everyone's screenshots
    and shared links. English is one click away and then remembered.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = settings.LANGUAGE_CODE
        user = getattr(request, "user", None)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and user.preferred_language in self.available:
            language = user.preferred_language
        elif cookie in self.available:
            language = cookie
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

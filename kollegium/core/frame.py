"""The frame every page shares (header, navigation, footer), kept rendered per person.

The header shows the person's name, their schools (the switcher), the navigation (whose
items may depend on their memberships and roles: `NavItem.visible`) and their unread count.
Rendering it cost more than many pages' own content: two or three queries for the items'
visibility and a template of ~250 nodes (issue 10, docs/notes/issue-10-speed.md). It changes
far less often than it is shown, so the rendered header is kept in the ``frame`` cache (each
server process's memory) under a key of everything it shows:

- the person (their id and the moment they joined: a reused id is a different key) and their
  *home version*, raised in the same transaction as any change to the person, their
  memberships, schools, owner staff or notifications (kollegium/core/homepage.py, ``watch``),
  read in the one signed-in statement at no extra query;
- their number of unread notifications (read in the same statement), the language, the
  chosen school and today's date (a nav item may depend on the date: "Start here");
- the request's own values are left as markers and filled in on the way out: the CSRF token,
  the address the language switch returns to, and which navigation item is the current page.

A nav item's ``visible(request)`` may therefore depend only on the person, their memberships,
roles and owner staff, and the date (docs/dev/guide.md). A person without a version row yet is
rendered and not kept. ``FRAME_CACHE=off`` renders the frame on every page.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import escape

from kollegium.core import registry

CACHE_ALIAS = "frame"
TEMPLATES = {"header": "core/_frame_header.html", "footer": "core/_frame_footer.html"}
# Random per process, so no text a person writes can stand in for a marker.
_MARK = f"frame{secrets.token_hex(12)}"
_CSRF = f"{_MARK}csrf"
_NEXT = f"{_MARK}next"
_MARKERS = re.compile(rf"{_MARK}(csrf|next|cur(\d+)x)")
_CURRENT = ' aria-current="page"'

# The navigation's addresses, reversed once per process: they take no arguments.
_nav_urls: dict[tuple[str, str, Any, str], str] = {}


def nav_url(name: str) -> str:
    key = (name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    url = _nav_urls.get(key)
    if url is None:
        url = _nav_urls[key] = reverse(name)
    return url


def nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The main navigation's items this person sees: url, label, prefix that marks it current."""
    items = []
    for item in registry.nav_items():
        if item.visible is not None and not item.visible(request):
            continue
        try:
            url = nav_url(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "prefix": item.match_prefix or url})
    return items


def is_current(path: str, url: str, prefix: str) -> bool:
    return path == url if url == "/" else path.startswith(prefix)


def render(part: str, context: Context) -> str:
    """The frame's `part` ("header" or "footer") for this request, kept while it is true."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return _render(part, context)[0]
    key = _key(part, request)
    cache = caches[CACHE_ALIAS]
    kept = cache.get(key) if key is not None else None
    if kept is None:
        kept = _render(part, context)
        if key is not None:
            cache.set(key, kept)
    page, current = kept
    return _fill(page, current, request, context)


def _key(part: str, request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    if user is None or not user.is_authenticated:
        return f"frame:{part}:anonymous:{language}"
    if part == "footer":
        return f"frame:{part}:person:{language}"
    version = getattr(user, "home_version", None)
    unread = getattr(user, "unread_notifications", None)
    if version is None or unread is None:
        return None  # not read with the session (or no version row yet): rendered, not kept
    session = getattr(request, "session", None)
    school = session.get("kollegium_school_id", "") if session is not None else ""
    joined = user.date_joined.timestamp() if user.date_joined else ""
    return (
        f"frame:{part}:{user.pk}:{joined}:{version}:{unread}:{language}:{school}:"
        f"{timezone.localdate().isoformat()}"
    )


def _render(part: str, context: Context) -> tuple[str, list[tuple[str, str]]]:
    """The part with markers, and the (url, prefix) of each item that may be current."""
    request: HttpRequest | None = context.get("request")
    items: list[dict[str, Any]] = []
    current: list[tuple[str, str]] = []
    user = getattr(request, "user", None)
    if part == "header" and request is not None and user is not None and user.is_authenticated:
        for number, item in enumerate(nav_items(request)):
            items.append({**item, "current": f"{_MARK}cur{number}x"})
            current.append((item["url"], item["prefix"]))
        personal = [nav_url("core:notifications"), nav_url("accounts:profile")]
        for url in personal:
            current.append((url, "\0"))  # the exact address only
    values = {
        "nav_items": items,
        "csrf_token": _CSRF,
        "frame_next": _NEXT,
        "frame_notifications_current": f"{_MARK}cur{len(items)}x",
        "frame_profile_current": f"{_MARK}cur{len(items) + 1}x",
    }
    with context.push(values):
        page = get_template(TEMPLATES[part]).template.render(context)  # type: ignore[attr-defined]
    return page.strip(), current  # base.html has the indentation and the line's end


def _fill(page: str, current: list[tuple[str, str]], request: HttpRequest, context: Context) -> str:
    if _MARK not in page:
        return page
    path = request.path
    chosen = {n for n, (url, prefix) in enumerate(current) if _matches(path, url, prefix)}
    csrf = str(context.get("csrf_token", ""))
    after = escape(request.get_full_path())

    def fill(match: re.Match[str]) -> str:
        if match.group(1) == "csrf":
            return csrf
        if match.group(1) == "next":
            return after
        return _CURRENT if int(match.group(2)) in chosen else ""

    return _MARKERS.sub(fill, page)


def _matches(path: str, url: str, prefix: str) -> bool:
    if prefix == "\0":
        return path == url
    return is_current(path, url, prefix)

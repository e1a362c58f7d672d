"""Reading numbers and return addresses from a request without ever raising.

Every integer a person (or anyone) can put into a query string or a form post is read here,
never with ``int(request.GET[...])``: ASCII digits only (``"²".isdigit()`` is true, yet ``int``
refuses it), and only numbers a database id column can hold, so SQLite never meets a number it
cannot bind (OverflowError) and PostgreSQL's bigint never overflows. Anything else is "no
number": the caller's default, which usually means "not found" or the first page.

A ``next`` address is used only when it is a path or a URL on this site
(``url_has_allowed_host_and_scheme``); anything else, a bare word included, falls back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, overload

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

#: The largest value of a 64-bit signed id column (Django's BigAutoField).
MAX_ID = 2**63 - 1
#: Page numbers beyond this are read as this page (the selectors then show the last page).
MAX_PAGE = 1_000_000
_MAX_DIGITS = len(str(MAX_ID))


@overload
def to_int(value: Any, default: int, *, minimum: int = ..., maximum: int = ...) -> int: ...
@overload
def to_int(
    value: Any, default: None = None, *, minimum: int = ..., maximum: int = ...
) -> int | None: ...
def to_int(
    value: Any, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID
) -> int | None:
    """``value`` as an int within ``minimum..maximum``, else ``default``.

    Accepts an int or a string of ASCII digits (an optional leading minus when ``minimum`` is
    negative), surrounding spaces ignored; never raises.
    """
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") and minimum < 0 else text
        if not digits or len(digits) > _MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
            return default
        number = int(text)
    else:
        return default
    return number if minimum <= number <= maximum else default


@overload
def get_int(
    data: Mapping[str, Any], key: str, default: int, *, minimum: int = ..., maximum: int = ...
) -> int: ...
@overload
def get_int(
    data: Mapping[str, Any],
    key: str,
    default: None = None,
    *,
    minimum: int = ...,
    maximum: int = ...,
) -> int | None: ...
def get_int(
    data: Mapping[str, Any],
    key: str,
    default: int | None = None,
    *,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """The integer ``data[key]`` (``request.GET`` / ``request.POST``), else ``default``."""
    return to_int(data.get(key), default, minimum=minimum, maximum=maximum)


def get_ints(data: Any, key: str) -> list[int] | None:
    """All values of ``key`` (``request.POST.getlist``) as ids, in order without repeats.

    None when any value is not an id, so a caller can tell "bad input" from "nothing chosen".
    """
    values: Iterable[Any] = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
    numbers: dict[int, None] = {}
    for value in values:
        number = to_int(value)
        if number is None:
            return None
        numbers[number] = None
    return list(numbers)


def get_page(data: Mapping[str, Any], key: str = "page") -> int:
    """A page number: 1 unless ``data[key]`` is a positive number; huge ones read as MAX_PAGE."""
    value = data.get(key)
    number = to_int(value, None, minimum=1, maximum=MAX_ID)
    if number is not None:
        return min(number, MAX_PAGE)
    text = value.strip() if isinstance(value, str) else ""
    # More digits than any id (never int() them: Python refuses over 4,300 digits) is still
    # clearly "a page far past the end".
    return MAX_PAGE if text.isascii() and text.isdigit() and text.strip("0") else 1


def is_safe_next(request: HttpRequest, value: Any) -> bool:
    """Whether ``value`` is an address on this site: a path, or an http(s) URL of this host.

    A bare word such as ``foo`` is not an address (``redirect("foo")`` would try it as a URL
    name and fail), nor is anything with control characters, nor another site.
    """
    return bool(
        isinstance(value, str)
        and value
        and value.isprintable()
        and "\\" not in value
        and (value.startswith("/") or value.startswith(("http://", "https://")))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next_url(request: HttpRequest, value: Any, fallback: str = "/") -> str:
    """``value`` when it is an address on this site (``is_safe_next``), else ``fallback``
    (a path or a URL name)."""
    return value if is_safe_next(request, value) else resolve_url(fallback)


def redirect_next(
    request: HttpRequest, fallback: str = "/", key: str = "next"
) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` (POST, else GET) when it is safe, else ``fallback``."""
    value = request.POST.get(key) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(key)
    return HttpResponseRedirect(safe_next_url(request, value, fallback))

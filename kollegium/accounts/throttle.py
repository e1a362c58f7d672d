"""Sign-in throttling that a stranger cannot turn into a lock-out, and the client's address.

Wrong passwords are counted per *where from* and *which account* together, never per account
alone (five wrong passwords typed for a colleague's email used to lock that colleague out of
every device for five minutes):

- *where from* is the device when it has signed in to that account before (a signed
  "known device" cookie, set at each successful sign-in), else the client's address. So a
  colleague guessing behind the same school address slows down only themselves; the owner's
  own browser keeps its own count.
- Every address also has a much higher limit over all accounts (password spraying), which
  a known device signing in to its own account does not count against. It is high enough
  that the typos of a big school's morning rush behind one address never reach it.
- Successful sign-ins are not limited at all (a correct password is not an attack).

The client's address is REMOTE_ADDR unless the operator says which proxies to trust
(``TRUSTED_PROXY_HOPS`` or ``TRUSTED_PROXY_HEADER``, README "Settings"); django-allauth's own
limits (password reset) read it through ``AccountAdapter.get_client_ip`` too.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Limit:
    name: str
    amount: int
    seconds: int


#: Wrong passwords for one account from one device or address.
ACCOUNT_FAILURES = Limit("account", 5, 300)
#: Wrong passwords from one address, for any accounts.
ADDRESS_FAILURES = Limit("address", 100, 60)

DEVICE_COOKIE = "kollegium_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
_DEVICE_SALT = "kollegium.accounts.device"
_DEVICE_ACCOUNTS = 10  # accounts remembered per device (a shared staff-room computer)


# --- The client's address ----------------------------------------------------------------


def _valid_address(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:1234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the request came from, seen through the proxies the operator trusts.

    ``TRUSTED_PROXY_HEADER`` (e.g. ``X-Real-IP``): that header, set by the proxy, holds it.
    ``TRUSTED_PROXY_HOPS`` = n: n proxies each append to X-Forwarded-For, so the n-th entry
    from the right is what the outermost trusted proxy saw; entries further left are
    whatever the client sent and are never trusted. Without either, REMOTE_ADDR: a client's
    own X-Forwarded-For is ignored, so nobody can dodge the limits by sending one.
    """
    # No REMOTE_ADDR happens only outside a real server; count such requests together.
    remote = _valid_address(request.META.get("REMOTE_ADDR")) or "0.0.0.0"  # noqa: S104
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header:
        value = request.headers.get(header, "")
        return _valid_address(value.split(",")[0]) or remote
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops > 0:
        chain = [part for part in request.headers.get("X-Forwarded-For", "").split(",") if part]
        if len(chain) >= hops:
            return _valid_address(chain[-hops]) or remote
    return remote


def _address_key(address: str) -> str:
    """IPv6 clients are counted per /64 (one household or school network), as allauth does."""
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


# --- Known devices -----------------------------------------------------------------------


def _account_tag(login: str) -> str:
    return salted_hmac(_DEVICE_SALT, login.strip().lower()).hexdigest()[:20]


def _device(request: HttpRequest) -> dict[str, Any] | None:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str):
        return None
    accounts = data.get("a")
    return (
        {"d": data["d"], "a": [a for a in accounts if isinstance(a, str)]}
        if isinstance(accounts, list)
        else None
    )


def known_device(request: HttpRequest, login: str) -> str | None:
    """This browser's device id, if it has signed in to ``login``'s account before."""
    device = _device(request)
    if device and _account_tag(login) in device["a"]:
        return str(device["d"])
    return None


def remember_device(request: HttpRequest, response: HttpResponseBase, login: str) -> None:
    """After a successful sign-in: this browser is a known device for that account."""
    device = _device(request) or {"d": secrets.token_urlsafe(16), "a": []}
    tag = _account_tag(login)
    accounts = [tag, *(a for a in device["a"] if a != tag)][:_DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"d": device["d"], "a": accounts}, salt=_DEVICE_SALT),
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- Counting failures -------------------------------------------------------------------


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"kollegium:signin:{digest}"


def _counters(request: HttpRequest, login: str) -> list[tuple[Limit, str]]:
    account = login.strip().lower()
    address = _address_key(client_address(request))
    device = known_device(request, account)
    if device:
        return [(ACCOUNT_FAILURES, _key("device", device, account))]
    return [
        (ACCOUNT_FAILURES, _key("address", address, account)),
        (ADDRESS_FAILURES, _key("address", address)),
    ]


@contextmanager
def _locked(key: str) -> Iterator[None]:
    """A short lock so that parallel wrong passwords are all counted (cache.add is atomic)."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + 1
    while not cache.add(lock, 1, timeout=5) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield
    finally:
        cache.delete(lock)


def _recent(key: str, limit: Limit, now: float) -> list[float]:
    return sorted(t for t in cache.get(key, []) if t > now - limit.seconds)


def retry_after(request: HttpRequest, login: str) -> int:
    """Seconds until ``login`` may be tried again from here; 0 when it may be now."""
    now = time.time()
    wait = 0.0
    for limit, key in _counters(request, login):
        recent = _recent(key, limit, now)
        if len(recent) >= limit.amount:
            wait = max(wait, recent[-limit.amount] + limit.seconds - now)
    return math.ceil(wait) if wait > 0 else 0


def record_failure(request: HttpRequest, login: str) -> None:
    now = time.time()
    for limit, key in _counters(request, login):
        with _locked(key):
            recent = [*_recent(key, limit, now), now][-limit.amount :]
            cache.set(key, recent, limit.seconds)

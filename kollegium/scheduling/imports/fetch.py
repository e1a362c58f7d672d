"""Fetching a timetable subscription URL without reaching internal addresses (no SSRF).

* only ``http``/``https`` (``webcal`` is read as ``https``), no user:password in the URL;
* the host name is resolved once and every address must be public (not private, loopback,
  link-local, multicast, reserved or unspecified) unless the host is listed in
  ``settings.SCHEDULING_FETCH_ALLOWED_HOSTS``; the connection goes to the checked address, so
  a second DNS answer cannot point it elsewhere (DNS rebinding);
* redirects are followed at most three times, each target checked the same way;
* a time limit for the whole fetch and a size limit for the answer; HTML answers are refused.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from . import ImportProblem

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 10.0
MAX_REDIRECTS = 3


def _allowed_hosts() -> set[str]:
    return {h.lower() for h in getattr(settings, "SCHEDULING_FETCH_ALLOWED_HOSTS", [])}


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(address: str) -> bool:
    """Global unicast, also for IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo, NAT64)."""
    ip = ipaddress.ip_address(address)
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour]
        if ip.teredo:
            embedded += list(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return all(e is None or (e.is_global and not e.is_multicast) for e in embedded)
    return True


def check_url(url: str) -> tuple[str, str, int, str, str]:
    """Validate a URL: returns (scheme, host, port, path with query, the address to use)."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImportProblem(_("The address is not a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ImportProblem(_("Only http and https addresses can be fetched."))
    if parts.username or parts.password:
        raise ImportProblem(_("The address must not contain a user name or password."))
    host = (parts.hostname or "").lower()
    if not host:
        raise ImportProblem(_("The address has no host name."))
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ImportProblem(
            _("The host “%(host)s” could not be found.") % {"host": host}
        ) from error
    addresses = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        addresses.append(address)
    if host not in _allowed_hosts():
        for address in addresses:
            if not is_public_address(address):
                raise ImportProblem(
                    _("The address “%(host)s” points to an internal network and is not allowed.")
                    % {"host": host}
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path, addresses[0]


def _connect(scheme: str, host: str, port: int, address: str, timeout: float):
    sock = socket.create_connection((address, port), timeout=timeout)
    if scheme == "https":
        context = ssl.create_default_context()
        sock = context.wrap_socket(sock, server_hostname=host)
    connection_class = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=timeout)
    connection.sock = sock
    return connection


def fetch_calendar(url: str, *, timeout_s: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of an iCalendar answer, or ImportProblem with a translated reason."""
    deadline = time.monotonic() + timeout_s
    current = url.strip()
    if current.lower().startswith("webcal://"):
        current = "https://" + current[len("webcal://") :]
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path, address = check_url(current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ImportProblem(_("The timetable server did not answer in time."))
        try:
            connection = _connect(scheme, host, port, address, remaining)
            try:
                connection.request(
                    "GET",
                    path,
                    headers={
                        "Host": host if port in (80, 443) else f"{host}:{port}",
                        "User-Agent": "Kollegium timetable import",
                        "Accept": "text/calendar, */*;q=0.5",
                    },
                )
                response = connection.getresponse()
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location") or ""
                    if not location:
                        raise ImportProblem(_("The server sent a redirect without an address."))
                    current = urljoin(current, location)
                    continue
                if response.status != 200:
                    raise ImportProblem(
                        _("The timetable server answered with status %(status)d.")
                        % {"status": response.status}
                    )
                content_type = (response.getheader("Content-Type") or "").lower()
                if "html" in content_type:
                    raise ImportProblem(
                        _(
                            "The address returned a web page, not a calendar. Copy the "
                            "subscription (iCalendar) address from your timetable system."
                        )
                    )
                declared = response.getheader("Content-Length")
                if (
                    declared
                    and declared.isascii()
                    and declared.isdigit()
                    and (len(declared) > 18 or int(declared) > max_bytes)
                ):
                    raise ImportProblem(_("The calendar is larger than the limit of 5 MB."))
                chunks = []
                size = 0
                while True:
                    if time.monotonic() > deadline:
                        raise ImportProblem(_("The timetable server did not answer in time."))
                    chunk = response.read(64 * 1024)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise ImportProblem(_("The calendar is larger than the limit of 5 MB."))
                    chunks.append(chunk)
            finally:
                connection.close()
        except TimeoutError as error:
            raise ImportProblem(_("The timetable server did not answer in time.")) from error
        except ssl.SSLError as error:
            raise ImportProblem(_("The secure connection to the server failed.")) from error
        except (OSError, http.client.HTTPException) as error:
            raise ImportProblem(
                _("The timetable server could not be reached: %(error)s") % {"error": error}
            ) from error
        body = b"".join(chunks)
        head = body[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")):
            raise ImportProblem(
                _(
                    "The address returned a web page, not a calendar. Copy the "
                    "subscription (iCalendar) address from your timetable system."
                )
            )
        return body
    raise ImportProblem(_("The address redirected too many times."))

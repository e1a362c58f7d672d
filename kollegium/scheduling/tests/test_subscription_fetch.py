"""Subscription URLs: the SSRF policy, limits and bad answers, against a real local server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kollegium.scheduling import services
from kollegium.scheduling.imports import ImportProblem
from kollegium.scheduling.imports.fetch import check_url, fetch_calendar, is_public_address
from kollegium.scheduling.models import Source, TimetableEntry, TimetableSubscription

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\nUID:s1\r\n"
    b"SUMMARY:Fysik\r\nDTSTART;TZID=Europe/Stockholm:20260316T100000\r\n"
    b"DTEND;TZID=Europe/Stockholm:20260316T110000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)
WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/calendar") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:  # the client gave up (the time-out test)
            pass

    def do_GET(self) -> None:
        if self.path == "/cal.ics":
            self._send(200, CALENDAR)
        elif self.path == "/this-term.ics":  # weekly from today, for the default import window
            today = datetime.now(UTC).strftime("%Y%m%d")
            self._send(200, CALENDAR.replace(b"20260316", today.encode()))
        elif self.path == "/page":
            self._send(200, b"<!doctype html><html><body>Sign in</body></html>", "text/html")
        elif self.path == "/sneaky":
            self._send(200, b"<!DOCTYPE html><html></html>", "text/plain")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, CALENDAR)
        elif self.path == "/big":
            self._send(200, b"X" * 5000)
        elif self.path == "/to-internal":
            self.send_response(302)
            self.send_header("Location", "http://10.1.2.3/cal.ics")
            self.end_headers()
        elif self.path == "/to-calendar":
            self.send_response(301)
            self.send_header("Location", "/cal.ics")
            self.end_headers()
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_allowed(settings) -> None:
    settings.SCHEDULING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/cal.ics",
        "http://localhost/cal.ics",
        "http://10.0.0.5/cal.ics",
        "http://192.168.1.1/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/cal.ics",
        "http://0.0.0.0/cal.ics",
        "http://100.64.0.1/cal.ics",
        "http://[::ffff:10.0.0.1]/cal.ics",
        "http://[64:ff9b::a00:1]/cal.ics",  # NAT64 to 10.0.0.1
        "http://[2002:a00:1::]/cal.ics",  # 6to4 from 10.0.0.1
    ],
)
def test_internal_addresses_are_refused_by_default(url, settings):
    settings.SCHEDULING_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(ImportProblem, match="internal"):
        check_url(url)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/cal.ics", "http"),
        ("file:///etc/passwd", "http"),
        ("gopher://example.com/", "http"),
        ("https://user:secret@example.com/cal.ics", "password"),
        ("https:///cal.ics", "host"),
    ],
)
def test_only_plain_http_and_https_addresses_are_fetched(url, words):
    with pytest.raises(ImportProblem, match=words):
        check_url(url)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


def test_a_local_server_is_reachable_only_when_the_setting_allows_it(server, settings):
    settings.SCHEDULING_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(ImportProblem):
        fetch_calendar(server + "/cal.ics")
    settings.SCHEDULING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch_calendar(server + "/cal.ics") == CALENDAR


def test_a_redirect_to_an_internal_address_is_refused(server, local_allowed):
    with pytest.raises(ImportProblem, match="internal"):
        fetch_calendar(server + "/to-internal")


def test_a_redirect_to_an_allowed_address_is_followed(server, local_allowed):
    assert fetch_calendar(server + "/to-calendar") == CALENDAR


@pytest.mark.parametrize(
    ("path", "words"), [("/page", "web page"), ("/sneaky", "web page"), ("/missing", "404")]
)
def test_web_pages_and_errors_are_refused_with_a_reason(server, local_allowed, path, words):
    with pytest.raises(ImportProblem, match=words):
        fetch_calendar(server + path)


def test_a_slow_server_times_out(server, local_allowed):
    with pytest.raises(ImportProblem, match="in time"):
        fetch_calendar(server + "/slow", timeout_s=0.5)


def test_a_too_large_answer_is_refused(server, local_allowed):
    with pytest.raises(ImportProblem, match="5 MB"):
        fetch_calendar(server + "/big", max_bytes=1000)


def test_subscribing_imports_the_lessons_and_remembers_the_address(server, local_allowed, bob):
    record = services.timetable_subscribe(actor=bob, url=server + "/cal.ics", window=WINDOW)
    assert record.lessons_read == 3
    assert TimetableEntry.objects.filter(user=bob, source=Source.SUBSCRIPTION).count() == 3
    assert TimetableSubscription.objects.get(user=bob).url == server + "/cal.ics"


def test_a_failing_subscription_saves_nothing(server, local_allowed, bob):
    with pytest.raises(ValidationError) as caught:
        services.timetable_subscribe(actor=bob, url=server + "/page", window=WINDOW)
    assert "url" in caught.value.message_dict
    assert not TimetableSubscription.objects.filter(user=bob).exists()
    assert not TimetableEntry.objects.filter(user=bob).exists()


def test_the_nightly_command_refreshes_subscriptions_and_records_failures(
    server, local_allowed, bob, carol
):
    from io import StringIO

    from django.core.management import call_command

    services.timetable_subscribe(actor=bob, url=server + "/this-term.ics")
    TimetableSubscription.objects.create(user=carol, url=server + "/page")
    out, err = StringIO(), StringIO()
    call_command("refresh_timetable_subscriptions", stdout=out, stderr=err)
    assert "refreshed 1, failed 1" in out.getvalue()
    assert "web page" in TimetableSubscription.objects.get(user=carol).last_error
    assert bob.timetable_imports.count() == 2

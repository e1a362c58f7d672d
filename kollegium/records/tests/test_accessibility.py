"""The accessibility statement (tillgänglighetsredogörelse): public, linked from every page's
footer, with a way to report a problem that reaches the installation's administrators."""

import pytest

from kollegium.core.models import Notification
from kollegium.core.testing.factories import UserFactory
from kollegium.records.models import AccessibilityReport

pytestmark = pytest.mark.django_db

URL = "/records/accessibility/"
REPORT = "/records/accessibility/report/"


def test_anyone_reads_the_statement_without_signing_in(client):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tillgänglighetsredogörelse" in text
    assert "Kända problem" in text and "digg.se" in text
    assert 'action="/records/accessibility/report/"' not in text  # the form is for the signed in


def test_the_statement_is_in_english_too(client):
    client.cookies["kollegium_language"] = "en"
    text = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Accessibility statement</h1>" in text and "Known problems" in text


def test_every_page_links_to_it_from_the_footer(world, client_for, client):
    assert URL in client.get("/about/").content.decode()
    assert URL in client_for(world.bob).get("/").content.decode()


def test_a_report_reaches_every_installation_administrator(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    admins = [UserFactory(is_staff=True, wants_email_notifications=True) for _ in range(2)]
    UserFactory(is_staff=True, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.dave).post(
            REPORT, {"page": "/groups/", "message": "Timern går inte att stoppa med tangentbordet."}
        )
    assert response.status_code == 302 and response["Location"] == URL
    report = AccessibilityReport.objects.get()
    assert report.reporter_id == world.dave.pk and report.page == "/groups/"
    notes = Notification.objects.filter(kind="records.accessibility_report")
    assert sorted(n.recipient_id for n in notes) == sorted(a.pk for a in admins)
    assert all("tangentbordet" in n.body for n in notes)
    assert {m.to[0] for m in mailoutbox} >= {a.email for a in admins}


def test_an_empty_or_overlong_report_gets_a_message_and_saves_nothing(world, client_for):
    c = client_for(world.bob)
    for data in ({"page": "", "message": "   "}, {"page": "x" * 501, "message": "ok"}):
        response = c.post(REPORT, data)
        assert response.status_code == 422
        assert b"errorlist" in response.content
    assert c.post(REPORT, {"message": "x" * 4001}).status_code == 422
    assert not AccessibilityReport.objects.exists()
    assert not Notification.objects.exists()


def test_an_anonymous_visitor_must_sign_in_to_report(client):
    response = client.post(REPORT, {"message": "hej"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not AccessibilityReport.objects.exists()


def test_the_page_and_report_answer_dave_as_anyone(world, client_for):
    assert client_for(world.dave).get(URL).status_code == 200
    assert client_for(world.dave).get(REPORT).status_code == 405

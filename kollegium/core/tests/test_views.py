import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kollegium.core.models import Notification
from kollegium.core.services import notification_send
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A real unreachable server (nothing listens on port 1), in a separate process.
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz');"
        "print(r.status_code, r.content.decode().replace(chr(10), ' '))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    out = (
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    status, body = out.split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"] == "unavailable"


def test_home_needs_sign_in(client):
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_home_greets_the_person_with_their_school(client_for, world):
    body = client_for(world.bob).get("/").content.decode()
    assert "Hej, Bob" in body
    assert "Skola A" in body


def test_pages_carry_a_content_security_policy(client_for, world):
    response = client_for(world.bob).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_404_page_is_translated(client_for, world, settings):
    settings.DEBUG = False
    response = client_for(world.bob).get("/does-not-exist/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


def test_the_404_page_in_english_after_switching(client_for, world):
    world.bob.preferred_language = "en"
    world.bob.save()
    response = client_for(world.bob).get("/does-not-exist/")
    assert "The page was not found" in response.content.decode()


def test_notifications_show_only_ones_own_and_mark_them_read(client_for, world):
    notification_send(recipient=world.bob, kind="test", title="Till Bob", email=False)
    notification_send(recipient=world.dave, kind="test", title="Till Dave", email=False)
    body = client_for(world.bob).get("/notifications/").content.decode()
    assert "Till Bob" in body and "Till Dave" not in body
    assert Notification.objects.get(recipient=world.bob).read_at is not None
    assert Notification.objects.get(recipient=world.dave).read_at is None


def test_a_notification_is_emailed_in_the_recipients_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.dave.preferred_language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=world.dave, kind="test", title="A question for you", url="/q/1/"
        )
    assert len(mailoutbox) == 1
    assert "Choose how you get each kind of email" in mailoutbox[0].body
    assert "http://testserver/q/1/" in mailoutbox[0].body


def test_no_email_for_people_who_turned_it_off(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.bob.wants_email_notifications = False
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=world.bob, kind="test", title="Hej")
    assert mailoutbox == []


def test_home_runs_constant_queries_at_two_sizes(client_for, world):
    c = client_for(world.bob)

    def grow():
        for n in range(20):
            notification_send(recipient=world.bob, kind="test", title=f"n{n}", email=False)

    assert_constant_queries(lambda: get_home_rendered(c), grow)


def test_the_about_page_is_public(client):
    assert client.get("/about/").status_code == 200

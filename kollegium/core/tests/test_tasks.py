"""Tasks are enqueued on commit, never run inside the caller's transaction (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from kollegium.core.services import email_send_to_person
from kollegium.core.tasks import enqueue_on_commit, send_email

pytestmark = pytest.mark.django_db

HELPER = Path(settings.BASE_DIR) / "kollegium" / "core" / "tasks.py"


def _mail(to: str) -> dict:
    return {"to": [to], "subject": "Hej", "body": "Text"}


def test_a_task_is_enqueued_when_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(send_email, **_mail("bob@example.org"))
        assert mailoutbox == []  # the immediate backend has not run it yet
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]


def test_a_rollback_enqueues_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(send_email, **_mail("bob@example.org"))
        raise RuntimeError("the caller fails")
    assert callbacks == [] and mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_task_is_enqueued_at_once(mailoutbox):
    enqueue_on_commit(send_email, **_mail("cron@example.org"))
    assert [m.to for m in mailoutbox] == [["cron@example.org"]]


def test_an_email_to_a_person_waits_for_the_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_send_to_person(
            recipient=world.bob,
            subject_template="core/email/notification_subject.txt",
            body_template="core/email/notification_body.txt",
            context={"notification": None, "recipient": world.bob, "site_url": "http://x"},
        )
        assert mailoutbox == []
    assert [m.to for m in mailoutbox] == [[world.bob.email]]


def test_a_sign_in_email_waits_for_the_commit(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    # allauth's emails go through the account adapter, which enqueues the same email task.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/accounts/password/reset/", {"email": world.bob.email})
        assert response.status_code == 302 and mailoutbox == []
    assert len(callbacks) == 1 and len(mailoutbox) == 1


def _enqueue_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"enqueue", "aenqueue"}
    ]


def test_no_code_enqueues_a_task_except_through_the_helper():
    base = Path(settings.BASE_DIR)
    files = [
        path
        for folder in ("kollegium", "config", "bench", "scripts")
        for path in (base / folder).rglob("*.py")
        if path != HELPER
    ]
    assert len(files) > 100  # the sweep really reads the code base
    # Any use of ``.enqueue``: a call, a lambda or a partial handed to on_commit.
    offenders = [use for path in files for use in _enqueue_uses(path)]
    assert offenders == [], "enqueue through kollegium.core.tasks.enqueue_on_commit"
    assert _enqueue_uses(HELPER)  # and the helper itself still enqueues

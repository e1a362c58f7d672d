"""Export my data: one click, made in the background with progress, a zip with a readable
summary and JSON per app; only the person downloads it; anonymous questions are left out."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from kollegium.core.models import AuditEvent, Notification
from kollegium.privacy import exporting
from kollegium.privacy.models import DataExport, ExportStatus
from kollegium.questions import services as questions

pytestmark = pytest.mark.django_db


def _export(client, capture):
    with capture(execute=True):
        response = client.post(reverse("privacy:export_create"))
    assert response.status_code == 302
    return DataExport.objects.latest("pk")


def _zip(client, export):
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_one_click_gives_a_zip_of_everything_but_anonymous_questions(
    world, client_for, media, django_capture_on_commit_callbacks
):
    bob = world.bob
    questions.question_ask(actor=bob, school=world.school_a, title="Hur bedömer ni muntligt?")
    questions.question_ask(
        actor=bob, school=world.school_a, title="Vågar jag fråga detta", anonymous=True
    )
    Notification.objects.create(recipient=bob, kind="test", title="Ett möte flyttades")
    client = client_for(bob)

    export = _export(client, django_capture_on_commit_callbacks)

    assert export.status == ExportStatus.DONE
    assert export.steps_done == export.steps_total == len(exporting.exported()) + 1
    zipped = _zip(client, export)
    names = set(zipped.namelist())
    assert {"index.html", "accounts.json", "questions.json", "core.json"} <= names
    data = {name: json.loads(zipped.read(name)) for name in names if name.endswith(".json")}
    assert data["accounts.json"]["accounts.User"][0]["email"] == "bob@a.example"
    titles = [q["title"] for q in data["questions.json"]["questions.Question"]]
    assert titles == ["Hur bedömer ni muntligt?"]
    assert data["core.json"]["core.Notification"][0]["title"] == "Ett möte flyttades"
    assert "Vågar jag fråga detta" not in "".join(zipped.read(n).decode() for n in names)
    summary = zipped.read("index.html").decode()
    assert "Bob Berg" in summary and "Ett möte flyttades" in summary
    assert "anonymt" in summary  # the export says why anonymous questions are not in it
    assert AuditEvent.objects.filter(action="privacy.export_requested", actor=bob).exists()
    assert AuditEvent.objects.filter(action="privacy.export_made", actor=bob).exists()


def test_a_large_account_is_written_in_chunks_with_progress(
    world, client_for, media, django_capture_on_commit_callbacks
):
    many = exporting.CHUNK * 2 + 7
    Notification.objects.bulk_create(
        Notification(recipient=world.bob, kind="test", title=f"Avisering {n}") for n in range(many)
    )
    seen = []
    archive, sections = exporting.build(world.bob, lambda done, rows: seen.append((done, rows)))
    with archive:
        zipped = zipfile.ZipFile(archive)
        assert len(json.loads(zipped.read("core.json"))["core.Notification"]) == many
        summary = zipped.read("index.html").decode()
    # Progress after every model, rows growing; the summary shows the first rows only.
    assert [done for done, _rows in seen] == list(range(1, len(exporting.exported()) + 1))
    assert seen[-1][1] >= many
    notifications = next(s for s in sections if s.model == "core.Notification")
    assert notifications.count == many and len(notifications.rows) == exporting.SUMMARY_ROWS
    assert f"Avisering {many - 1}" not in summary


def test_the_progress_page_polls_while_the_export_is_made(world, client_for):
    export = DataExport.objects.create(person=world.bob, status="running", steps_total=10)
    export.steps_done = 4
    export.save()
    client = client_for(world.bob)
    page = client.get(reverse("privacy:export_detail", args=[export.pk]))
    assert b'hx-trigger="every 1s"' in page.content and b'value="40"' in page.content
    part = client.get(reverse("privacy:export_detail", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert b"<h1>" not in part.content and b"export-status" in part.content


def test_a_second_export_while_one_is_made_is_refused_with_a_message(world, client_for):
    DataExport.objects.create(person=world.bob, status="queued")
    response = client_for(world.bob).post(reverse("privacy:export_create"), follow=True)
    assert "Din export skapas redan" in response.content.decode()
    assert DataExport.objects.count() == 1


def test_only_the_person_opens_or_downloads_their_export(
    world, client_for, client, media, django_capture_on_commit_callbacks
):
    export = _export(client_for(world.bob), django_capture_on_commit_callbacks)
    for url in (
        reverse("privacy:export_detail", args=[export.pk]),
        reverse("privacy:export_download", args=[export.pk]),
    ):
        assert client_for(world.alice).get(url).status_code == 404
        assert client_for(world.dave).get(url).status_code == 404
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("privacy:export_create")).status_code == 302
    assert DataExport.objects.count() == 1

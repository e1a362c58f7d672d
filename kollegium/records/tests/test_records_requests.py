"""A records request: a school's official records for a period as PDF and CSV, for its
leaders and administrators; working material never included; each export audited."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.models import AuditEvent
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups.models import Conclusion, MinutesSharing
from kollegium.groups.tests.helpers import commitment, make_group, past_meeting
from kollegium.records.requests import official_records

pytestmark = pytest.mark.django_db


def url(world, suffix=""):
    return f"/records/school/{world.school_a.pk}/requests/{suffix}"


def _period():
    today = timezone.localdate()
    return {"since": (today - timedelta(days=60)).isoformat(), "until": today.isoformat()}


@pytest.fixture
def records(world):
    shared = make_group(world, name="Läsgruppen")
    shared.minutes_sharing = MinutesSharing.LEADERS
    shared.save(update_fields=["minutes_sharing"])
    meeting = past_meeting(shared, 10)
    meeting.minutes = "Vi läste kapitel 3 om formativ bedömning."
    meeting.decisions = "Vi provar exit tickets i alla klasser."
    meeting.save()
    commitment(meeting, world.bob, text="zq-working-commitment")
    old = past_meeting(shared, 120)
    old.minutes = "zq-too-old"
    old.save()
    closed = make_group(world, name="Slutna gruppen")  # minutes for members only
    closed_meeting = past_meeting(closed, 5)
    closed_meeting.minutes = "zq-members-only-minutes"
    closed_meeting.save()
    Conclusion.objects.create(
        group=shared,
        title="Exit tickets fungerar",
        tried="Exit tickets i 5B",
        evidence="Fler elever visade förståelse",
        conclusion="Vi fortsätter",
        created_by=world.carol,
        published_at=timezone.now() - timedelta(days=3),
    )
    Conclusion.objects.create(
        group=shared,
        title="zq-unpublished-draft",
        tried="x",
        evidence="y",
        conclusion="z",
        created_by=world.carol,
    )
    return shared


def test_only_official_records_of_the_period_are_found(world, records):
    today = timezone.localdate()
    found = official_records(
        school=world.school_a, group=None, since=today - timedelta(days=60), until=today
    )
    assert [m.minutes for m in found.minutes] == ["Vi läste kapitel 3 om formativ bedömning."]
    assert [c.title for c in found.conclusions] == ["Exit tickets fungerar"]


def test_the_csv_has_the_records_and_no_working_material(world, records, client_for):
    response = client_for(world.alice).get(url(world, "records.csv"), _period())
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # header, minutes, conclusion
    assert "Vi provar exit tickets i alla klasser." in text
    assert "Exit tickets fungerar" in text
    for secret in ("zq-working-commitment", "zq-members-only", "zq-unpublished", "zq-too-old"):
        assert secret not in text
    event = AuditEvent.objects.get(action="records.request_exported")
    assert event.school_id == world.school_a.pk and event.data["records"] == 2
    assert event.data["format"] == "csv"


def test_the_pdf_is_a_pdf_and_the_export_is_audited(world, records, client_for):
    response = client_for(world.alice).get(
        url(world, "records.pdf"), {**_period(), "group": records.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="records.request_exported")
    assert event.target_id == str(records.pk) and event.data["format"] == "pdf"


def test_the_pdf_is_tagged_in_the_persons_language_with_a_title(world, records, client_for):
    import io

    from pypdf import PdfReader

    response = client_for(world.alice).get(url(world, "records.pdf"), _period())
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv"
    assert reader.metadata is not None
    assert reader.metadata.title == f"Allmänna handlingar · {world.school_a.name}"


def test_the_page_shows_what_is_included(world, records, client_for):
    page = client_for(world.alice).get(url(world), _period()).content.decode()
    assert "Exit tickets fungerar" in page
    assert "zq-unpublished" not in page
    assert not AuditEvent.objects.filter(action="records.request_exported").exists()


def test_bad_input_gets_a_message_and_nothing_is_exported_or_recorded(world, records, client_for):
    c = client_for(world.alice)
    for params in (
        {"since": "2026-05-01", "until": "2026-04-01"},
        {"since": "nonsense", "until": "2026-04-01"},
        {**_period(), "group": "99999999999999999999"},
        {"until": "2026-04-01"},
    ):
        response = c.get(url(world, "records.csv"), params)
        assert response.status_code == 400
        assert b"errorlist" in response.content
        assert c.get(url(world, "records.pdf"), params).status_code == 400
        assert b"errorlist" in c.get(url(world), params).content
    assert not AuditEvent.objects.filter(action="records.request_exported").exists()


def test_another_schools_group_is_refused(world, records, client_for):
    from kollegium.core.testing.factories import teacher_at
    from kollegium.organisations.models import Role

    eva = teacher_at(world.school_b, Role.LEADER)
    other = make_group(world, school=world.school_b, facilitator=eva, members=[])
    response = client_for(world.alice).get(
        url(world, "records.csv"), {**_period(), "group": other.pk}
    )
    assert response.status_code == 400


def test_only_the_schools_leaders_and_administrators_may_ask(world, records, client_for, client):
    for suffix in ("", "records.csv", "records.pdf"):
        assert client_for(world.bob).get(url(world, suffix), _period()).status_code == 404
        assert client_for(world.carol).get(url(world, suffix), _period()).status_code == 404
        assert client_for(world.dave).get(url(world, suffix), _period()).status_code == 404
        response = client.get(url(world, suffix), _period())
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client_for(world.alice).get(url(world)).status_code == 200


def test_the_page_runs_the_same_number_of_queries_for_more_records(world, records, client_for):
    c = client_for(world.alice)

    def grow():
        for i in range(5):
            meeting = past_meeting(records, 20 + i)
            meeting.minutes = f"Protokoll {i}"
            meeting.save()
            make_group(world, name=f"Grupp {i}")

    assert_constant_queries(lambda: c.get(url(world), _period()), grow)


def test_the_exports_run_the_same_number_of_queries_for_more_records(world, records, client_for):
    c = client_for(world.alice)

    def grow():
        for i in range(5):
            meeting = past_meeting(records, 20 + i)
            meeting.minutes = f"Protokoll {i}"
            meeting.save()

    assert_constant_queries(lambda: c.get(url(world, "records.csv"), _period()), grow)
    assert_constant_queries(lambda: c.get(url(world, "records.pdf"), _period()), grow)

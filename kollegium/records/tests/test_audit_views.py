"""The audit log: who may read it, what each reader sees, filters, CSV, and reading is logged."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.models import AuditEvent
from kollegium.core.services import audit_record
from kollegium.core.testing.factories import UserFactory, teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import OwnerStaff, Role
from kollegium.organisations.services import membership_set_role

pytestmark = pytest.mark.django_db

URL = "/records/audit/"
CSV_URL = "/records/audit/export.csv"


def _event(actor, action, school, **data):
    return audit_record(actor=actor, action=action, school=school, data=data)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_leader_reads_her_schools_events_and_not_another_schools(world, client_for):
    _event(world.alice, "team.created", world.school_a, name="Mattelaget")
    _event(world.dave, "team.created", world.school_b, name="zq-school-b-team")
    response = client_for(world.alice).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mattelaget" in text
    assert "zq-school-b-team" not in text


def test_a_teacher_from_another_school_gets_404(world, client_for):
    assert client_for(world.dave).get(URL).status_code == 404
    assert client_for(world.dave).get(CSV_URL).status_code == 404


def test_a_teacher_at_the_school_gets_404(world, client_for):
    assert client_for(world.bob).get(URL).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_schools_leader_sees_only_her_school(world, client_for):
    eva = teacher_at(world.school_b, Role.LEADER)
    _event(world.alice, "team.created", world.school_a, name="zq-a-only")
    _event(eva, "team.created", world.school_b, name="Ekteamet")
    text = client_for(eva).get(URL).content.decode()
    assert "Ekteamet" in text
    assert "zq-a-only" not in text


def test_owner_staff_read_all_the_owners_schools(world, client_for):
    staff = UserFactory()
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    _event(world.alice, "team.created", world.school_a, name="zq-from-a")
    _event(world.dave, "team.created", world.school_b, name="zq-from-b")
    text = client_for(staff).get(URL).content.decode()
    assert "zq-from-a" in text and "zq-from-b" in text


def test_an_installation_administrator_reads_events_without_a_school(world, client_for):
    admin = UserFactory(is_staff=True)
    _event(world.bob, "scheduling.calendar_feed_created", None, name="zq-no-school")
    assert "zq-no-school" in client_for(admin).get(URL).content.decode()
    assert "zq-no-school" not in client_for(world.alice).get(URL).content.decode()


def test_a_role_change_is_in_the_log_with_the_persons_name(world, client_for):
    membership = world.bob.memberships.get(school=world.school_a)
    membership_set_role(actor=world.alice, membership=membership, role=Role.FACILITATOR)
    text = client_for(world.alice).get(URL + "?action=membership.role_changed").content.decode()
    assert "Role changed" in text or "Roll ändrad" in text
    assert world.bob.full_name in text


def test_the_filters_narrow_by_who_what_and_when(world, client_for):
    old = _event(world.carol, "team.deleted", world.school_a, name="zq-old")
    old.created_at = timezone.now() - timedelta(days=40)
    old.save()
    _event(world.alice, "team.created", world.school_a, name="zq-new")
    c = client_for(world.alice)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    text = c.get(URL, {"since": since}).content.decode()
    assert "zq-new" in text and "zq-old" not in text
    text = c.get(URL, {"who": world.carol.email}).content.decode()
    assert "zq-old" in text and "zq-new" not in text
    text = c.get(URL, {"action": "team.created"}).content.decode()
    assert "zq-new" in text and "zq-old" not in text


def test_a_bad_filter_gets_a_message_and_records_nothing(world, client_for):
    c = client_for(world.alice)
    before = AuditEvent.objects.count()
    response = c.get(URL, {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    response = c.get(URL, {"action": "no.such_action", "since": "not a date"})
    assert b"errorlist" in response.content
    assert c.get(CSV_URL, {"since": "31/31/2026"}).status_code == 400
    assert AuditEvent.objects.count() == before


def test_reading_and_exporting_are_recorded(world, client_for):
    _event(world.alice, "team.created", world.school_a, name="Mattelaget")
    c = client_for(world.alice)
    c.get(URL, {"action": "team.created"})
    viewed = AuditEvent.objects.get(action="records.audit_viewed")
    assert viewed.actor_id == world.alice.pk
    assert viewed.school_id == world.school_a.pk
    assert viewed.data["action"] == "team.created"
    response = c.get(CSV_URL, {"who": "carol"})
    _csv(response)
    exported = AuditEvent.objects.get(action="records.audit_exported")
    assert exported.data["who"] is True
    assert "carol" not in str(exported.data)


def test_the_csv_has_the_filtered_rows_and_no_formulas(world, client_for):
    _event(world.alice, "team.created", world.school_a, name="=HYPERLINK(1)")
    _event(world.alice, "team.deleted", world.school_a, name="zq-deleted")
    response = client_for(world.alice).get(CSV_URL, {"action": "team.created"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert len(rows) == 2
    assert rows[1][3] == "team.created"
    assert rows[1][7].startswith("name: =HYPERLINK") or rows[1][7].startswith("'")
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert "zq-deleted" not in str(rows)


def test_nothing_identifies_the_author_of_an_anonymous_question(world, client_for):
    from kollegium.questions.services import question_ask

    admin = UserFactory(is_staff=True)
    question_ask(
        actor=world.bob,
        school=world.school_a,
        title="Hur gör jag med bedömning?",
        body="",
        anonymous=True,
    )
    for url in (URL, CSV_URL):
        response = client_for(admin).get(url)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert world.bob.email not in body
        assert world.bob.full_name not in body


def test_the_page_runs_the_same_number_of_queries_for_more_events(world, client_for):
    c = client_for(world.alice)

    def grow():
        for i in range(30):
            user = teacher_at(world.school_a)
            _event(world.alice, "membership.role_changed", world.school_a, user=user.pk, n=i)

    _event(world.alice, "membership.role_changed", world.school_a, user=world.bob.pk)
    assert_constant_queries(lambda: c.get(URL), grow)

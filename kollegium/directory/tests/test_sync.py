"""The SS 12000 sync against a fake vendor server validated by the specification (issue 11)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from kollegium.accounts.models import User
from kollegium.core.testing.factories import UserFactory
from kollegium.directory import services
from kollegium.directory.models import DirectorySource, PersonIdentity, RemoteRecord, SyncRun
from kollegium.directory.tests.fake_ss12000 import municipality, validate
from kollegium.organisations.models import Membership, Organisation, Role, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():
    data = municipality(schools=3, staff=45)
    serving = data.serve()
    data.base_url = next(serving)
    yield data
    serving.close()
    assert data.violations == [], "the fake sent what the SS 12000 specification does not allow"


@pytest.fixture
def admin():
    return UserFactory(is_staff=True, full_name="Ingrid Installation")


@pytest.fixture
def source(world, fake, admin):
    return services.source_create(
        actor=admin,
        owner=world.owner,
        name="Skolsystemet",
        base_url=fake.base_url,
        token="test-token",
    )


def run(source, *, dry_run=False, full=False, admin=None):
    queued = services.sync_request(
        actor=admin, source=source, dry_run=dry_run, full=full, enqueue=False
    )
    return services.sync_execute(queued)


def apply_first(source, admin):
    dry = run(source, dry_run=True, admin=admin)
    assert dry.status == SyncRun.Status.DONE, dry.error_code
    return run(source, admin=admin)


def people_of(source):
    return User.objects.exclude(external_id="")


def test_the_fakes_data_matches_the_specification():
    data = municipality(schools=2, staff=20)
    assert validate("Organisations", {"data": data.organisations}) == []
    assert validate("PersonsExpanded", {"data": data.persons}) == []
    assert validate("Duties", {"data": data.duties}) == []
    assert validate("GroupsExpanded", {"data": data.groups}) == []
    # ...and the validator does fail on what breaks the specification.
    broken = dict(data.duties[0], dutyRole="Vaktmästare")
    assert validate("Duties", {"data": [broken]})


def test_the_first_sync_is_a_dry_run_that_changes_nothing(source, admin):
    with pytest.raises(ValidationError):
        services.sync_request(actor=admin, source=source, dry_run=False)
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    dry = run(source, dry_run=True, admin=admin)
    assert dry.status == SyncRun.Status.DONE
    assert User.objects.count() == users_before
    assert Membership.objects.count() == memberships_before
    assert dry.counts["schools_created"] == 3
    assert dry.counts["people_created"] == 42  # 45 staff, 3 barnskötare have no mapped role
    assert len(dry.diff["people_create"]) == 42
    assert RemoteRecord.objects.count() == 0  # a dry run keeps nothing of the source's


def test_a_sync_brings_schools_people_roles_and_teams(source, admin, fake):
    done = apply_first(source, admin)
    assert done.status == SyncRun.Status.DONE
    schools = Organisation.objects.filter(parent=source.owner).exclude(external_id="")
    assert schools.count() == 3
    assert all(len(s.school_unit_code) == 8 for s in schools)
    roles = {
        role: Membership.objects.filter(school__in=schools, role=role).count()
        for role in (Role.LEADER, Role.FACILITATOR, Role.TEACHER)
    }
    assert roles[Role.LEADER] == 3  # one rektor per school
    assert roles[Role.FACILITATOR] >= 3
    assert sum(roles.values()) == 42
    # Staff groups become teams with their members; classes do not.
    teams = Team.objects.filter(school__in=schools)
    assert teams.exists() and not teams.filter(name="7A").exists()
    assert all(t.members.exists() for t in teams)
    # People can sign in with their school identity (eduPersonPrincipalName).
    assert PersonIdentity.objects.count() == 42


def test_personal_identity_numbers_are_never_kept(source, admin, fake):
    apply_first(source, admin)
    out = StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    for person in fake.persons:
        assert person["civicNo"]["value"] not in dump
        assert person["birthDate"] not in dump


def test_a_second_run_with_nothing_changed_changes_nothing(source, admin):
    apply_first(source, admin)
    again = run(source, admin=admin)
    assert again.status == SyncRun.Status.DONE
    assert not again.full  # a delta
    assert {k: v for k, v in again.counts.items() if v} == {}
    everything = run(source, full=True, admin=admin)
    assert {k: v for k, v in everything.counts.items() if v} == {}


def _person_at(fake, school_index=0, role="Lärare"):
    school = [o for o in fake.organisations if o["organisationType"] == "Skolenhet"][school_index]
    duty = next(
        d for d in fake.duties if d["dutyAt"]["id"] == school["id"] and d["dutyRole"] == role
    )
    person = next(p for p in fake.persons if p["id"] == duty["person"]["id"])
    return person, duty, school


def test_a_person_moving_school_mid_term(source, admin, fake):
    apply_first(source, admin)
    person, duty, _school = _person_at(fake, 0)
    other = [o for o in fake.organisations if o["organisationType"] == "Skolenhet"][1]
    later = datetime.now(UTC) + timedelta(seconds=1)
    duty["endDate"] = (date.today() - timedelta(days=1)).isoformat()
    fake.touch(duty, later)
    fake.duties.append(
        {
            "id": "0b8c3f5e-1111-4aaa-8bbb-000000000001",
            "meta": {"created": later.isoformat(), "modified": later.isoformat()},
            "person": {"id": person["id"]},
            "dutyAt": {"id": other["id"]},
            "dutyRole": "Lärare",
            "startDate": date.today().isoformat(),
        }
    )
    delta = run(source, admin=admin)
    assert delta.status == SyncRun.Status.DONE
    user = User.objects.get(external_id=person["id"])
    assert list(user.memberships.values_list("school__external_id", flat=True)) == [other["id"]]
    assert user.is_active
    assert delta.counts["memberships_ended"] == 1
    assert delta.counts["memberships_created"] == 1


def test_a_leaver_is_deactivated_not_deleted_and_comes_back(source, admin, fake):
    apply_first(source, admin)
    person, duty, _school = _person_at(fake, 2)
    fake.delete("Duty", duty["id"], datetime.now(UTC) + timedelta(seconds=1))
    left = run(source, admin=admin)
    user = User.objects.get(external_id=person["id"])
    assert not user.is_active and not user.memberships.exists()
    assert left.counts["people_deactivated"] == 1
    # Back next term: the same account, active again.
    later = datetime.now(UTC) + timedelta(seconds=2)
    fake.duties.append(
        dict(
            duty,
            id="0b8c3f5e-1111-4aaa-8bbb-000000000002",
            meta={"created": later.isoformat(), "modified": later.isoformat()},
        )
    )
    back = run(source, admin=admin)
    user.refresh_from_db()
    assert user.is_active and user.memberships.count() == 1
    assert back.counts["people_reactivated"] == 1
    assert User.objects.filter(external_id=person["id"]).count() == 1


def test_an_owner_that_chose_anonymised_shows_a_leaver_as_a_former_colleague_until_they_return(
    source, admin, fake
):
    from kollegium.directory.models import HeldName

    source.leaver_content = DirectorySource.LeaverContent.ANONYMISED
    source.save(update_fields=["leaver_content"])
    apply_first(source, admin)
    person, duty, _school = _person_at(fake, 2)
    user = User.objects.get(external_id=person["id"])
    own_name = user.full_name
    fake.delete("Duty", duty["id"], datetime.now(UTC) + timedelta(seconds=1))
    run(source, admin=admin)
    user.refresh_from_db()
    assert not user.is_active
    assert user.full_name == "en tidigare kollega"
    assert HeldName.objects.get(user=user).full_name == own_name
    # Nothing changed at the source: a second run neither gives the name back nor plans it.
    quiet = run(source, admin=admin)
    user.refresh_from_db()
    assert user.full_name == "en tidigare kollega"
    assert quiet.counts["people_updated"] == 0
    # Back next term: their own name again on everything they shared.
    later = datetime.now(UTC) + timedelta(seconds=2)
    fake.duties.append(
        dict(
            duty,
            id="0b8c3f5e-1111-4aaa-8bbb-000000000003",
            meta={"created": later.isoformat(), "modified": later.isoformat()},
        )
    )
    run(source, admin=admin)
    user.refresh_from_db()
    assert user.is_active and user.full_name == own_name
    assert not HeldName.objects.filter(user=user).exists()


def test_someone_who_returns_after_a_full_run_is_read_by_id_and_gets_their_account_back(
    source, admin, fake
):
    apply_first(source, admin)
    person, duty, _school = _person_at(fake, 2)
    fake.delete("Duty", duty["id"], datetime.now(UTC) + timedelta(seconds=1))
    run(source, admin=admin)
    # A full run lists persons with a duty only: the leaver is no longer in the kept copy.
    run(source, full=True, admin=admin)
    later = datetime.now(UTC) + timedelta(seconds=2)
    fake.duties.append(
        dict(
            duty,
            id="0b8c3f5e-1111-4aaa-8bbb-000000000004",
            meta={"created": later.isoformat(), "modified": later.isoformat()},
        )
    )
    # The person is unchanged at the source, so only their new duty is in the delta.
    back = run(source, admin=admin)
    user = User.objects.get(external_id=person["id"])
    assert user.is_active and user.memberships.count() == 1
    assert back.counts["people_reactivated"] == 1
    assert f"persons/{person['id']}" in fake.requests
    assert not fake.violations


def test_an_owner_that_chose_attributed_keeps_a_leaver_s_name(source, admin, fake):
    apply_first(source, admin)
    person, duty, _school = _person_at(fake, 2)
    own_name = User.objects.get(external_id=person["id"]).full_name
    fake.delete("Duty", duty["id"], datetime.now(UTC) + timedelta(seconds=1))
    run(source, admin=admin)
    user = User.objects.get(external_id=person["id"])
    assert not user.is_active and user.full_name == own_name


def test_places_made_by_hand_and_administrators_are_left_alone(source, admin, fake, world):
    apply_first(source, admin)
    person, duty, school = _person_at(fake, 0)
    user = User.objects.get(external_id=person["id"])
    # A leader makes them the school's administrator; an invitation gives them a place elsewhere.
    Membership.objects.filter(user=user).update(role=Role.ADMINISTRATOR)
    Membership.objects.create(user=user, school=world.school_a, role=Role.TEACHER)
    again = run(source, full=True, admin=admin)
    assert (
        Membership.objects.get(user=user, school__external_id=school["id"]).role
        == Role.ADMINISTRATOR
    )
    fake.delete("Duty", duty["id"], datetime.now(UTC) + timedelta(seconds=1))
    run(source, admin=admin)
    user.refresh_from_db()
    assert user.is_active  # the place made by hand keeps the account
    assert list(user.memberships.values_list("school", flat=True)) == [world.school_a.pk]
    assert again.status == SyncRun.Status.DONE


def test_existing_accounts_are_linked_by_eppn_then_email(source, admin, fake):
    by_email = fake.persons[1]
    by_eppn = fake.persons[2]
    existing_email = UserFactory(email=by_email["emails"][0]["value"], full_name="Old Name")
    existing_eppn = UserFactory(email="private@example.org")
    PersonIdentity.objects.create(user=existing_eppn, eppn=by_eppn["eduPersonPrincipalNames"][0])
    apply_first(source, admin)
    existing_email.refresh_from_db()
    existing_eppn.refresh_from_db()
    assert existing_email.external_id == by_email["id"]
    assert existing_email.full_name == f"{by_email['givenName']} {by_email['familyName']}"
    assert existing_eppn.external_id == by_eppn["id"]
    assert User.objects.filter(external_id=by_eppn["id"]).count() == 1


def test_bad_records_are_refused_with_reasons_and_the_rest_goes_on(source, admin, fake):
    unknown_org = "0b8c3f5e-2222-4aaa-8bbb-000000000009"
    fake.duties.append(
        {
            "id": "0b8c3f5e-2222-4aaa-8bbb-000000000001",
            "meta": fake.duties[0]["meta"],
            "person": {"id": fake.persons[0]["id"]},
            "dutyAt": {"id": unknown_org},
            "dutyRole": "Lärare",
            "startDate": "2020-01-01",
        }
    )
    fake.persons[3]["emails"] = []
    fake.persons[3]["eduPersonPrincipalNames"] = []
    dry = run(source, dry_run=True, admin=admin)
    codes = set(dry.refusals.values_list("code", flat=True))
    assert {"duty_unknown_organisation", "person_without_identity"} <= codes
    done = run(source, admin=admin)
    assert done.status == SyncRun.Status.DONE
    assert done.counts["people_created"] == 41
    from kollegium.directory.selectors import run_refusals

    with_text = run_refusals(done)
    assert any("inte är en skolenhet hos den här huvudmannen" in r["reason"] for r in with_text)


def test_a_refused_token_fails_the_run_and_changes_nothing(source, admin, fake):
    fake.refuse_token = True
    failed = run(source, dry_run=True, admin=admin)
    assert failed.status == SyncRun.Status.FAILED
    assert failed.error_code == "token_refused"
    assert not Organisation.objects.filter(parent=source.owner).exclude(external_id="").exists()


def test_invalid_json_on_a_page_fails_before_anything_is_saved(source, admin, fake):
    apply_first(source, admin)
    users = sorted(User.objects.values_list("pk", "is_active", "full_name"))
    fake.persons[0]["givenName"] = "Ändrad"
    fake.touch(fake.persons[0], datetime.now(UTC) + timedelta(seconds=1))
    fake.invalid_json_for = "groups"
    failed = run(source, admin=admin)
    assert failed.status == SyncRun.Status.FAILED and failed.error_code == "invalid_json"
    assert sorted(User.objects.values_list("pk", "is_active", "full_name")) == users
    fake.invalid_json_for = ""
    fixed = run(source, admin=admin)  # the same watermark: the change is still picked up
    assert fixed.counts["people_updated"] == 1


def test_a_429_is_waited_out(source, admin, fake):
    fake.rate_limit_next = 1
    fake.retry_after = "1"
    done = run(source, dry_run=True, admin=admin)
    assert done.status == SyncRun.Status.DONE
    assert fake.rate_limit_next == 0


def test_pages_are_followed_with_page_tokens(source, admin, fake):
    fake.page_size_cap = 7
    apply_first(source, admin)
    assert any("pageToken=" in r for r in fake.requests)
    assert User.objects.exclude(external_id="").count() == 42


def test_the_task_runs_a_queued_run(source, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.sync_request(actor=admin, source=source, dry_run=True)
    queued.refresh_from_db()
    assert queued.status == SyncRun.Status.DONE


def test_the_command_draws_progress_and_reports(source, admin):
    out = StringIO()
    call_command("sync_ss12000", "--source", str(source.pk), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "100%" in text and "personer skapade: 42" in text
    call_command("sync_ss12000", "--source", str(source.pk), stdout=StringIO())
    assert User.objects.exclude(external_id="").count() == 42
    scheduled = StringIO()
    call_command("sync_ss12000", "--scheduled", stdout=scheduled)
    assert "1 source(s)" in scheduled.getvalue()


def test_only_installation_administrators_manage_sources(world, fake):
    with pytest.raises(PermissionDenied):
        services.source_create(
            actor=world.alice, owner=world.owner, name="X", base_url=fake.base_url
        )
    with pytest.raises(ValidationError):
        services.source_create(
            actor=UserFactory(is_staff=True),
            owner=world.owner,
            name="X",
            base_url="http://vendor.example/api",
        )
    assert not DirectorySource.objects.exists()


def test_mapping_changes_are_validated(source, admin):
    with pytest.raises(ValidationError):
        services.source_update(
            actor=admin,
            source=source,
            name="X",
            base_url=source.base_url,
            role_mapping={"Rektor": "administrator"},
            team_group_types=["Personalgrupp"],
            leaver_content="attributed",
            is_enabled=True,
        )
    source.refresh_from_db()
    assert source.role_mapping["Rektor"] == "leader"
    assert json.dumps(source.role_mapping)


@pytest.fixture
def fake_with_lessons():
    data = municipality(schools=2, staff=12, lessons_per_week=3, weeks=2)
    serving = data.serve()
    data.base_url = next(serving)
    yield data
    serving.close()
    assert data.violations == []


def test_lessons_come_from_the_calendar_events(world, fake_with_lessons, admin):
    from kollegium.scheduling.models import Source, TimetableEntry, TimetableImport

    fake = fake_with_lessons
    source = services.source_create(
        actor=admin,
        owner=world.owner,
        name="Skolsystemet",
        base_url=fake.base_url,
        token="test-token",
    )
    # A cancelled lesson and a lesson the teacher does not take part in are not theirs.
    first_event = fake.calendarEvents[0]
    first_event["cancelled"] = True
    second = fake.calendarEvents[1]["activity"]["id"]
    activity = next(a for a in fake.activities if a["id"] == second)
    fake.calendarEvents[1]["teacherExceptions"] = [
        {"duty": activity["teachers"][0]["duty"], "participates": False}
    ]
    duty_id = activity["teachers"][0]["duty"]["id"]
    person_id = next(d["person"]["id"] for d in fake.duties if d["id"] == duty_id)
    dry = run(source, dry_run=True, admin=admin)
    assert dry.counts["lessons"] == len(fake.calendarEvents) - 2
    assert not TimetableEntry.objects.exists()
    run(source, admin=admin)
    teacher = User.objects.get(external_id=person_id)
    # Their own upload stays beside the school's lessons.
    TimetableEntry.objects.create(
        user=teacher,
        start=fake_start(fake),
        end=fake_start(fake) + timedelta(hours=1),
        source=Source.ICS,
        title="Eget",
    )
    lessons = TimetableEntry.objects.filter(user=teacher, source=Source.SS12000)
    # Three a week for two weeks; the first two events are this teacher's Monday lessons:
    # one cancelled, one they do not take part in.
    assert lessons.count() == 3 * 2 - 2
    assert {lesson.group_name for lesson in lessons} == {"7A"}
    assert all(lesson.room.startswith("Sal ") for lesson in lessons)
    imports = TimetableImport.objects.count()
    again = run(source, admin=admin)
    assert TimetableImport.objects.count() == imports  # nothing changed: nothing recorded
    assert {k: v for k, v in again.counts.items() if v and k not in ("lessons", "timetables")} == {}
    assert TimetableEntry.objects.filter(user=teacher, source=Source.ICS).count() == 1


def fake_start(fake):
    return datetime.fromisoformat(fake.calendarEvents[0]["startTime"])

"""Staff lists as Swedish Excel writes them, and OneRoster zips (issue 11, for owners without
SS 12000): preview, all-or-nothing refusal with line numbers, the same lifecycle."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kollegium.accounts.models import User
from kollegium.core.testing.factories import UserFactory
from kollegium.directory import services
from kollegium.directory.models import SyncRun
from kollegium.organisations.models import Membership, Organisation, Role, Team

pytestmark = pytest.mark.django_db

HEADER = "Förnamn;Efternamn;E-post;Skola;Skolenhetskod;Befattning;Arbetslag\r\n"
ROWS = [
    "Åsa;Öberg;asa.oberg@exempelstad.se;Ängsbacka skola;21212121;Rektor;Ledningsgrupp\r\n",
    "Örjan;Åberg;orjan.aberg@exempelstad.se;Ängsbacka skola;21212121;Lärare;"
    "Arbetslag 7–9, Ämneslag NO\r\n",
    "Fatima;Ali;fatima.ali@exempelstad.se;Ängsbacka skola;21212121;Förstelärare;Arbetslag 7–9\r\n",
    "Lars;Jönsson;lars.jonsson@exempelstad.se;Tallbackens förskola;31313131;Förskollärare;\r\n",
    "Lars;Jönsson;lars.jonsson@exempelstad.se;Ängsbacka skola;21212121;lärare;Ämneslag NO\r\n",
    "Pia;Hansson;pia.hansson@exempelstad.se;Tallbackens förskola;31313131;Barnskötare;\r\n",
]


def excel_csv(rows=ROWS, *, encoding="cp1252", header=HEADER) -> bytes:
    """As Excel's "CSV (semikolonavgränsad)" saves on a Swedish Windows: cp1252, CRLF."""
    return (header + "".join(rows)).encode(encoding)


@pytest.fixture
def admin():
    return UserFactory(is_staff=True)


@pytest.fixture
def source(world, admin):
    return services.file_source_create(actor=admin, owner=world.owner, name="Personallista")


def preview(source, admin, data, name="personal.csv"):
    return services.file_preview(actor=admin, source=source, file_name=name, data=data)


def test_a_swedish_excel_file_is_previewed_then_applied(source, admin):
    users_before = User.objects.count()
    shown = preview(source, admin, excel_csv())
    assert shown.status == SyncRun.Status.DONE, list(shown.refusals.values("remote_id", "code"))
    assert User.objects.count() == users_before  # a preview changes nothing
    assert shown.counts["schools_created"] == 2
    assert shown.counts["people_created"] == 4  # the barnskötare has no mapped role
    assert shown.counts["memberships_created"] == 5
    applied = services.file_apply(actor=admin, run=shown)
    assert applied.status == SyncRun.Status.DONE
    school = Organisation.objects.get(school_unit_code="21212121")
    assert school.name == "Ängsbacka skola"
    asa = User.objects.get(email="asa.oberg@exempelstad.se")
    assert asa.full_name == "Åsa Öberg"
    assert Membership.objects.get(user=asa).role == Role.LEADER
    lars = User.objects.get(email="lars.jonsson@exempelstad.se")
    assert lars.memberships.count() == 2
    team = Team.objects.get(school=school, name="Arbetslag 7–9")
    assert set(team.members.values_list("email", flat=True)) == {
        "orjan.aberg@exempelstad.se",
        "fatima.ali@exempelstad.se",
    }


def test_the_same_file_again_changes_nothing_and_a_shorter_one_deactivates(source, admin):
    services.file_apply(actor=admin, run=preview(source, admin, excel_csv()))
    again = preview(source, admin, excel_csv(encoding="utf-8-sig"), "igen.csv")
    assert {k: v for k, v in again.counts.items() if v} == {}
    services.file_apply(actor=admin, run=again)
    without_fatima = [r for r in ROWS if "Fatima" not in r]
    shorter = preview(source, admin, excel_csv(without_fatima), "kortare.csv")
    assert shorter.counts["people_deactivated"] == 1
    services.file_apply(actor=admin, run=shorter)
    fatima = User.objects.get(email="fatima.ali@exempelstad.se")
    assert not fatima.is_active and not fatima.memberships.exists()


def test_a_file_with_bad_rows_is_refused_whole_with_line_numbers(source, admin):
    rows = list(ROWS)
    rows[1] = "Örjan;Åberg;orjan.aberg(at)exempelstad.se;Ängsbacka skola;21212121;Lärare;\r\n"
    rows[3] = "Lars;Jönsson;lars.jonsson@exempelstad.se;Tallbacken;3131;Förskollärare;\r\n"
    rows.append("Nils;Berg;nils.berg@exempelstad.se;Ängsbacka skola;21212121;Vaktmästare;\r\n")
    refused = preview(source, admin, excel_csv(rows))
    assert refused.status == SyncRun.Status.FAILED and refused.error_code == "file_refused"
    problems = sorted(refused.refusals.values_list("remote_id", "code"))
    assert problems == [
        ("3", "file_bad_email"),
        ("5", "bad_school_unit_code"),
        ("8", "file_unknown_role"),
    ]
    from kollegium.directory.selectors import run_refusals

    texts = {r["kind"]: r["reason"] for r in run_refusals(refused)}
    assert "Vaktmästare" in texts["Rad 8"] if "Rad 8" in texts else texts["Line 8"]
    assert not Organisation.objects.filter(school_unit_code="21212121").exists()
    with pytest.raises(Exception):  # noqa: B017 - a refused preview cannot be applied
        services.file_apply(actor=admin, run=refused)


def test_a_file_without_the_needed_columns_says_which(source, admin):
    refused = preview(source, admin, excel_csv(header="Namn;Mejl;Arbetsplats\r\n"))
    problem = refused.refusals.get()
    assert problem.code == "file_missing_columns"
    assert "role" in problem.params["missing"] and "school" in problem.params["missing"]


def test_files_that_are_no_staff_list_are_refused(source, admin):
    for data, code in [
        (b"", "file_empty"),
        (b"\x00\x01\x02binary", "file_not_text"),
        (b"PK\x03\x04 not really a zip", "file_not_zip"),
    ]:
        refused = preview(source, admin, data)
        assert refused.refusals.get().code == code


def oneroster_zip(*, with_roles_csv=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "manifest.csv",
            "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\n"
            "file.users,bulk\nfile.roles,bulk\n",
        )
        archive.writestr(
            "orgs.csv",
            "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
            "k1,active,2026-08-01T00:00:00Z,Exempelstads kommun,district,,\n"
            "s1,active,2026-08-01T00:00:00Z,Västra skolan,school,41414141,k1\n",
        )
        archive.writestr(
            "users.csv",
            "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,"
            "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
            "u1,active,2026-08-01T00:00:00Z,true,ella@skol.exempelstad.se,,Ella,Ek,,,"
            "ella.ek@exempelstad.se,,,,,\n"
            "u2,active,2026-08-01T00:00:00Z,true,max@skol.exempelstad.se,,Max,Mo,,,"
            "max.mo@exempelstad.se,,,,,\n"
            "u3,active,2026-08-01T00:00:00Z,true,elev@skol.exempelstad.se,,Elev,Elevsson,,,"
            "elev@exempelstad.se,,,,,\n",
        )
        if with_roles_csv:
            archive.writestr(
                "roles.csv",
                "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,"
                "endDate,orgSourcedId,userProfileSourcedId\n"
                "r1,active,,u1,primary,principal,,,s1,\n"
                "r2,active,,u2,primary,teacher,2026-08-01,,s1,\n"
                "r3,active,,u3,primary,student,,,s1,\n",
            )
    return buffer.getvalue()


def test_a_oneroster_zip_brings_its_school_and_staff_not_students(source, admin):
    shown = preview(source, admin, oneroster_zip(), "oneroster.zip")
    assert shown.status == SyncRun.Status.DONE
    services.file_apply(actor=admin, run=shown)
    school = Organisation.objects.get(school_unit_code="41414141")
    assert dict(Membership.objects.filter(school=school).values_list("user__email", "role")) == {
        "ella.ek@exempelstad.se": Role.LEADER,
        "max.mo@exempelstad.se": Role.TEACHER,
    }
    assert not User.objects.filter(email="elev@exempelstad.se").exists()


def test_the_pages_upload_preview_and_apply(world, source, admin, client_for):
    client = client_for(admin)
    page = client.get(reverse("directory:source", args=[source.pk])).content.decode()
    assert "Läs filen" in page
    upload = SimpleUploadedFile("personal.csv", excel_csv(), content_type="text/csv")
    response = client.post(
        reverse("directory:source_file_preview", args=[source.pk]), {"file": upload}
    )
    shown = SyncRun.objects.get()
    assert response["Location"] == reverse("directory:run", args=[shown.pk])
    assert "Genomför filen" in client.get(response["Location"]).content.decode()
    for outsider in (world.alice, world.dave):
        assert (
            client_for(outsider).post(reverse("directory:run_apply", args=[shown.pk])).status_code
            == 404
        )
    response = client.post(reverse("directory:run_apply", args=[shown.pk]))
    assert User.objects.filter(email="asa.oberg@exempelstad.se").exists()
    again = client.post(reverse("directory:run_apply", args=[shown.pk]), follow=True)
    assert "redan" in again.content.decode()  # applied once only
    nothing = client.post(
        reverse("directory:source_file_preview", args=[source.pk]), {}, follow=True
    )
    assert "Välj en fil" in nothing.content.decode()

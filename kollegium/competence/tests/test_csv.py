"""Profile and school-matrix CSV: round trip, and all-or-nothing with line numbers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kollegium.competence import services
from kollegium.competence.models import Skill, SkillLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


HEADER = "email,skill_key,level,willing_to_share,want_to_learn,evidence\n"


def set_level(user, key, level, **kw):
    return services.skill_level_set(actor=user, skill=Skill.objects.get(key=key), level=level, **kw)


def levels():
    return set(
        SkillLevel.objects.values_list(
            "user__email", "skill__key", "level", "willing_to_share", "want_to_learn", "evidence"
        )
    )


def test_the_school_matrix_round_trips_through_csv(client_for, world):
    set_level(world.bob, "assessment.formative", 4, willing_to_share=True, evidence="=SUM(A1)")
    set_level(world.carol, "language.sva", 2, want_to_learn=True, evidence='Läser, "gärna"')
    alice = client_for(world.alice)
    exported = alice.get(reverse("competence:matrix_export", args=[world.school_a.pk]))
    text = exported.content.decode()
    assert text.startswith(HEADER)
    assert "'=SUM(A1)" in text  # kept from running as a spreadsheet formula
    before = levels()
    SkillLevel.objects.all().delete()
    upload = SimpleUploadedFile("m.csv", exported.content, content_type="text/csv")
    alice.post(reverse("competence:matrix_import", args=[world.school_a.pk]), {"file": upload})
    assert levels() == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("bob@a.example,assessment.nope,3,yes,no,\n", "Line 2: unknown skill"),
        ("bob@a.example,assessment.formative,5,yes,no,\n", "Line 2: the level must be"),
        ("bob@a.example,assessment.formative,0,yes,no,\n", "Line 2: the level must be"),
        ("dave@b.example,assessment.formative,3,yes,no,\n", "Line 2: nobody at this school"),
        ("bob@a.example,assessment.formative,3,maybe,no,\n", "Line 2: willing_to_share"),
        ("bob@a.example,assessment.formative,3\n", "Line 2: expected 6 columns"),
        (
            "bob@a.example,assessment.formative,3,yes,no,\n"
            "BOB@a.example,assessment.formative,2,yes,no,\n",
            "Line 3: the same skill appears again (first on line 2)",
        ),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_nothing_is_imported(world, body, message):
    good = "carol@a.example,language.sva,3,yes,no,\n"
    with pytest.raises(ValidationError) as error:
        services.matrix_import_csv(
            actor=world.alice, school=world.school_a, text=HEADER + body + good
        )
    assert any(m.startswith(message) for m in error.value.messages), error.value.messages
    assert not SkillLevel.objects.exists()


def test_a_wrong_header_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.matrix_import_csv(
            actor=world.alice, school=world.school_a, text="name,skill,level\nBob,x,1\n"
        )
    assert error.value.messages[0].startswith("Line 1: the header must be exactly")


def test_only_the_schools_leader_imports_the_matrix(world):
    with pytest.raises(PermissionDenied):
        services.matrix_import_csv(actor=world.bob, school=world.school_a, text=HEADER)


def test_the_import_page_shows_the_line_numbered_errors(client_for, world):
    upload = SimpleUploadedFile(
        "m.csv", (HEADER + "bob@a.example,assessment.formative,9,yes,no,\n").encode()
    )
    response = client_for(world.alice).post(
        reverse("competence:matrix_import", args=[world.school_a.pk]), {"file": upload}, follow=True
    )
    text = response.content.decode()
    assert "2" in text and ("1 till 4" in text or "1 to 4" in text)
    assert not SkillLevel.objects.exists()


def test_a_teacher_exports_and_imports_her_own_profile(client_for, world):
    set_level(world.bob, "assessment.formative", 3, willing_to_share=True)
    bob = client_for(world.bob)
    exported = bob.get(reverse("competence:profile_export")).content
    assert exported.decode().splitlines() == [
        "skill_key,level,willing_to_share,want_to_learn,evidence",
        "assessment.formative,3,yes,no,",
    ]
    edited = exported + b"digital.ai,1,no,yes,Vill prova\n"
    bob.post(reverse("competence:profile_import"), {"file": SimpleUploadedFile("p.csv", edited)})
    assert SkillLevel.objects.get(user=world.bob, skill__key="digital.ai").want_to_learn
    bad = exported + b"digital.ai,1,no,yes,\ndigital.ai,2,no,yes,\n"
    bob.post(reverse("competence:profile_import"), {"file": SimpleUploadedFile("p.csv", bad)})
    assert SkillLevel.objects.get(user=world.bob, skill__key="digital.ai").level == 1

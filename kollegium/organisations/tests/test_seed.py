import pytest
from django.core.management import call_command

from kollegium.accounts.models import User
from kollegium.organisations.models import Membership, Network, Organisation, Role, Team
from kollegium.organisations.seeding import seed

pytestmark = pytest.mark.django_db


def test_the_seed_makes_owners_schools_networks_teams_and_people():
    result = seed(schools=12, teachers_per_school=6, seed_value=3, schools_per_owner=5)
    assert result.schools == 12 and result.people == 72 and result.owners == 3
    assert Organisation.objects.filter(kind="school").count() == 12
    assert Team.objects.count() == 12 * 6
    assert Network.objects.count() == 2
    assert Membership.objects.filter(role=Role.LEADER).count() == 12
    assert Membership.objects.filter(role=Role.FACILITATOR).count() == 24
    school = Organisation.objects.filter(kind="school").first()
    assert school.name_en.endswith("School 0") or "School" in school.name_en


def test_the_same_seed_gives_the_same_people():
    seed(schools=2, teachers_per_school=5, seed_value=9)
    first = list(User.objects.order_by("pk").values_list("full_name", flat=True))
    User.objects.all().delete()
    Organisation.objects.filter(kind="school").delete()
    seed(schools=2, teachers_per_school=5, seed_value=9)
    second = list(User.objects.order_by("pk").values_list("full_name", flat=True))
    assert first == second


def test_the_demo_loads_once_and_prints_the_sign_ins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "already loaded" in out
    assert "alice@bjorkskolan.example" in out
    assert "jonas@exempelstad.example" in out
    assert User.objects.filter(email="alice@bjorkskolan.example").count() == 1


def test_the_seed_command_reports_what_it_made(capsys):
    call_command("seed", "--schools", "2", "--teachers-per-school", "4", "--seed", "5")
    assert "Seeded 1 owners, 2 schools and 8 people" in capsys.readouterr().out


def test_the_seed_command_refuses_sizes_that_make_no_school():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed", "--schools", "0")

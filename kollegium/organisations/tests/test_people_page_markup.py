"""The people page's markup after its speed work (issue 10): each row's role menu is made once
per role for the page, not per row, and must read exactly as the loop did; the team filter
reads only the teams' ids and names."""

import re

import pytest
from django.utils.text import capfirst
from django.utils.translation import override

from kollegium.core.testing.factories import TeamFactory
from kollegium.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db


def _menus(body: str) -> dict[str, str]:
    """Each row's role menu by membership id: its options' markup."""
    return dict(re.findall(r'<select id="role-(\d+)" name="role">\s*(.*?)\s*</select>', body))


def test_each_rows_role_menu_has_every_role_in_order_and_the_rows_role_chosen(client_for, world):
    body = client_for(world.alice).get(f"/school/{world.school_a.pk}/people/").content.decode()
    menus = _menus(body)
    memberships = Membership.objects.filter(school=world.school_a)
    assert set(menus) == {str(m.pk) for m in memberships}
    with override("sv"):
        labels = [(value, str(capfirst(label))) for value, label in Role.choices]
    for membership in memberships:
        expected = "".join(
            f'<option value="{value}"{" selected" if value == membership.role else ""}>'
            f"{label}</option>"
            for value, label in labels
        )
        assert menus[str(membership.pk)] == expected
    assert "Lärare" in body  # the labels are the reader's language


def test_people_who_do_not_manage_see_no_role_menu(client_for, world):
    body = client_for(world.bob).get(f"/school/{world.school_a.pk}/people/").content.decode()
    assert _menus(body) == {}
    assert "Bob Berg" in body and "Carol Chen" in body


def test_the_team_filter_lists_the_schools_teams_by_name_and_keeps_the_chosen_one(
    client_for, world
):
    other = TeamFactory(school=world.school_a, name="Övriga <NO>")
    TeamFactory(school=world.school_b, name="Lag på skola B")
    body = (
        client_for(world.alice)
        .get(f"/school/{world.school_a.pk}/people/?team={other.pk}")
        .content.decode()
    )
    menu = re.search(r'<select id="id_team" name="team">(.*?)</select>', body, re.S)[1]
    assert re.findall(r'<option value="(\d+)"', menu) == [
        str(world.team_a.pk),
        str(other.pk),
    ]
    assert f'<option value="{other.pk}" selected>Övriga &lt;NO&gt;</option>' in menu
    assert "Lag på skola B" not in body

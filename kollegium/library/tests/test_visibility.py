"""Who sees what, at every visibility level, with the personas.

Bob (School A) wrote one item per level; Alice is in Bob's group, Carol is not; Dave is at
School B, which shares a network with School A.
"""

import pytest

from kollegium.library.models import Item
from kollegium.library.permissions import can_view_item
from kollegium.library.selectors import Filters, search_items, visible_items

EXPECTED = {
    # level: personas who may see Bob's item at that level
    "private": {"bob"},
    "group": {"bob", "alice"},
    "school": {"bob", "alice", "carol"},
    "network": {"bob", "alice", "carol", "dave"},
    "installation": {"bob", "alice", "carol", "dave"},
}


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave"])
def test_each_persona_sees_exactly_the_levels_meant_for_them(world, items_by_level, persona):
    user = getattr(world, persona)
    expected = {level for level, people in EXPECTED.items() if persona in people}
    in_sql = {i.visibility for i in visible_items(user)}
    in_python = {lvl for lvl, item in items_by_level.items() if can_view_item(user, item)}
    assert in_sql == expected
    assert in_python == expected


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave"])
def test_search_returns_only_what_the_persona_may_see(world, items_by_level, persona):
    user = getattr(world, persona)
    page = search_items(user=user, raw="bedömning", filters=Filters())
    expected = {level for level, people in EXPECTED.items() if persona in people}
    assert {h.item.visibility for h in page.hits} == expected
    assert page.total == len(expected)


def test_dave_finds_nothing_of_school_as_school_only_items(world, items_by_level):
    for raw in ["bedömning", "hemlig", "school", "nivå", ""]:
        page = search_items(user=world.dave, raw=raw, filters=Filters())
        titles = " ".join(h.title_html + h.snippet_html for h in page.hits)
        assert "(school)" not in titles and "(group)" not in titles
        assert "(private)" not in titles
        assert "nivå school" not in titles
        assert page.total == len(page.hits)


def test_an_anonymous_visitor_sees_nothing(world, items_by_level):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_items(AnonymousUser()).exists()
    assert all(not can_view_item(AnonymousUser(), i) for i in items_by_level.values())


def test_a_deactivated_person_sees_nothing(world, items_by_level):
    world.bob.is_active = False
    world.bob.save()
    assert not visible_items(world.bob).exists()


def test_a_network_item_is_hidden_from_a_school_outside_the_network(world, items_by_level):
    from kollegium.core.testing.factories import SchoolFactory, teacher_at

    outsider = teacher_at(SchoolFactory(parent=world.owner, name="Skola C"))
    assert {i.visibility for i in visible_items(outsider)} == {"installation"}
    assert Item.objects.count() == 5

"""The editor reads what it edits, not the item page's reactions and files (issue 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kollegium.library import services

pytestmark = pytest.mark.django_db


def test_the_editor_shows_the_saved_settings_without_reading_reactions(client_for, world):
    item = services.item_create(
        actor=world.bob, school=world.school_a, title="Exit tickets i matematik",
        body="Tre frågor i slutet av lektionen.", visibility="school",
    )  # fmt: skip
    services.item_tried(actor=world.carol, item=item, comment="Fungerade bra")
    c = client_for(world.bob)
    with CaptureQueriesContext(connection) as captured:
        page = c.get(reverse("library:edit", args=[item.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Exit tickets i matematik"' in html
    assert "Tre frågor i slutet av lektionen." in html
    read = " ".join(q["sql"] for q in captured.captured_queries).lower()
    assert "library_triedit" not in read
    assert "library_appreciation" not in read
    assert "library_attachment" not in read

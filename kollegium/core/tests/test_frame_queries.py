"""The frame every signed-in page shares (header, navigation, unread badge) costs as few
queries as it can: the unread count comes with the session and the person (issue 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kollegium.core.models import Notification

pytestmark = pytest.mark.django_db


def test_the_unread_badge_is_read_with_the_session_not_by_a_query_of_its_own(client_for, world):
    for n in range(3):
        Notification.objects.create(recipient=world.bob, kind="test", title=f"Hej {n}")
    Notification.objects.create(recipient=world.carol, kind="test", title="Inte Bobs")
    c = client_for(world.bob)
    c.get("/about/")
    with CaptureQueriesContext(connection) as captured:
        response = c.get("/about/")
    assert response.status_code == 200
    assert '<span class="badge"' in response.content.decode()
    assert ">3</span>" in response.content.decode()
    own = [
        q["sql"]
        for q in captured.captured_queries
        if Notification._meta.db_table in q["sql"] and "session" not in q["sql"]
    ]
    assert own == []


def test_the_badge_counts_only_unread_notifications(client_for, world):
    Notification.objects.create(recipient=world.bob, kind="test", title="Läst")
    Notification.objects.filter(recipient=world.bob).update(read_at="2026-01-01T00:00:00Z")
    c = client_for(world.bob)
    assert '<span class="badge"' not in c.get("/about/").content.decode()

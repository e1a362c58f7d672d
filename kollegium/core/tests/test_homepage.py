"""The cached home page: served kept only while it is still true, and only to its person."""

import re
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kollegium.core import homepage, registry
from kollegium.core.homepage import home_changed
from kollegium.core.models import HomeVersion
from kollegium.core.services import notification_send, notifications_mark_read
from kollegium.core.testing.queries import count_queries

pytestmark = pytest.mark.django_db

# A kept page costs one statement: the session with its person and their home version.
KEPT_PAGE_QUERIES = 1


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def version_of(user) -> int:
    return HomeVersion.objects.get(user=user).version


def test_a_new_person_gets_a_version_row_at_once(world):
    assert HomeVersion.objects.filter(user=world.bob).exists()


def test_the_second_visit_is_served_kept_without_the_panels_queries(client_for, world):
    c = client_for(world.bob)
    rendered, first, _sql = count_queries(lambda: c.get("/"))
    kept, second, sql = count_queries(lambda: c.get("/"))
    assert second.status_code == 200
    assert kept == KEPT_PAGE_QUERIES, sql
    assert rendered > kept
    without_tokens = re.compile(r'value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert without_tokens.sub("", first.content.decode()) == without_tokens.sub(
        "", second.content.decode()
    )


def test_a_kept_page_carries_a_fresh_csrf_token_that_works(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.bob)
    c.get("/")
    kept = c.get("/").content.decode()
    (token,) = csrf_tokens(kept)
    assert not token.startswith("csrf-")
    assert f'"X-CSRFToken": "{token}"' in kept
    response = c.post(
        reverse("accounts:set_language"), {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302
    assert "Hello, Bob" in c.get("/").content.decode()


def test_each_person_gets_their_own_page(client_for, world):
    bob, dave = client_for(world.bob), client_for(world.dave)
    bob.get("/")
    page = dave.get("/").content.decode()
    assert "Dave" in page
    assert "Bob Berg" not in page
    assert "Skola A" not in page


def test_a_change_to_what_the_page_shows_is_seen_on_the_next_visit(client_for, world):
    c = client_for(world.bob)
    c.get("/")
    before = version_of(world.bob)
    notification_send(recipient=world.bob, kind="test", title="Hej", email=False)
    assert version_of(world.bob) == before + 1
    assert 'aria-label="1 oläst"' in c.get("/").content.decode()
    notifications_mark_read(actor=world.bob)
    assert 'aria-label="1 oläst"' not in c.get("/").content.decode()


def test_a_change_for_someone_else_keeps_the_page(client_for, world):
    c = client_for(world.bob)
    c.get("/")
    notification_send(recipient=world.dave, kind="test", title="Hej", email=False)
    queries, _response, _sql = count_queries(lambda: c.get("/"))
    assert queries == KEPT_PAGE_QUERIES


def test_a_school_wide_change_reaches_everyone_at_the_school_only(world):
    bob, dave = version_of(world.bob), version_of(world.dave)
    home_changed(school_ids=[world.school_a.pk])
    assert version_of(world.bob) == bob + 1
    assert version_of(world.dave) == dave


def test_a_rolled_back_change_leaves_the_version(world):
    before = version_of(world.bob)
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(recipient=world.bob, kind="test", title="Hej", email=False)
        raise RuntimeError("the service failed")
    assert version_of(world.bob) == before


def test_signing_in_does_not_throw_the_pages_of_the_school_away(client, world):
    alice_before = version_of(world.alice)
    assert client.login(email="bob@a.example", password=world.password)
    assert version_of(world.alice) == alice_before


def test_renaming_a_person_reaches_their_colleagues(world):
    before = version_of(world.carol)
    world.bob.full_name = "Bob Björk"
    world.bob.save()
    assert version_of(world.carol) == before + 1


def test_the_language_and_the_chosen_school_have_their_own_copies(client_for, world):
    from kollegium.organisations.models import Membership, Role

    Membership.objects.create(user=world.bob, school=world.school_b, role=Role.TEACHER)
    c = client_for(world.bob)
    assert "Hej, Bob" in c.get("/").content.decode()
    c.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert "Hello, Bob" in c.get("/").content.decode()
    c.post(reverse("organisations:switch_school"), {"school_id": world.school_b.pk})
    assert "Skola B ·" in c.get("/").content.decode()
    c.post(reverse("organisations:switch_school"), {"school_id": world.school_a.pk})
    assert "Skola A ·" in c.get("/").content.decode()


def test_a_page_with_a_message_is_shown_once_and_not_kept(client_for, world):
    c = client_for(world.bob)
    c.get("/")
    c.post(reverse("accounts:set_language"), {"language": "klingon", "next": "/"})
    with_message = c.get("/").content.decode()
    assert 'class="alert alert-error"' in with_message
    assert 'class="alert alert-error"' not in c.get("/").content.decode()


def test_a_query_string_is_rendered_and_not_kept(client_for, world):
    c = client_for(world.bob)
    c.get("/?from=email")
    rendered, _response, _sql = count_queries(lambda: c.get("/?from=email"))
    assert rendered > KEPT_PAGE_QUERIES
    first_plain, _response, _sql = count_queries(lambda: c.get("/"))
    assert first_plain > KEPT_PAGE_QUERIES


def test_a_page_is_not_used_after_its_panels_fresh_until(client_for, world, monkeypatch):
    soon = timezone.now() + timedelta(seconds=30)
    panel = registry.HomePanel(
        "competence/_home_panel.html",
        lambda request: {"sole": []},
        fresh_until=lambda context: soon,
    )
    monkeypatch.setattr(registry, "_home_panels", [*registry.home_panels(), panel])
    c = client_for(world.bob)
    first, _response, _sql = count_queries(lambda: c.get("/"))
    kept, _response, _sql = count_queries(lambda: c.get("/"))
    assert kept == KEPT_PAGE_QUERIES
    later = time.time() + 60
    monkeypatch.setattr(homepage.time, "time", lambda: later)
    again, _response, _sql = count_queries(lambda: c.get("/"))
    assert again == first


def test_nothing_is_kept_past_midnight(world):
    midnight = homepage.next_midnight()
    assert midnight > timezone.now()
    assert midnight - timezone.now() <= timedelta(days=1)
    assert timezone.localtime(midnight).hour == 0

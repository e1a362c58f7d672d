"""The page frame (header, navigation, footer) is kept rendered per person (issue 10,
kollegium/core/frame.py): a kept header costs no query, shows what is true now, never what
belongs to someone else, and carries the request's own token, address and current item."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kollegium.accounts.services import user_update_profile
from kollegium.core.frame import CACHE_ALIAS
from kollegium.core.models import Notification
from kollegium.core.services import notification_send, notifications_mark_read
from kollegium.core.testing.factories import MembershipFactory, SchoolFactory
from kollegium.organisations.actor import as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frame_kept(settings):
    """The frame cache as deployed (tests run without it; settings.py says why)."""
    settings.CACHES = {
        **settings.CACHES,
        CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kollegium-frame-tests",
        },
    }
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


def header(response) -> str:
    html = response.content.decode()
    return html[html.index('<a class="skip-link"') : html.index("</header>")]


def test_a_kept_header_costs_no_query(client_for, world):
    c = client_for(world.bob)
    c.get("/about/")
    with CaptureQueriesContext(connection) as captured:
        response = c.get("/about/")
    assert response.status_code == 200
    # Only the one signed-in statement (session, person, home version, unread count): the
    # navigation's visibility and the school switcher's memberships are not read again.
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]
    assert "Bob" in header(response)


def test_the_kept_header_is_the_rendered_one(client_for, settings, world):
    c = client_for(world.alice)
    kept = [header(c.get(path)) for path in ("/about/", "/about/")]
    caches[CACHE_ALIAS].clear()
    settings.CACHES = {
        **settings.CACHES,
        CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    rendered = header(c.get("/about/"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", kept[1]) == token.sub("", rendered)
    assert token.sub("", kept[0]) == token.sub("", kept[1])


def test_people_never_see_each_others_header(client_for, world):
    for person, other in [(world.bob, "Carol"), (world.carol, "Bob"), (world.dave, "Bob")]:
        top = header(client_for(person).get("/about/"))
        assert person.get_short_name() in top
        assert other not in top


def test_a_new_name_shows_at_once(client_for, world):
    c = client_for(world.bob)
    assert "Bob" in header(c.get("/about/"))
    user_update_profile(actor=as_actor(world.bob), user=world.bob, full_name="Robert Berg")
    top = header(c.get("/about/"))
    assert "Robert" in top
    assert ">Bob<" not in top


def test_a_second_school_brings_the_switcher_and_a_renamed_school_shows_its_new_name(
    client_for, world
):
    c = client_for(world.bob)
    assert "school-switch" not in header(c.get("/about/"))
    other = SchoolFactory(parent=world.owner, name="Skola C", name_en="School C")
    MembershipFactory(user=world.bob, school=other)
    top = header(c.get("/about/"))
    assert "school-switch" in top
    assert "Skola C" in top
    other.name = "Skola C (ny)"
    other.save()
    assert "Skola C (ny)" in header(c.get("/about/"))


def test_choosing_another_school_marks_it_in_the_switcher(client_for, world):
    other = SchoolFactory(parent=world.owner, name="Skola C", name_en="School C")
    MembershipFactory(user=world.bob, school=other)
    c = client_for(world.bob)
    c.get("/about/")
    c.post("/school/switch/", {"school_id": other.pk})
    assert f'<option value="{other.pk}" selected>' in header(c.get("/about/"))
    c.post("/school/switch/", {"school_id": world.school_a.pk})
    assert f'<option value="{world.school_a.pk}" selected>' in header(c.get("/about/"))


def test_the_unread_badge_follows_new_and_read_notifications(client_for, world):
    c = client_for(world.bob)
    assert 'class="badge"' not in header(c.get("/about/"))
    notification_send(recipient=world.bob, kind="test", title="Hej", email=False)
    assert ">1</span>" in header(c.get("/about/"))
    notifications_mark_read(actor=as_actor(world.bob))
    assert 'class="badge"' not in header(c.get("/about/"))
    # Written around the services, without raising the version: the count is in the key.
    Notification.objects.create(recipient=world.bob, kind="test", title="Två")
    Notification.objects.filter(recipient=world.bob).update(read_at=None)
    assert ">2</span>" in header(c.get("/about/"))


def test_the_current_item_and_the_return_address_are_the_requests_own(client_for, world):
    c = client_for(world.bob)
    top = header(c.get("/groups/"))
    assert '<a href="/groups/" aria-current="page">' in top
    top = header(c.get("/library/?q=<b>x</b>"))
    assert '<a href="/groups/">' in top
    assert '<a href="/library/" aria-current="page">' in top
    assert 'name="next" value="/library/?q=%3Cb%3Ex%3C/b%3E"' in top
    assert header(c.get("/notifications/")).count('aria-current="page"') == 1
    assert '/notifications/" aria-current="page">' in header(c.get("/notifications/"))
    assert 'aria-current="page"' not in header(c.get("/about/"))


def test_the_header_form_carries_the_requests_csrf_token(client_for, world):
    c = client_for(world.bob)
    c.get("/about/")
    response = c.get("/about/")
    html = response.content.decode()
    sent = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    in_header = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(response))
    assert in_header
    assert set(in_header) == {sent}
    c_strict = client_for(world.bob)
    c_strict.handler.enforce_csrf_checks = True
    page = c_strict.get("/about/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = c_strict.post("/me/language/", {"csrfmiddlewaretoken": token, "language": "en"})
    assert answer.status_code == 302


def test_the_header_is_kept_per_language(client_for, world):
    c = client_for(world.bob)
    assert "Logga ut" in header(c.get("/about/"))
    user_update_profile(
        actor=as_actor(world.bob), user=world.bob, full_name="Bob Berg", preferred_language="en"
    )
    top = header(c.get("/about/"))
    assert "Sign out" in top
    assert "Logga ut" not in top


def test_an_anonymous_visitors_header_has_no_personal_navigation(client, client_for, world):
    client_for(world.bob).get("/about/")
    top = header(client.get("/about/"))
    assert "site-nav" not in top
    assert "Bob" not in top

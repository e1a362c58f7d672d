"""The session and the signed-in person are read with fixed SQL, and behave as Django's own."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from kollegium.accounts import signed_in
from kollegium.accounts.backends import AccountBackend, PasswordBackend
from kollegium.accounts.models import Session, User
from kollegium.accounts.sessions import SessionStore
from kollegium.core.models import HomeVersion

pytestmark = pytest.mark.django_db


def test_the_backend_loads_the_same_person_as_the_orm(world):
    loaded = PasswordBackend().get_user(world.bob.pk)
    expected = User.objects.get(pk=world.bob.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded._state.adding is False
    assert AccountBackend().get_user(world.bob.pk) == expected


def test_the_person_comes_with_their_home_page_version(world):
    version = HomeVersion.objects.get(user=world.bob).version
    assert PasswordBackend().get_user(world.bob.pk).home_version == version
    HomeVersion.objects.filter(user=world.bob).delete()
    assert PasswordBackend().get_user(world.bob.pk).home_version is None


def test_nobody_is_loaded_for_an_unknown_inactive_or_malformed_id(world):
    backend = PasswordBackend()
    assert backend.get_user(10_000_000) is None
    assert backend.get_user("not-a-number") is None
    world.dave.is_active = False
    world.dave.save()
    assert backend.get_user(world.dave.pk) is None


def test_the_session_store_reads_what_django_wrote(world):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key)["answer"] == 42
    assert SessionStore("no-such-key").load() == {}


def test_an_expired_session_is_empty(world):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    reloaded = SessionStore(store.session_key)
    assert reloaded.load() == {}
    assert reloaded.session_key is None


def test_a_signed_in_person_stays_signed_in_until_the_password_changes(client, world):
    assert client.login(email="bob@a.example", password=world.password)
    assert client.get("/").status_code == 200
    assert client.session[SESSION_KEY] == str(world.bob.pk)
    world.bob.set_password("ett helt nytt lösenord")
    world.bob.save()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_deactivated_person_is_signed_out(client_for, world):
    c = client_for(world.bob)
    assert c.get("/").status_code == 200
    User.objects.filter(pk=world.bob.pk).update(is_active=False)
    assert c.get("/")["Location"].startswith("/accounts/login/")


def test_a_session_row_names_its_person_and_goes_with_them(client, world):
    assert client.login(email="bob@a.example", password=world.password)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.user_id == world.bob.pk
    world.bob.delete()
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_a_session_without_a_person_names_nobody(world):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    assert SessionStore(store.session_key).load() == {"answer": 42}
    assert signed_in.take(world.bob.pk) is None


def test_the_person_read_with_the_session_is_taken_once_and_only_for_their_id(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.login(email="bob@a.example", password=world.password)
    store = SessionStore(client.session.session_key)
    store.load()
    assert signed_in.take(world.dave.pk) is None  # another id: not handed over
    store = SessionStore(client.session.session_key)
    store.load()
    with CaptureQueriesContext(connection) as queries:
        person = PasswordBackend().get_user(world.bob.pk)
    assert person == world.bob and len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert PasswordBackend().get_user(world.bob.pk) == world.bob  # read again
    assert len(queries) == 1


def test_the_end_of_a_request_forgets_the_person(client, world):
    from django.core.signals import request_finished

    assert client.login(email="bob@a.example", password=world.password)
    SessionStore(client.session.session_key).load()
    request_finished.send(sender=None)
    assert signed_in.take(world.bob.pk) is None

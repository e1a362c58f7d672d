"""The session and the signed-in person are read with fixed SQL, and behave as Django's own."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from kollegium.accounts.backends import AccountBackend, PasswordBackend
from kollegium.accounts.models import User
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

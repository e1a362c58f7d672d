"""After an erasure, no kept page holds the person's name: the home pages and page frames of
everyone (also people at other schools, also after a run that stopped halfway) are made anew,
and this process's kept pages are dropped."""

import pytest
from django.core.cache import caches
from django.utils import timezone

from kollegium.core import frame, homepage
from kollegium.privacy import services
from kollegium.privacy.models import ErasureRequest
from kollegium.privacy.tasks import erase
from kollegium.questions import services as questions
from kollegium.questions.models import Routing

pytestmark = pytest.mark.django_db

NAME = "Bob Berg"


def _kept_home_names_bob(world, client_for):
    """Dave (School B) was asked to help with Bob's question, which names Bob: his home page
    is kept with the name in it."""
    question, _token = questions.question_ask(
        actor=world.bob, school=world.school_a, title=f"{NAME} undrar om exit tickets"
    )
    Routing.objects.create(question=question, recipient=world.dave)
    dave = client_for(world.dave)
    assert NAME in dave.get("/").content.decode()
    return dave


def test_a_kept_home_page_no_longer_shows_the_erased_persons_name(world, client_for, admin_a):
    dave = _kept_home_names_bob(world, client_for)
    erasure = services.erasure_schedule(
        actor=admin_a, school=world.school_a, person_id=world.bob.pk, reason="request"
    )
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_at=timezone.now())

    assert erase(erasure.pk) == "done"

    home = dave.get("/").content.decode()
    assert NAME not in home
    assert "en lärare på Skola A undrar om exit tickets" in home


@pytest.fixture
def frames_kept(settings):
    """The frame cache as deployed (tests run without it)."""
    settings.CACHES = {
        **settings.CACHES,
        frame.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kollegium-frame-erasure-tests",
        },
    }
    caches[frame.CACHE_ALIAS].clear()
    yield
    caches[frame.CACHE_ALIAS].clear()


def test_this_process_keeps_no_page_with_the_name(
    world, client_for, admin_a, django_capture_on_commit_callbacks, frames_kept
):
    _kept_home_names_bob(world, client_for)
    client_for(world.bob).get("/about/")  # Bob's own header, with his first name, is kept
    kept_frames = getattr(caches[frame.CACHE_ALIAS], "_cache", {})
    assert any(">Bob<" in str(value) for value in kept_frames.values())
    erasure = services.erasure_schedule(
        actor=admin_a, school=world.school_a, person_id=world.bob.pk, reason="request"
    )
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        erase(erasure.pk)

    for alias in (homepage.CACHE_ALIAS, frame.CACHE_ALIAS):
        kept = caches[alias]
        store = getattr(kept, "_cache", {})
        assert all(NAME not in str(value) for value in store.values())
        assert all(">Bob<" not in str(value) for value in store.values())

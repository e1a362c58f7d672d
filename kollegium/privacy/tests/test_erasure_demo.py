"""An erasure in the full demo (every app's data): afterwards no row of any table and no file
holds the person's name or email, and every page School A's people reach still renders (the
access sweep's page walk)."""

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from kollegium.core.registry import personal_data
from kollegium.core.testing.sweep import SWEEP_SETTINGS, build_world, crawl
from kollegium.privacy import services
from kollegium.privacy.erasing import person_rows
from kollegium.privacy.models import ErasureRequest, ErasureStatus
from kollegium.privacy.tasks import erase
from kollegium.privacy.tests.helpers import database_dump, media_dump

pytestmark = pytest.mark.django_db

#: A teacher at School A with groups, commitments, observations, items and levels in the demo
#: who is not one of the sweep's crawlers (they must still sign in afterwards).
ERASED = "fatima"


@pytest.fixture(scope="module")
def erased(django_db_setup, django_db_blocker, tmp_path_factory):
    media = str(tmp_path_factory.mktemp("erasure-media"))
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, **SWEEP_SETTINGS),
        transaction.atomic(),
    ):
        world = build_world(media)
        person = world.people[ERASED]
        name, email = person.full_name, person.email
        before = database_dump()
        holding = [e.model for e in personal_data() if person_rows(e, person).exists()]
        erasure = services.erasure_schedule(
            actor=world.people["alice"],
            school=world.school_a,
            person_id=person.pk,
            reason="left",
        )
        ErasureRequest.objects.filter(pk=erasure.pk).update(due_at=timezone.now())
        status = erase(erasure.pk)
        yield world, name, email, media, before, status, erasure, holding
        transaction.set_rollback(True)


def test_the_demo_person_is_everywhere_before_and_nowhere_after(erased):
    _world, name, email, media, before, status, erasure, holding = erased
    assert name in before and email in before  # the test has something to find...
    assert len(holding) >= 8, holding  # ...in many apps
    assert status == "done"
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.DONE
    after = database_dump()
    assert name not in after
    assert email not in after
    files = media_dump(media)
    assert name not in files and email not in files


def test_every_page_still_renders_after_the_erasure(erased):
    world = erased[0]
    result = crawl(world)
    assert result.crashes == []
    assert len(result.pages) > 40  # the walk really went through the site

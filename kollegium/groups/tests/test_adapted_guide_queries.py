"""A school's adapted method guide, and the page to adapt it again, run the same number of
queries whatever the number of versions and groups (issue 10: the query-count sweep cannot open
them, since the demo school has adapted no guide)."""

import pytest
from django.urls import reverse

from kollegium.core.testing.queries import assert_constant_queries
from kollegium.groups import services

pytestmark = pytest.mark.django_db


def _adapt(world, base, word):
    source = base.source.replace("Startuppgift", word)
    return services.guide_adapt(actor=world.carol, school=world.school_a, base=base, source=source)


@pytest.mark.parametrize("name", ["groups:guide_adapted", "groups:guide_adapt_adapted"])
def test_an_adapted_guides_page_runs_the_same_queries_with_more_versions(client_for, world, name):
    adapted = _adapt(world, services.shipped_guide("tlc"), "Uppvärmning")
    client = client_for(world.carol)
    url = reverse(name, args=[adapted.pk])

    def grow():
        latest = adapted
        for n in range(3):
            latest = _adapt(world, latest, f"Kom igång {n}")
        _adapt(world, services.shipped_guide("learning-study"), "Start")

    assert "Uppvärmning" in client.get(url).content.decode()
    assert_constant_queries(lambda: client.get(url), grow)

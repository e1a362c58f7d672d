"""The demo shows something real for Alice at Björkskolan and for her teachers."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from kollegium.accounts.models import User
from kollegium.insights.models import TimePromise
from kollegium.insights.selectors import current_term, own_ledger, school_insights
from kollegium.organisations.actor import as_actor
from kollegium.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_gives_alice_a_page_with_figures_and_bob_earlier_terms(client):
    call_command("seed_demo", stdout=io.StringIO())
    school = Organisation.objects.get(name="Björkskolan")
    assert TimePromise.objects.filter(school=school, team__isnull=True, minutes=60).exists()
    data = school_insights(school, current_term())
    assert data.time.school.dist is not None and data.time.school.dist.median > 0
    ended = [row for row in data.groups if row.status == "ended"]
    assert ended and ended[0].lasting[0][1] is not None  # six months on: shown
    assert ended[0].lasting[0][1].count >= 3
    bob = User.objects.get(email__startswith="bob")
    ledger = own_ledger(as_actor(bob), school)
    assert sum(t.time.total for t in ledger.terms[1:]) > 0  # the module last school year
    alice = User.objects.get(email__startswith="alice")
    client.force_login(alice)
    page = client.get(reverse("insights:school", args=[school.pk])).content.decode()
    assert "Läslyftet" in page and "för få för att visas" in page.lower()

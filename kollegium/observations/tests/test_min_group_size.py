"""Leaders and owner staff see observation figures only about groups at least as large as the
school owner's minimum group size (Organisation.min_group_size, default 5): below it the
statistics page, its CSV export, the owner's counts and the network rounds show "too few to
show" and neither numbers nor names (issue 12)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import UserFactory, teacher_at
from kollegium.observations.models import ObservationRound, RoundStatus
from kollegium.observations.selectors import owner_observation_counts, statistics_for_school
from kollegium.observations.tests.helpers import make_observation
from kollegium.organisations.models import Organisation, OwnerStaff

pytestmark = pytest.mark.django_db


def _round(world, people):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        title="Vårens runda",
        status=RoundStatus.PUBLISHED,
        created_by=world.carol,
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=11),
    )
    round_.participants.set(people)
    return round_


def _set_minimum(world, value):
    world.owner.min_group_size = value
    world.owner.save(update_fields=["min_group_size"])


def test_a_round_of_four_shows_no_numbers_or_names_to_the_leader(client_for, world):
    people = [world.bob, world.carol, *(teacher_at(world.school_a) for _ in range(2))]
    _round(world, people)
    alice = client_for(world.alice)
    page = alice.get(reverse("observations:statistics")).content.decode()
    assert "För få för att visas" in page
    assert all(p.full_name not in page for p in people)
    export = alice.get(reverse("observations:statistics_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    row = next(r for r in rows if r[0] == "Vårens runda")
    assert row[2:9] == [""] * 7 and row[9] == "För få för att visas"
    assert all(p.full_name not in export for p in people)


def test_a_round_of_five_shows_its_numbers_and_who_is_not_observed_yet(client_for, world):
    people = [world.bob, world.carol, *(teacher_at(world.school_a) for _ in range(3))]
    _round(world, people)
    rows = statistics_for_school(actor=world.alice, school=world.school_a)
    row = next(r for r in rows if r.round == "Vårens runda")
    assert row.shown and row.people == 5 and len(row.not_observed) == 5
    page = client_for(world.alice).get(reverse("observations:statistics")).content.decode()
    assert world.bob.full_name in page


def test_the_owners_setting_decides_the_minimum(client_for, world):
    people = [world.bob, world.carol, *(teacher_at(world.school_a) for _ in range(3))]
    _round(world, people)
    _set_minimum(world, 6)
    school = Organisation.objects.get(pk=world.school_a.pk)
    row = next(
        r
        for r in statistics_for_school(actor=world.alice, school=school)
        if r.round == "Vårens runda"
    )
    assert not row.shown and row.people is None and row.not_observed == []
    page = client_for(world.alice).get(reverse("observations:statistics")).content.decode()
    assert "färre än 6 personer" in page
    _set_minimum(world, 3)
    small = [world.bob, world.carol, world.alice]
    ObservationRound.objects.all().delete()
    _round(world, small)
    school = Organisation.objects.get(pk=world.school_a.pk)
    row = next(
        r
        for r in statistics_for_school(actor=world.alice, school=school)
        if r.round == "Vårens runda"
    )
    assert row.shown and row.people == 3


def test_owner_counts_follow_the_owners_setting(client_for, world):
    staff = UserFactory()
    OwnerStaff.objects.create(user=staff, owner=world.owner)
    people = [teacher_at(world.school_b) for _ in range(4)]
    for i in range(4):
        make_observation(
            school=world.school_b, observer=people[i], observed=people[(i + 1) % 4], status="done"
        )
    counts = {row.school.pk: row for row in owner_observation_counts(owner=world.owner)}
    assert not counts[world.school_b.pk].shown
    assert counts[world.school_b.pk].planned is None  # the number never reaches the page
    _set_minimum(world, 4)
    owner = Organisation.objects.get(pk=world.owner.pk)
    counts = {row.school.pk: row for row in owner_observation_counts(owner=owner)}
    assert counts[world.school_b.pk].shown and counts[world.school_b.pk].planned == 4
    page = client_for(staff).get(reverse("observations:owner_counts", args=[world.owner.pk]))
    assert "färre än 4 personer" in page.content.decode()

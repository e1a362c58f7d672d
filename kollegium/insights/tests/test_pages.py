"""The pages: bad input gets a message and saves nothing, a constant number of queries, CSV,
the PDF report, the home panels kept fresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.core.testing.factories import (
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    teacher_at,
)
from kollegium.core.testing.home import get_home_rendered
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.insights import services
from kollegium.insights.models import TimePromise
from kollegium.insights.periods import term_of
from kollegium.insights.tests.helpers import hold_meeting, make_group, observe
from kollegium.organisations.models import DevelopmentFocus, OwnerStaff, Role

pytestmark = pytest.mark.django_db


def school_url(world):
    return reverse("insights:school", args=[world.school_a.pk])


def a_day_this_term():
    today = timezone.localdate()
    return max(term_of(today).start, today - timedelta(days=2))


@pytest.mark.parametrize("minutes", ["0", "10000", "", "abc", "²", "99999999999999999999"])
def test_a_bad_promise_gets_a_message_and_saves_nothing(client_for, world, minutes):
    response = client_for(world.alice).post(
        reverse("insights:promise_set", args=[world.school_a.pk]),
        {"minutes": minutes, "unit": "week"},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not TimePromise.objects.exists()


def test_a_promise_out_of_range_names_the_range_in_swedish(client_for, world):
    response = client_for(world.alice).post(
        reverse("insights:promise_set", args=[world.school_a.pk]),
        {"minutes": "10000", "unit": "week"},
    )
    assert "mellan 10 och 600 minuter" in response.content.decode()


def test_a_good_promise_is_saved_and_shown(client_for, world):
    client = client_for(world.alice)
    response = client.post(
        reverse("insights:promise_set", args=[world.school_a.pk]),
        {"minutes": "75", "unit": "week", "team": str(world.team_a.pk)},
    )
    assert response.status_code == 302
    assert TimePromise.objects.get().team == world.team_a
    assert "75 minuter i veckan" in client.get(school_url(world)).content.decode()


def test_a_period_that_ends_before_it_starts_gets_a_message(client_for, world):
    response = client_for(world.alice).get(
        school_url(world), {"start": "2026-10-10", "end": "2026-10-01"}
    )
    assert response.status_code == 200
    assert "Sista dagen får inte vara före den första." in response.content.decode()


def test_a_period_without_data_says_what_to_do_first(client_for, world):
    response = client_for(world.alice).get(school_url(world), {"term": "ht2022"})
    text = response.content.decode()
    assert "Inget registrerat under perioden än" in text or "Visar: Hösttermin 2022" not in text
    response = client_for(world.alice).get(
        school_url(world), {"start": "2024-01-01", "end": "2024-02-01"}
    )
    assert "Inget registrerat under perioden än" in response.content.decode()


def test_the_english_page_is_in_english(client_for, world):
    client = client_for(world.alice)
    response = client.get(school_url(world), HTTP_ACCEPT_LANGUAGE="en")
    world.alice.preferred_language = "en"
    world.alice.save()
    text = client_for(world.alice).get(school_url(world)).content.decode()
    assert response.status_code == 200
    assert "never for evaluating a teacher" in text


def _grow(world, n=6):
    people = [teacher_at(world.school_a) for _ in range(n)]
    team = TeamFactory(school=world.school_a)
    focus = DevelopmentFocus.objects.create(school=world.school_a, title=f"Fokus {team.pk}")
    for person in people:
        TeamMembershipFactory(team=team, user=person)
    group = make_group(world.school_a, people, name=f"Grupp {team.pk}", focus=focus)
    hold_meeting(group, a_day_this_term(), people)
    observe(world.school_a, people[0], people[1], a_day_this_term(), debrief_minutes=20)
    ended = make_group(
        world.school_a,
        people,
        name=f"Slut {team.pk}",
        starts_on=timezone.localdate() - timedelta(days=700),
        ends_on=timezone.localdate() - timedelta(days=300),
    )
    hold_meeting(ended, ended.ends_on - timedelta(days=3), people)


def test_the_leaders_page_runs_a_constant_number_of_queries(client_for, world):
    services.promise_set(
        actor=world.alice, school=world.school_a, team=world.team_a, minutes=60, unit="week"
    )
    _grow(world)
    client = client_for(world.alice)
    assert_constant_queries(lambda: client.get(school_url(world)), grow=lambda: _grow(world))


def test_the_csv_and_report_run_a_constant_number_of_queries(client_for, world):
    _grow(world)
    client = client_for(world.alice)
    csv_url = reverse("insights:school_csv", args=[world.school_a.pk, "equity_team"])
    assert_constant_queries(lambda: client.get(csv_url), grow=lambda: _grow(world))
    report_url = reverse("insights:report", args=[world.school_a.pk])
    assert_constant_queries(lambda: client.get(report_url), grow=lambda: _grow(world))


def test_the_own_ledger_runs_a_constant_number_of_queries(client_for, world):
    client = client_for(world.bob)

    def grow():
        group = make_group(world.school_a, [world.bob, world.carol, world.alice])
        hold_meeting(group, a_day_this_term(), [world.bob, world.alice])
        observe(world.school_a, world.carol, world.bob, a_day_this_term())

    assert_constant_queries(lambda: client.get(reverse("insights:mine")), grow=grow)


def test_the_owner_comparison_runs_a_constant_number_of_queries(client_for, world):
    from kollegium.core.testing.factories import SchoolFactory

    jonas = UserFactory()
    OwnerStaff.objects.create(user=jonas, owner=world.owner)
    client = client_for(jonas)

    def grow():
        school = SchoolFactory(parent=world.owner)
        people = [teacher_at(school) for _ in range(5)]
        TimePromise.objects.create(school=school, minutes=60, unit="week")
        group = make_group(school, people)
        hold_meeting(group, a_day_this_term(), people)

    grow()
    url = reverse("insights:owner", args=[world.owner.pk])
    assert_constant_queries(lambda: client.get(url), grow=grow)
    text = client.get(url).content.decode()
    assert "för få för att visas" in text  # School A and B have fewer than five counted


def test_a_csv_holds_the_same_rows_as_the_page_and_an_unknown_table_is_404(client_for, world):
    _grow(world)
    client = client_for(world.alice)
    response = client.get(reverse("insights:school_csv", args=[world.school_a.pk, "load"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Grupper och observationsrundor samtidigt")
    assert len(lines) == 6
    assert (
        client.get(reverse("insights:school_csv", args=[world.school_a.pk, "nope"])).status_code
        == 404
    )


def test_the_term_report_downloads_as_a_pdf(client_for, world):
    _grow(world)
    response = client_for(world.alice).get(reverse("insights:report_pdf", args=[world.school_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_leaders_own_participation_is_shown_to_staff_and_nobody_elses(client_for, world):
    group = make_group(world.school_a, [world.alice, world.bob, world.carol])
    hold_meeting(group, a_day_this_term(), [world.alice, world.carol])
    text = client_for(world.bob).get(reverse("insights:mine")).content.decode()
    assert "Alice Andersson" in text
    assert "Carol Chen" not in text


def test_the_home_panels_follow_a_new_promise_and_a_held_meeting(client_for, world):
    for _ in range(4):
        teacher_at(world.school_a, Role.TEACHER)
    alice = client_for(world.alice)
    bob = client_for(world.bob)
    first = alice.get("/").content.decode()
    assert "Där tiden inte räcker" in first and "Inget löfte om tid är satt än" in first
    assert "Min tid för kollegialt lärande" in bob.get("/").content.decode()
    services.promise_set(
        actor=world.alice, school=world.school_a, team=None, minutes=60, unit="week"
    )
    assert "Utlovat hittills i terminen" in alice.get("/").content.decode()
    assert "promised so far" not in bob.get("/").content.decode()
    assert "av de" in bob.get("/").content.decode()


def test_the_home_page_runs_a_constant_number_of_queries_with_the_panels(client_for, world):
    alice = client_for(world.alice)
    assert_constant_queries(lambda: get_home_rendered(alice), grow=lambda: _grow(world))

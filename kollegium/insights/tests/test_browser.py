"""The leader's page, the own ledger and the owner's comparison in a real browser, with
axe-core on desktop and phone (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.core.testing.factories import TeamMembershipFactory, UserFactory, teacher_at
from kollegium.insights.periods import term_of
from kollegium.insights.tests.helpers import hold_meeting, make_group, observe
from kollegium.organisations.models import DevelopmentFocus, OwnerStaff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _school(world):
    today = timezone.localdate()
    day = max(term_of(today).start, today - timedelta(days=3))
    people = [world.bob, world.carol, *(teacher_at(world.school_a) for _ in range(4))]
    for person in people[2:4]:
        TeamMembershipFactory(team=world.team_a, user=person)
    focus = DevelopmentFocus.objects.create(school=world.school_a, title="Formativ bedömning")
    group = make_group(world.school_a, [world.alice, *people], focus=focus, interval_days=60)
    hold_meeting(group, day, [world.alice, *people[:4]])
    observe(world.school_a, people[0], people[1], day, debrief_minutes=30)


def test_alice_sets_the_promise_from_her_page_and_prints_the_report(live_server, page, world):
    _school(world)
    sign_in(page, live_server.url, world.alice.email, world.password)
    page.get_by_role("link", name="Tid och lärande på skolan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tid och lärande")
    expect(page.get_by_text("aldrig för att bedöma en lärare").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Antal minuter").fill("10000")
    page.get_by_role("button", name="Spara löftet").click()
    expect(page.get_by_text("mellan 10 och 600 minuter")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Antal minuter").fill("60")
    page.get_by_role("button", name="Spara löftet").click()
    expect(page.get_by_text("Löftet är sparat.")).to_be_visible()
    expect(page.get_by_text("Alla på skolan: 60 minuter i veckan")).to_be_visible()
    expect(page.get_by_text("Träffas var 60:e dag").first).to_be_visible()
    page.get_by_label("Från:", exact=True).fill("2026-10-10")
    page.get_by_label("Till och med:", exact=True).fill("2026-10-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Sista dagen får inte vara före den första.")).to_be_visible()
    page.get_by_role("link", name="Terminsrapport", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terminsrapport")
    expect(page.get_by_role("heading", name="Formativ bedömning")).to_be_visible()
    check_accessibility(page)


def test_on_a_phone_bob_reads_his_ledger_and_staff_compare_schools(live_server, phone_page, world):
    _school(world)
    page = phone_page
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.get_by_role("link", name="Min tidsredovisning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min tid för kollegialt lärande")
    expect(page.get_by_text("Alice Andersson")).to_be_visible()
    check_accessibility(page)
    page.context.clear_cookies()
    staff = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=staff, owner=world.owner, title="Utvecklingsstrateg")
    sign_in(page, live_server.url, staff.email, world.password)
    page.get_by_role("link", name="Tid för kollegialt lärande på skolorna hos").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tid för kollegialt lärande")
    check_accessibility(page)
    page.context.clear_cookies()
    sign_in(page, live_server.url, world.alice.email, world.password)
    page.goto(f"{live_server.url}/insights/school/{world.school_a.pk}/")
    check_accessibility(page)

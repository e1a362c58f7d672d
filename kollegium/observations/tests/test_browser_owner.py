"""The owner's counts page and the new round form with its network fields, in a real browser
with axe-core (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.core.testing.factories import UserFactory, teacher_at
from kollegium.observations.tests.helpers import make_observation
from kollegium.organisations.models import OwnerStaff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reach_the_counts_from_home_and_a_facilitator_sees_the_network_fields(
    live_server, page, world
):
    staff = UserFactory(email="jonas@owner.example", full_name="Jonas Jansson")
    OwnerStaff.objects.create(user=staff, owner=world.owner, title="Utvecklingsstrateg")
    people = [teacher_at(world.school_a) for _ in range(5)]
    for i in range(5):
        make_observation(
            school=world.school_a, observer=people[i], observed=people[(i + 1) % 5], status="done"
        )
    sign_in(page, live_server.url, staff.email, world.password)
    page.get_by_role("link", name="Auskultation på skolorna inom").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auskultation på skolorna")
    expect(page.get_by_role("row", name=world.school_b.display_name)).to_contain_text(
        "För få för att visas"
    )
    check_accessibility(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, world.carol.email, world.password)
    page.goto(f"{live_server.url}/observations/rounds/new/")
    expect(page.get_by_label("Över ett nätverk")).to_be_visible()
    expect(page.get_by_label("Restid mellan skolorna (minuter)")).to_have_value("30")
    check_accessibility(page)

"""The main journey in a real browser, with axe-core on every page.

Carol creates a TLC group, schedules a meeting, runs it with the timer, writes minutes and a
commitment, schedules the next meeting and reflects on her commitment there.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.groups.models import Commitment, LearningGroup, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tlc_group_runs_a_meeting_and_follows_up_a_commitment(live_server, page, world):
    today = timezone.localdate()
    sign_in(page, live_server.url, world.carol.email, world.password)

    page.goto(f"{live_server.url}/groups/")
    check_accessibility(page, context="group list")
    page.get_by_role("link", name="Skapa en grupp").click()
    check_accessibility(page, context="create form")
    page.get_by_label("Gruppens namn").fill("TLC formativ bedömning")
    page.get_by_label("Metod").select_option("shipped:tlc")
    page.get_by_label("Bob Berg").check()
    page.get_by_label("Pågår från").fill(today.isoformat())
    page.get_by_label("Pågår till").fill((today + timedelta(days=200)).isoformat())
    page.get_by_role("button", name="Skapa gruppen").click()
    page.get_by_role("heading", level=1, name="TLC formativ bedömning").wait_for()
    check_accessibility(page, context="group page")
    group = LearningGroup.objects.get(name="TLC formativ bedömning")

    # Schedule the first meeting; a date in the past is refused with a clear message.
    page.get_by_role("link", name="Planera ett möte").click()
    page.get_by_label("Datum").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Börjar").fill("15:00")
    page.get_by_label("Plats").fill("Biblioteket")
    page.get_by_role("button", name="Planera", exact=True).click()
    page.get_by_text("Ett möte kan inte planeras bakåt i tiden.").wait_for()
    check_accessibility(page, context="meeting form with an error")
    page.get_by_label("Datum").fill((today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Planera", exact=True).click()
    page.get_by_role("heading", name="Dagordning (90 minuter)").wait_for()
    check_accessibility(page, context="meeting page")

    # The timer: start, move on with the button and with the keyboard, hear it announced.
    timer = page.locator("[data-timer]")
    assert timer.is_visible()
    clock = page.locator("[data-timer-clock]")
    assert clock.inner_text() == "10:00"
    page.get_by_role("button", name="Starta").click()
    expect(clock).not_to_have_text("10:00", timeout=5000)
    page.get_by_role("button", name="Nästa steg").click()
    announce = page.locator("[data-timer-announce]")
    expect(announce).to_contain_text("Överenskommelser")
    assert page.locator("#step-agreements").get_attribute("aria-current") == "step"
    page.keyboard.press("Alt+n")
    expect(announce).to_contain_text("Nytt lärande")
    assert "Steg 3 av 5" in page.locator("[data-timer-step]").inner_text()
    page.get_by_role("button", name="Pausa").click()
    assert announce.count() == 1
    check_accessibility(page, context="meeting page with the timer running")

    # Minutes and a commitment.
    page.locator("#id_notes-minutes").fill("Vi gick igenom de fem nyckelstrategierna.")
    page.locator("#id_notes-decisions").fill("Vi träffas var fjärde tisdag.")
    page.get_by_role("button", name="Spara anteckningarna").click()
    page.get_by_text("Anteckningarna har sparats.").wait_for()
    page.get_by_role("button", name="Spara mitt åtagande").click()
    page.get_by_text("Skriv vad du ska pröva i din klass.").wait_for()
    check_accessibility(page, context="commitment error")
    page.get_by_label("Jag ska pröva …").fill("Pröva exit tickets i 5B")
    page.get_by_role("button", name="Spara mitt åtagande").click()
    page.get_by_text("Ditt åtagande har sparats.").wait_for()
    assert Commitment.objects.filter(user=world.carol, text="Pröva exit tickets i 5B").exists()

    # The next meeting: its feedback step lists the commitment; Carol reflects on it.
    page.goto(f"{live_server.url}/groups/{group.pk}/meetings/new/")
    page.get_by_label("Datum").fill((today + timedelta(days=29)).isoformat())
    page.get_by_label("Börjar").fill("15:00")
    page.get_by_label("Videolänk").fill("https://meet.example.org/tlc")
    page.get_by_role("button", name="Planera", exact=True).click()
    page.get_by_role("heading", name="Återkoppling – vad har vi prövat?").wait_for()
    assert Meeting.objects.filter(group=group).count() == 2
    feedback = page.locator("#step-feedback")
    assert "Pröva exit tickets i 5B" in feedback.inner_text()
    check_accessibility(page, context="next meeting with commitments to follow up")
    feedback.get_by_label("det fungerade inte, och det här lärde jag mig").check()
    feedback.get_by_label("Reflektion").fill(
        "Eleverna skrev för lite. Jag lärde mig att ge dem en meningsstart."
    )
    feedback.get_by_role("button", name="Spara min reflektion").click()
    page.get_by_text("Tack för din reflektion.").wait_for()
    assert (
        "Jag lärde mig att ge dem en meningsstart." in page.locator("#step-feedback").inner_text()
    )
    check_accessibility(page, context="after the reflection")

    page.goto(f"{live_server.url}/groups/{group.pk}/export/")
    page.get_by_text("Pröva exit tickets i 5B").first.wait_for()
    check_accessibility(page, context="documentation")


def test_the_meeting_page_works_on_a_phone(live_server, phone_page, world):
    from kollegium.groups import services
    from kollegium.groups.tests.helpers import make_group

    group = make_group(world)
    meeting = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
    )
    sign_in(phone_page, live_server.url, world.bob.email, world.password)
    phone_page.goto(f"{live_server.url}/groups/meetings/{meeting.pk}/")
    phone_page.get_by_role("button", name="Starta").wait_for()
    check_accessibility(phone_page, context="meeting page on a phone")
    phone_page.goto(f"{live_server.url}/groups/guides/learning-study/")
    check_accessibility(phone_page, context="guide on a phone")

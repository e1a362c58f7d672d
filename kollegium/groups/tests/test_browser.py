"""The main journey in a real browser, with axe-core on every page.

Carol creates a TLC group, schedules a meeting, runs it with the timer, writes minutes and a
commitment, schedules the next meeting and reflects on her commitment there.
"""

import re
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


def test_a_member_signs_up_to_speak_on_a_phone_and_the_facilitator_moves_the_talk_up(
    live_server, phone_page, page, world
):
    from kollegium.groups import services
    from kollegium.groups.models import Talk
    from kollegium.groups.tests.helpers import make_group, teachmeet

    group = make_group(world, slug="workshop", name="TeachMeet Björkskolan")
    planning = services.meeting_schedule(
        actor=world.carol,
        group=group,
        starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
        phase_key="sign_up",
    )
    meeting = teachmeet(group)
    services.talk_signup(
        actor=world.carol, meeting=meeting, step_key="micro_talks", title="Glasspinnar"
    )
    url = f"{live_server.url}/groups/meetings/{meeting.pk}/"

    # Bob, on his phone, signs up for a micro talk; an empty title is refused first.
    sign_in(phone_page, live_server.url, world.bob.email, world.password)
    phone_page.goto(url)
    phone_page.get_by_role("heading", name="Håll en presentation").wait_for()
    check_accessibility(phone_page, context="meeting page with sign-up on a phone")
    phone_page.get_by_label("Nanopresentationer (2 minuter) · 9 av 10 platser kvar").check()
    phone_page.get_by_role("button", name="Anmäl mig som talare").click()
    phone_page.get_by_text("Ge din presentation en rubrik.").wait_for()
    check_accessibility(phone_page, context="sign-up form with an error on a phone")
    phone_page.get_by_label("Rubrik på din presentation").fill("Exit tickets på två minuter")
    phone_page.get_by_label("Beskrivning på en rad").fill("Så ser jag vilka som hänger med.")
    phone_page.get_by_role("button", name="Anmäl mig som talare").click()
    phone_page.get_by_text("Du står på talarlistan. Tack!").wait_for()
    check_accessibility(phone_page, context="meeting page after signing up on a phone")
    micro = phone_page.locator("#speakers-micro_talks li")
    expect(micro).to_have_count(2)
    expect(micro.nth(1)).to_contain_text("Exit tickets på två minuter")
    # The page fits the phone: nothing scrolls sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    talk = Talk.objects.get(speaker=world.bob)
    assert (talk.step_key, talk.position) == ("micro_talks", 2)

    # Carol moves Bob's talk up with the keyboard; the page shows the new running order.
    sign_in(page, live_server.url, world.carol.email, world.password)
    page.goto(url)
    move_up = page.get_by_role(
        "button", name=re.compile(r"^Flytta upp\W+Exit tickets på två minuter$")
    )
    move_up.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Talarordningen har ändrats.").wait_for()
    micro = page.locator("#speakers-micro_talks li")
    expect(micro.nth(0)).to_contain_text("Exit tickets på två minuter")
    expect(micro.nth(1)).to_contain_text("Glasspinnar")
    expect(page.locator(f"#talk-{talk.pk}")).to_be_focused()
    check_accessibility(page, context="meeting page after changing the running order")

    # The timer names the speakers of the talk step, in running order.
    page.get_by_role("button", name="Nästa steg").click()
    speakers = page.locator("[data-timer-speakers]")
    expect(speakers).to_have_text("Talare: Bob Berg, Carol Chen")
    expect(page.locator("[data-timer-announce]")).to_contain_text("Talare: Bob Berg, Carol Chen")

    # The planning meeting's speaker list and the documentation show the talks too.
    page.goto(f"{live_server.url}/groups/meetings/{planning.pk}/")
    expect(page.locator("#step-sign_up #speakers-micro_talks li").nth(0)).to_contain_text(
        "Exit tickets på två minuter"
    )
    check_accessibility(page, context="planning meeting with the speaker list")
    page.goto(f"{live_server.url}/groups/{group.pk}/export/")
    page.get_by_role("heading", name="Presentationer", exact=True).wait_for()
    check_accessibility(page, context="documentation with talks")

    # Bob sees the new order on his phone, and opens his talk to change it.
    phone_page.goto(url)
    expect(phone_page.locator("#speakers-micro_talks li").nth(0)).to_contain_text("Exit tickets")
    assert "nummer 1 i talarordningen" in phone_page.locator("#speak").inner_text()
    check_accessibility(phone_page, context="meeting page with the new order on a phone")
    phone_page.get_by_role("link", name="Ändra min presentation").click()
    phone_page.get_by_role("heading", level=1, name="Ändra min presentation").wait_for()
    check_accessibility(phone_page, context="changing a talk on a phone")

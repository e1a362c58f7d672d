"""Two people save the minutes at once: the conflict page in a real browser, with axe-core."""

import pytest

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.groups import services
from kollegium.groups.models import Meeting
from kollegium.groups.tests.helpers import make_group, past_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = "Vi läste kapitel 3.\nExit tickets i 5B.\nNästa gång: kapitel 4."


def test_overlapping_minutes_show_both_texts_and_the_person_chooses(live_server, page, world):
    meeting = past_meeting(make_group(world), 1)
    services.meeting_notes_save(actor=world.carol, meeting=meeting, minutes=START, base_revision=0)
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.goto(f"{live_server.url}/groups/meetings/{meeting.pk}/")
    page.locator("#id_notes-minutes").fill(START.replace("Exit tickets", "Mini-whiteboards"))

    # Carol saves the same line while Bob is still writing.
    services.meeting_notes_save(
        actor=world.carol,
        meeting=Meeting.objects.get(pk=meeting.pk),
        minutes=START.replace("i 5B", "i 5B och 6A"),
        base_revision=1,
    )
    page.get_by_role("button", name="Spara anteckningarna").click()
    page.get_by_role("heading", level=1, name="Anteckningarna ändrades medan du skrev").wait_for()
    theirs, mine = page.locator(".edit-conflict-text").all()
    assert "Exit tickets i 5B och 6A." in theirs.inner_text() and theirs.is_visible()
    assert "Mini-whiteboards i 5B." in mine.inner_text() and mine.is_visible()
    check_accessibility(page, context="minutes conflict page")

    combined = page.get_by_role("textbox", name="Anteckningar")
    assert "<<<<<<< Carol Chen" in combined.input_value()
    combined.fill(START.replace("Exit tickets i 5B", "Exit tickets och mini-whiteboards i 5B"))
    page.get_by_role("button", name="Spara den sammanslagna texten").click()
    page.get_by_text("Anteckningarna har sparats.").wait_for()
    assert "mini-whiteboards i 5B" in Meeting.objects.get(pk=meeting.pk).minutes

    page.get_by_role(
        "link", name="Tidigare versioner av anteckningarna (3 sparade versioner)"
    ).click()
    page.get_by_role("heading", level=1, name="Anteckningarnas historik").wait_for()
    check_accessibility(page, context="history of the minutes")

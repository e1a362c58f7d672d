"""The audit log, a records request and the accessibility statement in a real browser (desktop
and phone), reached as a person would, each page checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kollegium.core.services import audit_record
from kollegium.core.testing.browser import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_the_audit_log_and_asks_for_official_records(live_server, page, world):
    audit_record(actor=world.alice, action="team.created", school=world.school_a, data={"n": 1})
    sign_in(page, live_server.url, world.alice.email, world.password)
    page.get_by_role("link", name="Händelselogg").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Händelselogg")
    expect(page.get_by_role("cell", name="Arbetslag skapat").first).to_be_visible()
    check_accessibility(page, context="audit log")
    page.get_by_label("Vad").select_option("team.created")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("1 händelse", exact=True)).to_be_visible()
    check_accessibility(page, context="audit log filtered")
    page.get_by_role("link", name="Begäran om allmänna handlingar").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Begäran om allmänna handlingar")
    today = timezone.localdate().isoformat()
    page.get_by_label("Från").fill(today)
    page.get_by_label("Till").fill(today)
    page.get_by_role("button", name="Visa vad som ingår").click()
    expect(page.get_by_role("heading", name="0 allmänna handlingar")).to_be_visible()
    check_accessibility(page, context="records request")


def test_the_accessibility_statement_on_a_phone(live_server, phone_page, world):
    phone_page.goto(live_server.url + "/about/")
    phone_page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    check_accessibility(phone_page, context="statement, anonymous")
    sign_in(phone_page, live_server.url, world.bob.email, world.password)
    phone_page.goto(live_server.url + "/records/accessibility/")
    phone_page.get_by_label("Vad är problemet?").fill("Timern syns inte i mörkt läge.")
    phone_page.get_by_role("button", name="Skicka rapporten").click()
    expect(phone_page.get_by_text("Tack. Administratörerna har fått din rapport")).to_be_visible()
    check_accessibility(phone_page, context="statement, after reporting")

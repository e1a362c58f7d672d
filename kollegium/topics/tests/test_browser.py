"""Topics in a real browser: propose, respond, decide and take up; axe-core on every page,
on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility, sign_in
from kollegium.groups.models import LearningGroup
from kollegium.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_topic_pages_work_on_a_phone(live_server, phone_page, world):
    base = live_server.url
    sign_in(phone_page, base, world.alice.email, world.password)
    phone_page.goto(base + "/topics/")
    check_accessibility(phone_page, context="topics list, phone")
    phone_page.goto(f"{base}/topics/school/{world.school_a.pk}/priorities/")
    check_accessibility(phone_page, context="priorities, phone")


def test_propose_respond_decide_and_take_up(live_server, page, world):
    base = live_server.url
    sign_in(page, base, world.bob.email, world.password)
    page.goto(base + "/topics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ämnen för kollegialt lärande")
    check_accessibility(page, context="topics list")
    page.get_by_role("link", name="Föreslå ett ämne").click()
    check_accessibility(page, context="propose")
    page.locator("#id_title").fill("Återkoppling som används")
    page.get_by_role("button", name="Föreslå").click()
    # the need is required: a clear message, nothing saved
    assert not Topic.objects.exists()
    page.get_by_label("Elevernas lärandebehov som ämnet svarar mot").fill(
        "Eleverna ändrar sällan något efter återkopplingen."
    )
    page.get_by_role("button", name="Föreslå").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återkoppling som används")
    check_accessibility(page, context="topic")
    topic = Topic.objects.get()

    page.context.clear_cookies()
    sign_in(page, base, world.carol.email, world.password)
    page.goto(f"{base}/topics/{topic.pk}/")
    page.get_by_label("Jag kan bidra").check()
    page.get_by_role("button", name="Svara").click()
    expect(page.get_by_text("Tack: ditt svar visas på ämnet.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, base, world.alice.email, world.password)
    page.goto(f"{base}/topics/{topic.pk}/")
    check_accessibility(page, context="topic as leader")
    page.get_by_role("link", name="Ta upp det nu").click()
    check_accessibility(page, context="take up")
    page.get_by_label("En TeachMeet eller workshop").check()
    page.get_by_role("button", name="Ta upp det").click()
    group = LearningGroup.objects.get()
    assert group.guide.slug == "workshop"
    page.goto(f"{base}/topics/school/{world.school_a.pk}/priorities/")
    check_accessibility(page, context="priorities")

"""Rough edges of issue 16 that only a browser shows: the header's height, the focus ring's
contrast, radio buttons of one size, and a wide table the keyboard can reach."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kollegium.core.testing.browser import check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = el.parentElement;
  const clear = (e) => getComputedStyle(e).backgroundColor.startsWith("rgba(0, 0, 0, 0");
  while (bg && clear(bg)) { bg = bg.parentElement; }
  const a = lum(rgb(getComputedStyle(el).outlineColor));
  const b = lum(rgb(getComputedStyle(bg).backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("width", [1440, 1920])
def test_the_desktop_navigation_takes_one_row(live_server, browser, world, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    page = context.new_page()
    sign_in(page, live_server.url, world.bob.email, world.password)
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert height < 70, f"the header is {height} px high at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    check_accessibility(page, context=f"home at {width} px")
    context.close()


def test_the_focus_ring_has_three_to_one_contrast_on_the_header_and_the_navigation(
    live_server, page, world
):
    sign_in(page, live_server.url, world.bob.email, world.password)
    for selector in (".brand", ".site-nav a[href='/questions/']", ".language-switch button"):
        element = page.locator(selector).first
        element.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible applies
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 3, f"{selector}: focus ring contrast {ratio:.2f}:1"


def test_what_happened_radios_have_one_size(live_server, page, world):
    from kollegium.groups import services
    from kollegium.groups.tests.helpers import make_group, past_meeting

    group = make_group(world)
    earlier = past_meeting(group, 10)
    services.commitment_create(
        actor=world.bob, meeting=earlier, text="Pröva exit tickets", due_on=timezone.localdate()
    )
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=1), place="Rum 1"
    )
    sign_in(page, live_server.url, world.bob.email, world.password)
    page.goto(f"{live_server.url}/groups/meetings/{meeting.pk}/")
    radios = page.locator(".reflection-form input[type=radio]")
    assert radios.count() >= 3
    sizes = {tuple(round(v) for v in (r["width"], r["height"])) for r in radios.evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().toJSON())"
    )}  # fmt: skip
    assert len(sizes) == 1, sizes
    check_accessibility(page, context="meeting with a reflection form")


def test_a_wide_table_can_be_reached_and_scrolled_with_the_keyboard(live_server, phone_page, world):
    from kollegium.observations.models import ObservationRound, RoundStatus

    round_ = ObservationRound.objects.create(
        school=world.school_a, team=world.team_a, title="Auskultationsrunda hösten 2026",
        first_day=timezone.localdate(), last_day=timezone.localdate() + timedelta(days=11),
        created_by=world.carol, status=RoundStatus.PUBLISHED,
    )  # fmt: skip
    round_.participants.set([world.bob, world.carol])
    page = phone_page
    sign_in(page, live_server.url, world.alice.email, world.password)
    page.goto(f"{live_server.url}/observations/statistics/")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than a phone
    assert wrap.get_attribute("tabindex") == "0"
    check_accessibility(page, context="statistics on a phone")

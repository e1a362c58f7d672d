"""Measured journeys (issue 16): the eight everyday journeys walked in a real browser, on a
desktop and a 390×844 phone, in Swedish and English, with axe-core on every page visited.

Each journey counts its taps (clicks, a chosen file, a key that submits) and the seconds of
its scripted input, modelled rather than clocked so the figure means the same on any
machine: a tap is one second, a typed character 0.3 seconds (about 40 words a minute), no
thinking time. A journey longer than its target fails. The figures are printed (`-s`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from kollegium.core.testing.browser import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP_SECONDS = 1.0
CHAR_SECONDS = 0.3
VARIANTS = [("desktop", "sv"), ("desktop", "en"), ("phone", "sv"), ("phone", "en")]


@dataclass
class Journey:
    """A person's way through the pages: every tap and typed text goes through here."""

    page: Any
    name: str
    max_taps: int
    max_seconds: float | None = None
    taps: int = 0
    chars: int = 0
    pages: list[str] = field(default_factory=list)

    def look(self, what: str) -> None:
        self.pages.append(what)
        check_accessibility(self.page, context=f"{self.name}: {what}")

    def tap(self, locator: Any) -> None:
        locator.click()
        self.taps += 1
        self.page.wait_for_load_state()

    def type(self, locator: Any, text: str) -> None:
        locator.fill(text)
        self.chars += len(text)

    def choose_file(self, locator: Any, path: str) -> None:
        locator.set_input_files(path)
        self.taps += 1

    @property
    def seconds(self) -> float:
        return self.taps * TAP_SECONDS + self.chars * CHAR_SECONDS

    def done(self) -> None:
        print(f"\n{self.name}: {self.taps} taps, {self.seconds:.0f} s, pages {self.pages}")
        assert self.taps <= self.max_taps, f"{self.name}: {self.taps} taps > {self.max_taps}"
        if self.max_seconds is not None:
            assert self.seconds <= self.max_seconds, f"{self.name}: {self.seconds:.0f} s"


def words(language: str, sv: str, en: str) -> str:
    return sv if language == "sv" else en


@pytest.fixture(params=VARIANTS, ids=[f"{d}-{lang}" for d, lang in VARIANTS])
def visit(request, browser, live_server, world):
    """(page, base url, language): a fresh browser context per variant, in its language."""
    device, language = request.param
    options: dict[str, Any] = {"locale": "sv-SE" if language == "sv" else "en-GB"}
    if device == "phone":
        options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    else:
        options.update(viewport={"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.add_cookies([{"name": "kollegium_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    from kollegium.accounts.models import User

    User.objects.update(preferred_language=language)
    yield page, live_server.url, language
    context.close()


def _sign_in(journey: Journey | None, page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    if journey is not None:
        journey.look("sign-in page")
    form = page.locator("form[action$='/accounts/login/']")
    email_box, password_box = (
        form.locator("input[name=login]"),
        form.locator("input[name=password]"),
    )
    button = form.locator("button[type=submit]")
    if journey is None:
        email_box.fill(email)
        password_box.fill(password)
        button.click()
        page.wait_for_load_state()
        return
    journey.type(email_box, email)
    journey.type(password_box, password)
    journey.tap(button)


def test_sign_in_reaches_home_in_one_tap_after_typing(visit, world):
    page, base, language = visit
    journey = Journey(page, "sign in → home", max_taps=1)
    _sign_in(journey, page, base, world.bob.email, world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words(language, "Hej, Bob", "Hello, Bob")
    )
    journey.look("home")
    journey.done()


def test_a_first_competence_profile_of_eight_skills(visit, world):
    from kollegium.competence.models import SkillLevel

    page, base, _language = visit
    _sign_in(None, page, base, world.bob.email, world.password)
    journey = Journey(page, "first competence profile", max_taps=15, max_seconds=120)
    journey.look("home")
    journey.tap(page.locator("a[href='/competence/quick/']").first)
    journey.look("quick start")
    skills = page.locator("fieldset.quick-skill")
    assert skills.count() >= 8
    for i in range(8):
        row = skills.nth(i)
        journey.tap(row.locator(".level-taps label").nth(i % 4))
        expect(row.get_by_role("status")).not_to_be_empty()
    journey.look("quick start, eight levels set")
    assert SkillLevel.objects.filter(user=world.bob).count() == 8
    journey.tap(page.locator("form.quick-start button[type=submit]"))
    journey.look("profile")
    journey.done()


def test_who_can_help_with_a_typed_need(visit, world):
    from kollegium.competence.models import Skill, SkillLevel

    page, base, language = visit
    SkillLevel.objects.create(
        user=world.carol, skill=Skill.objects.get(key="assessment.formative"), level=4,
        willing_to_share=True,
    )  # fmt: skip
    _sign_in(None, page, base, world.bob.email, world.password)
    journey = Journey(page, "who can help", max_taps=3)
    journey.look("home")
    journey.type(
        page.locator("#quick-help-q"), words(language, "formativ bedömning", "formative assessment")
    )
    journey.tap(page.locator(".quick-actions button[type=submit]"))
    expect(page.locator("main")).to_contain_text("Carol Chen")
    journey.look("who can help")
    journey.done()


def test_ask_anonymously(visit, world):
    from kollegium.questions.models import Question

    page, base, language = visit
    _sign_in(None, page, base, world.bob.email, world.password)
    journey = Journey(page, "ask anonymously", max_taps=5)
    journey.look("home")
    journey.tap(page.locator(".quick-actions a[href='/questions/ask/']"))
    journey.look("ask")
    journey.type(
        page.get_by_label(words(language, "Din fråga", "Your question")),
        words(language, "Hur får jag alla att våga svara?", "How do I get everyone to answer?"),
    )
    journey.tap(page.get_by_label(words(language, "Fråga anonymt", "Ask anonymously")))
    journey.tap(page.locator("form button[type=submit]", has_text=re.compile("^(Fråga|Ask)$")))
    journey.look("asked")
    question = Question.objects.get()
    assert question.is_anonymous and question.author_id is None
    journey.done()


def test_quick_share_a_tip_with_a_photo(visit, world, tmp_path):
    from kollegium.library.models import Item

    page, base, language = visit
    photo = tmp_path / "tavlan.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (230, 230, 210)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    _sign_in(None, page, base, world.bob.email, world.password)
    journey = Journey(page, "quick share with a photo", max_taps=4)
    journey.look("home")
    journey.tap(page.locator(".quick-actions a[href='/library/share/']"))
    journey.look("quick share")
    journey.type(page.get_by_label(words(language, "Rubrik", "Title")), "Exit tickets")
    journey.choose_file(
        page.get_by_label(
            words(language, "Foto eller fil (frivilligt)", "Photo or file (optional)")
        ),
        str(photo),
    )
    journey.tap(page.locator("main form button[type=submit]").last)
    expect(page.get_by_role("heading", level=1, name="Exit tickets")).to_be_visible()
    journey.look("shared item")
    assert Item.objects.get().attachments.count() == 1
    journey.done()


def test_home_to_the_next_meetings_agenda(visit, world):
    from kollegium.groups import services
    from kollegium.groups.tests.helpers import make_group

    page, base, _language = visit
    group = make_group(world, name="Läslyftet 4–6")
    meeting = services.meeting_schedule(
        actor=world.carol, group=group, starts_at=timezone.now() + timedelta(days=2),
        place="Rum 12",
    )  # fmt: skip
    _sign_in(None, page, base, world.bob.email, world.password)
    journey = Journey(page, "home → next meeting's agenda", max_taps=1)
    journey.look("home")
    journey.tap(page.locator(f"a[href='/groups/meetings/{meeting.pk}/']").first)
    expect(page.locator("#agenda-heading")).to_be_visible()
    journey.look("meeting agenda")
    journey.done()


def test_a_leader_reaches_where_time_falls_short(visit, world):
    page, base, _language = visit
    _sign_in(None, page, base, world.alice.email, world.password)
    journey = Journey(page, "leader: home → where time falls short", max_taps=2)
    journey.look("leader's home")
    journey.tap(
        page.locator(f".leader-home a[href^='/insights/school/{world.school_a.pk}/']").first
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert f"/insights/school/{world.school_a.pk}/" in page.url
    journey.look("time and learning at the school")
    journey.done()


def test_accept_an_invitation_and_land_on_a_useful_first_page(visit, world):
    from kollegium.organisations import services

    page, base, language = visit
    mail.outbox.clear()
    services.invitation_create(
        actor=world.alice, school=world.school_a, email="nina@a.example", full_name="Nina Ny"
    )
    link = re.search(r"https?://\S+/school/invitation/\S+/", mail.outbox[-1].body).group(0)
    journey = Journey(page, "accept an invitation", max_taps=3)
    page.goto(f"{base}/school/{link.split('/school/', 1)[1]}")
    journey.look("invitation")
    journey.type(page.locator("input[type=password]").nth(0), "ett-bra-langt-losenord-9")
    journey.type(page.locator("input[type=password]").nth(1), "ett-bra-langt-losenord-9")
    journey.tap(page.locator("main form button[type=submit]").last)
    expect(page.locator("main")).to_contain_text(
        words(language, "Din första vecka", "Your first week")
    )
    journey.look("first page")
    journey.done()

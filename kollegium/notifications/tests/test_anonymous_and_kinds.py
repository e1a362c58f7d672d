"""Digests keep anonymous questions anonymous; every kind the code sends is named (issue 16)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from kollegium.competence.models import Skill, SkillLevel
from kollegium.notifications.kinds import catalogue
from kollegium.notifications.models import EmailDelivery, Preference
from kollegium.notifications.services import digests_send
from kollegium.notifications.tokens import SALT
from kollegium.questions import services as questions
from kollegium.questions.models import Question

ROOT = Path(__file__).resolve().parents[2]
TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")


@pytest.mark.django_db
def test_a_digest_of_an_anonymous_question_names_no_asker_and_gives_no_time(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    skill = Skill.objects.get(key="inclusion.npf")
    for person in (world.carol, world.alice):
        SkillLevel.objects.create(user=person, skill=skill, level=4, willing_to_share=True)
        Preference.objects.create(user=person, kind="questions.routed", delivery="daily")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.bob).post(
            reverse("questions:ask"),
            {
                "title": "Hur gör ni med högläsning?",
                "body": "Åk 5.",
                "skills": [skill.key],
                "visibility": "school",
                "anonymous": "on",
            },
        )
    assert Question.objects.get().is_anonymous
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert questions.questions_route_waiting(now=later) == 1
    assert mailoutbox == []
    rows = EmailDelivery.objects.filter(kind="questions.routed")
    assert rows.exists() and all(r.emailed_on is None for r in rows)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(period="daily") >= 1
    assert mailoutbox
    bob = world.bob
    for mail in mailoutbox:
        text = mail.body + mail.alternatives[0][0] + mail.subject
        assert "Hur gör ni med högläsning?" in text
        for identifier in (bob.email, bob.full_name, bob.get_short_name()):
            assert identifier not in text
        assert TIME.search(mail.body) is None, mail.body
        token = mail.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
        payload = signing.loads(token, salt=SALT)
        assert set(payload) == {"u", "k"}  # the person and the kinds: no question, no time
        assert payload["u"] != bob.pk


def _arguments(text: str, start: int) -> str:
    """The text of a call's arguments: up to its closing parenthesis."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    return text[start:]


def _sent_kinds() -> set[str]:
    """Every kind passed to notification_send (or the apps' helpers around it) in the code."""
    found: set[str] = set()
    for path in (ROOT).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"(notification_send|_tell_speaker|_notify)\(", text):
            chunk = _arguments(text, call.end())
            found.update(re.findall(r'kind="([\w.]+)"', chunk))
            found.update(re.findall(r'"(observation_[a-z_]+)"', chunk))
    return found


def test_every_kind_the_code_sends_has_a_name_and_a_default():
    sent = _sent_kinds()
    assert {"questions.routed", "groups.talk_moved", "observation_requested"} <= sent
    named = {kind.key for kind in catalogue().kinds}
    assert sent - named == set()


def test_every_kind_has_swedish_and_english_names_and_a_known_area():
    areas = {area.key for area in catalogue().areas}
    for kind in catalogue().kinds:
        assert dict(kind.names).keys() == {"sv", "en"}, kind.key
        assert kind.area in areas, kind.key

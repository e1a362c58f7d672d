"""Notes and feedback are the pair's alone. Leaders see counts; other schools see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kollegium.observations import services
from kollegium.observations.hooks import calendar_events, home_panel
from kollegium.observations.models import ObservationRound, RoundPair, RoundStatus
from kollegium.observations.tests.helpers import make_observation, soon

pytestmark = pytest.mark.django_db

SECRETS = ("HEMLIG-ANTECKNING", "HEMLIG-STJÄRNA", "HEMLIG-ÖNSKAN", "HEMLIG-DETALJ")


@pytest.fixture
def private_observation(world):
    round_ = ObservationRound.objects.create(
        school=world.school_a,
        team=world.team_a,
        title="Runda A",
        first_day=timezone.localdate() - timedelta(days=7),
        last_day=timezone.localdate(),
        status=RoundStatus.PUBLISHED,
        created_by=world.carol,
    )
    round_.participants.set([world.bob, world.carol])
    start = soon(days=-1)
    pair = RoundPair.objects.create(
        round=round_,
        observer=world.carol,
        observed=world.bob,
        lesson_ref="x",
        start=start,
        end=start + timedelta(hours=1),
        status="confirmed",
        observer_response="accepted",
        observed_response="accepted",
    )
    observation = make_observation(
        school=world.school_a,
        observer=world.carol,
        observed=world.bob,
        start=start,
        round_pair=pair,
    )
    observation.focus_detail = "HEMLIG-DETALJ"
    observation.save()
    services.observation_note_add(
        actor=world.carol, observation=observation, body="HEMLIG-ANTECKNING"
    )
    services.observation_feedback_save(
        actor=world.carol,
        observation=observation,
        answers={"star_1": "HEMLIG-STJÄRNA", "wish": "HEMLIG-ÖNSKAN"},
    )
    services.observation_mark_done(actor=world.bob, observation=observation)
    return observation


def assert_no_secrets(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked on {where}"


def test_the_pair_sees_every_note_and_all_feedback(client_for, world, private_observation):
    for person in (world.bob, world.carol):
        page = (
            client_for(person)
            .get(reverse("observations:detail", args=[private_observation.pk]))
            .content.decode()
        )
        for secret in SECRETS:
            assert secret in page


def test_a_leader_sees_counts_but_never_content_on_any_page_or_export(
    client_for, world, private_observation
):
    alice = client_for(world.alice)
    urls = [
        reverse("core:home"),
        reverse("observations:home"),
        reverse("observations:rounds"),
        reverse("observations:round_detail", args=[private_observation.round_pair.round_id]),
        reverse("observations:statistics"),
        reverse("observations:statistics_csv"),
        reverse("core:notifications"),
    ]
    for url in urls:
        response = alice.get(url)
        assert response.status_code == 200, url
        assert_no_secrets(response.content.decode(), url)
    stats = alice.get(reverse("observations:statistics")).content.decode()
    assert "Runda A" in stats
    csv = alice.get(reverse("observations:statistics_csv")).content.decode()
    row = next(line for line in csv.splitlines() if line.startswith("Runda A,Arbetslag"))
    # Two people: below the owner's minimum group size, so no numbers and no names.
    assert row.endswith(",,,,,,,För få för att visas")
    assert "Carol Chen" not in csv
    assert (
        alice.get(reverse("observations:detail", args=[private_observation.pk])).status_code == 404
    )


def test_dave_never_sees_school_a_observations_anywhere(client_for, world, private_observation):
    dave = client_for(world.dave)
    for url in (reverse("core:home"), reverse("observations:home")):
        page = dave.get(url).content.decode()
        assert_no_secrets(page, url)
        assert "Bob Berg" not in page and "Carol Chen" not in page
    for url in (
        reverse("observations:detail", args=[private_observation.pk]),
        reverse("observations:statistics"),
        reverse("observations:statistics_csv"),
        reverse("observations:round_detail", args=[private_observation.round_pair.round_id]),
    ):
        assert dave.get(url).status_code == 404, url
    window = (timezone.now() - timedelta(days=30), timezone.now() + timedelta(days=30))
    assert list(calendar_events(world.dave, *window)) == []


def test_calendar_feeds_carry_the_pair_only_and_no_content(world, private_observation):
    window = (timezone.now() - timedelta(days=30), timezone.now() + timedelta(days=30))
    assert list(calendar_events(world.alice, *window)) == []
    for person in (world.bob, world.carol):
        events = list(calendar_events(person, *window))
        assert [e.uid for e in events] == [f"observation-{private_observation.pk}@kollegium"]
        for event in events:
            assert_no_secrets(f"{event.title} {event.description} {event.location}", "feed")


def test_a_cancelled_observation_stays_in_the_feed_as_cancelled_with_the_same_uid(world):
    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    window = (timezone.now(), timezone.now() + timedelta(days=30))
    (before,) = calendar_events(world.bob, *window)
    services.observation_cancel(actor=world.carol, observation=observation, reason="Sjuk")
    (after,) = calendar_events(world.bob, *window)
    assert after.uid == before.uid and after.cancelled and not before.cancelled
    assert after.sequence > before.sequence


def test_a_booked_debrief_is_its_own_calendar_event(world, private_observation):
    later = private_observation.end + timedelta(hours=3)
    services.observation_debrief_set(
        actor=world.bob,
        observation=private_observation,
        start=later,
        end=later + timedelta(minutes=30),
    )
    window = (timezone.now() - timedelta(days=30), timezone.now() + timedelta(days=30))
    uids = {e.uid for e in calendar_events(world.carol, *window)}
    assert f"observation-debrief-{private_observation.pk}@kollegium" in uids


def test_the_home_panel_counts_what_waits_without_content(rf, world):
    make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="requested"
    )
    request = rf.get("/")
    request.user = world.carol
    panel = home_panel(request)
    assert panel is not None and panel["to_answer"] == 1
    request.user = world.bob
    assert home_panel(request)["to_answer"] == 0


def test_the_private_feed_carries_a_cancelled_observation_with_its_stable_uid(client, world):
    import icalendar

    from kollegium.scheduling.services import calendar_feed_create

    observation = make_observation(
        school=world.school_a, observer=world.carol, observed=world.bob, status="agreed"
    )
    services.observation_cancel(actor=world.bob, observation=observation, reason="Sjuk")
    _, token = calendar_feed_create(actor=world.carol)
    response = client.get(reverse("scheduling:feed", args=[token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = [
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]) == f"observation-{observation.pk}@kollegium"
    ]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == observation.sequence == 1  # bumped by the cancellation
    assert "Sjuk" not in response.content.decode()

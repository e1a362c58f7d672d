"""Immediate emails, digests, the daily cap and read-time language (issue 16)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from kollegium.core.models import Notification
from kollegium.core.notices import in_each_language
from kollegium.core.services import notification_send
from kollegium.notifications.models import CapNotice, Digest, EmailDelivery, Preference
from kollegium.notifications.services import digests_send
from kollegium.notifications.tokens import read_token

pytestmark = pytest.mark.django_db


def _send(capture, recipient, kind="questions.answered", name="Alice", **kwargs):
    with capture(execute=True):
        return notification_send(
            recipient=recipient,
            kind=kind,
            title=gettext_lazy("%(name)s answered your question"),
            params={"name": name},
            body="Hur börjar jag med exit tickets?",
            url="/questions/1/",
            **kwargs,
        )


def _prefer(user, kind, delivery):
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def test_an_immediate_kind_is_emailed_at_once_with_one_click_unsubscribe_headers(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks, world.bob)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Kollegium] Alice svarade på din fråga"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/notifications/unsubscribe/")
    assert url in mail.body
    assert "http://testserver/notifications/settings/" in mail.body
    html = mail.alternatives[0]
    assert html[1] == "text/html" and url.replace("&", "&amp;") in html[0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = read_token(token)
    assert link is not None
    assert link.user_id == world.bob.pk and link.kinds == ("questions.answered",)


def test_a_kind_set_to_daily_waits_for_the_digest_and_off_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(world.bob, "questions.answered", "daily")
    _prefer(world.bob, "questions.routed", "off")
    _send(django_capture_on_commit_callbacks, world.bob)
    _send(django_capture_on_commit_callbacks, world.bob, kind="questions.routed")
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=world.bob).count() == 2  # both in the app
    assert list(EmailDelivery.objects.values_list("kind", "delivery")) == [
        ("questions.answered", "daily")
    ]


def test_the_kinds_default_applies_until_the_person_chooses(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    # questions.accepted defaults to the daily digest (kinds.yaml).
    _send(django_capture_on_commit_callbacks, world.bob, kind="questions.accepted")
    assert mailoutbox == []
    _prefer(world.bob, "questions.accepted", "immediately")
    _send(django_capture_on_commit_callbacks, world.bob, kind="questions.accepted")
    assert len(mailoutbox) == 1


def test_a_digest_is_one_email_grouped_by_kind_in_the_persons_language_and_sent_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    dave = world.dave
    dave.preferred_language = "en"
    dave.save()
    for kind in ("questions.answered", "groups.commitment_due"):
        _prefer(dave, kind, "daily")
    _send(django_capture_on_commit_callbacks, dave, name="Eva")
    _send(django_capture_on_commit_callbacks, dave, name="Erik")
    _send(django_capture_on_commit_callbacks, dave, kind="groups.commitment_due", name="Ida")
    _prefer(world.bob, "questions.answered", "daily")
    _send(django_capture_on_commit_callbacks, world.bob, name="Carol")
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(period="daily") == 2
    by_person = {m.to[0]: m for m in mailoutbox}
    english = by_person[dave.email]
    assert english.subject == "[Kollegium] 3 notifications today"
    assert "Someone answered your question (2)" in english.body
    assert "Your commitment awaits a reflection (1)" in english.body
    assert "Eva answered your question" in english.body
    assert english.body.index("Eva answered") < english.body.index("Erik answered")
    assert "List-Unsubscribe" in english.extra_headers
    swedish = by_person[world.bob.email]
    assert swedish.subject == "[Kollegium] 1 avisering i dag"
    assert "Carol svarade på din fråga" in swedish.body
    assert swedish.alternatives[0][1] == "text/html"

    # A second run in the same period sends nothing twice, even with new notifications:
    # they wait for the next day's digest.
    mailoutbox.clear()
    _send(django_capture_on_commit_callbacks, dave, name="Hanna")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(period="daily") == 0
    assert mailoutbox == []
    assert Digest.objects.filter(recipient=dave).count() == 1
    tomorrow = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(period="daily", now=tomorrow) == 1
    assert len(mailoutbox) == 1 and "Hanna answered your question" in mailoutbox[0].body
    assert "Eva answered" not in mailoutbox[0].body


def test_the_weekly_digest_is_sent_by_the_command(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    def command(period):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("notifications_digest", "--period", period, stdout=io.StringIO())

    _prefer(world.bob, "questions.answered", "weekly")
    _send(django_capture_on_commit_callbacks, world.bob)
    command("daily")
    assert mailoutbox == []
    command("weekly")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[Kollegium] 1 avisering den här veckan"
    command("weekly")
    assert len(mailoutbox) == 1
    digest = Digest.objects.get()
    assert digest.period == "weekly" and digest.starts_on.weekday() == 0 and digest.count == 1


def test_past_the_daily_cap_the_rest_goes_to_the_digest_and_the_person_is_told_once(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAILS_PER_DAY = 2
    for name in ("A", "B", "C", "D"):
        _send(django_capture_on_commit_callbacks, world.bob, name=name)
    subjects = [m.subject for m in mailoutbox]
    assert subjects[:2] == [
        "[Kollegium] A svarade på din fråga",
        "[Kollegium] B svarade på din fråga",
    ]
    assert len(subjects) == 3  # the cap's notice, once
    assert "i morgon" in subjects[2]
    assert "List-Unsubscribe" not in mailoutbox[2].extra_headers
    assert CapNotice.objects.filter(recipient=world.bob).count() == 1
    assert EmailDelivery.objects.filter(over_cap=True, delivery="daily").count() == 2

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(period="daily") == 1
    assert "C svarade" in mailoutbox[0].body and "D svarade" in mailoutbox[0].body
    assert "A svarade" not in mailoutbox[0].body


def test_no_email_at_all_when_the_person_turned_email_off_or_for_an_in_app_only_notice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks, world.bob, email=False)
    world.carol.wants_email_notifications = False
    world.carol.save()
    _send(django_capture_on_commit_callbacks, world.carol)
    assert mailoutbox == [] and not EmailDelivery.objects.exists()


def test_a_notification_reads_in_the_readers_current_language(world, client_for):
    with translation.override("sv"):
        notification_send(
            recipient=world.bob,
            kind="groups.commitment_due",
            title=gettext_lazy("How did it go? Your commitment in %(group)s"),
            body=gettext_lazy(
                "You planned to try this before %(date)s: “%(text)s”. Write a short "
                "reflection – if it did not work, what you learned is just as valuable."
            ),
            params={
                "group": "Matematiklyftet",
                "date": in_each_language(lambda: translation.gettext("Notifications")),
                "text": "Exit tickets",
            },
            email=False,
        )
    stored = Notification.objects.get(recipient=world.bob)
    assert stored.title == "Hur gick det? Ditt åtagande i Matematiklyftet"
    world.bob.preferred_language = "en"
    world.bob.save()
    page = client_for(world.bob).get("/notifications/").content.decode()
    assert "How did it go? Your commitment in Matematiklyftet" in page
    assert "before Notifications" in page  # the parameter, in English too
    assert "Hur gick det" not in page


def test_a_notification_stored_before_message_keys_shows_its_text(world, client_for):
    Notification.objects.create(recipient=world.bob, kind="old", title="Gammal rubrik")
    page = client_for(world.bob).get("/notifications/").content.decode()
    assert "Gammal rubrik" in page


def test_what_was_sent_is_kept_for_thirty_days(world):
    today = timezone.localdate()
    old, recent = today - timedelta(days=31), today - timedelta(days=29)
    digest = Digest.objects.create(recipient=world.bob, period="daily", starts_on=old, count=1)
    EmailDelivery.objects.create(
        notification_id=1, recipient=world.bob, kind="k", delivery="daily", digest=digest
    )
    EmailDelivery.objects.create(
        notification_id=2, recipient=world.bob, kind="k", delivery="immediately", emailed_on=old
    )
    EmailDelivery.objects.create(
        notification_id=3, recipient=world.bob, kind="k", delivery="immediately", emailed_on=recent
    )
    EmailDelivery.objects.create(
        notification_id=4, recipient=world.bob, kind="k", delivery="weekly"
    )
    CapNotice.objects.create(recipient=world.bob, day=old)
    digests_send(period="daily")
    assert sorted(EmailDelivery.objects.values_list("notification_id", flat=True)) == [3, 4]
    assert not Digest.objects.exists() and not CapNotice.objects.exists()

"""Erasure: scheduled by a school's manager, carried out after the grace period; afterwards no
row of any table and no file holds the person's name or email; a run that stops halfway
finishes when run again."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from kollegium.core import registry
from kollegium.core.models import AuditEvent, Notification
from kollegium.core.services import audit_record, notification_send
from kollegium.library import services as library
from kollegium.library.models import Attachment, Item, Visibility
from kollegium.privacy import services
from kollegium.privacy.models import DataExport, ErasureRequest, ErasureStatus, OwnerPrivacySettings
from kollegium.privacy.tasks import erase
from kollegium.privacy.tests.helpers import database_dump, media_dump
from kollegium.questions import services as questions

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Bob Berg", "bob@a.example"


def _bob_everywhere(world, media):
    """Bob's traces in several apps, his name also in other people's rows and in a file."""
    bob, carol = world.bob, world.carol
    draft = library.item_create(
        actor=bob, school=world.school_a, title="Mitt utkast", visibility=Visibility.PRIVATE
    )
    Attachment.objects.create(
        item=draft,
        file=ContentFile(f"Anteckningar av {NAME}, {EMAIL}".encode(), name="a.txt"),
        original_name=f"{NAME}.txt",
        mime_type="text/plain",
        kind=Attachment.Kind.DOCUMENT,
        size=40,
        uploaded_by=bob,
    )
    published = library.item_create(
        actor=bob,
        school=world.school_a,
        title="Exit tickets i åk 5",
        body=f"Skrivet av {NAME} ({EMAIL}) efter tre veckor.",
        visibility=Visibility.SCHOOL,
    )
    notification_send(
        recipient=carol, kind="test", title=f"{NAME} svarade", body=EMAIL, email=False
    )
    notification_send(recipient=bob, kind="test", title="Till Bob", email=False)
    questions.question_ask(actor=bob, school=world.school_a, title="Öppen fråga om betyg")
    anonymous, _token = questions.question_ask(
        actor=bob, school=world.school_a, title="Anonym fråga", anonymous=True
    )
    audit_record(actor=carol, action="test.invited", data={"email": EMAIL, "names": [NAME]})
    return draft, published, anonymous


def _schedule(world, admin, **kwargs):
    values = {"reason": "request", **kwargs}
    return services.erasure_schedule(
        actor=admin, school=world.school_a, person_id=world.bob.pk, **values
    )


def _run(erasure, django_capture_on_commit_callbacks):
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_at=timezone.now())
    return erase(erasure.pk)


def test_it_leaves_no_name_or_email_in_the_database_or_the_media_folder(
    world, admin_a, media, django_capture_on_commit_callbacks
):
    draft, published, anonymous = _bob_everywhere(world, media)
    with django_capture_on_commit_callbacks(execute=True):  # Carol's export names Bob
        carols = services.export_request(actor=world.carol)
    carols.refresh_from_db()
    assert carols.status == "done" and NAME in media_dump(media).split(carols.file.name)[1]
    assert NAME in database_dump() and EMAIL in database_dump()
    assert NAME in media_dump(media)
    erasure = _schedule(world, admin_a)

    assert _run(erasure, django_capture_on_commit_callbacks) == "done"

    dump = database_dump()
    assert NAME not in dump
    assert EMAIL not in dump
    assert NAME not in media_dump(media) and EMAIL not in media_dump(media)
    # The draft and its file are gone; the published item stays, by the role.
    assert not Item.objects.filter(pk=draft.pk).exists()
    kept = Item.objects.get(pk=published.pk)
    assert "en lärare på Skola A" in kept.body
    assert kept.created_by_id == world.bob.pk
    world.bob.refresh_from_db()
    assert world.bob.full_name == "en lärare på Skola A"
    assert not world.bob.is_active and not world.bob.has_usable_password()
    # Bob's own notifications go; Carol's stays, naming the role.
    assert not Notification.objects.filter(recipient=world.bob).exists()
    assert Notification.objects.get(recipient=world.carol).title == "en lärare på Skola A svarade"
    # The anonymous question stays, and nothing (not even the keyed digest) points at him.
    anonymous.refresh_from_db()
    assert anonymous.asker_digest == "" and anonymous.author_id is None
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.DONE
    assert erasure.records_reason  # the decision's reason is kept
    assert not DataExport.objects.filter(pk=carols.pk).exists()  # she can export again
    assert AuditEvent.objects.filter(action="privacy.erasure_done").exists()


def test_the_owner_may_decide_that_the_persons_own_records_go_too(
    world, admin_a, media, django_capture_on_commit_callbacks
):
    _draft, published, _anonymous = _bob_everywhere(world, media)
    with pytest.raises(ValidationError) as refused:
        _schedule(world, admin_a, records="delete")
    assert "records_reason" in refused.value.message_dict  # a different decision needs a reason
    erasure = _schedule(world, admin_a, records="delete", records_reason="Bob bad om det.")

    _run(erasure, django_capture_on_commit_callbacks)

    assert not Item.objects.filter(pk=published.pk).exists()
    erasure.refresh_from_db()
    assert erasure.records == "delete" and erasure.records_reason == "Bob bad om det."


def test_the_owner_may_decide_to_keep_the_records_attributed(
    world, admin_a, media, django_capture_on_commit_callbacks
):
    draft, published, _anonymous = _bob_everywhere(world, media)
    with pytest.raises(ValidationError) as refused:
        _schedule(world, admin_a, records="keep")
    assert "records_reason" in refused.value.message_dict
    erasure = _schedule(
        world, admin_a, records="keep", records_reason="Nämndens beslut: forskningsrapporten."
    )
    event = AuditEvent.objects.get(action="privacy.erasure_scheduled")
    assert event.data["records"] == "keep"

    assert _run(erasure, django_capture_on_commit_callbacks) == "done"

    # The published item keeps his name (not his email); his row keeps the name only.
    kept = Item.objects.get(pk=published.pk)
    assert NAME in kept.body and EMAIL not in kept.body
    world.bob.refresh_from_db()
    assert world.bob.full_name == NAME and EMAIL not in world.bob.email
    assert not world.bob.is_active and not world.bob.has_usable_password()
    # Working material and everything that is not an official record is still erased.
    assert not Item.objects.filter(pk=draft.pk).exists()
    assert Notification.objects.get(recipient=world.carol).title == "en lärare på Skola A svarade"
    assert EMAIL not in database_dump() and EMAIL not in media_dump(media)
    erasure.refresh_from_db()
    assert erasure.records == "keep"
    assert erasure.records_reason == "Nämndens beslut: forskningsrapporten."


def test_an_erasure_that_stops_halfway_finishes_when_run_again(
    world, admin_a, media, django_capture_on_commit_callbacks, monkeypatch
):
    _bob_everywhere(world, media)
    erasure = _schedule(world, admin_a)
    real = next(e for e in registry.personal_data() if e.model == "groups.Commitment")
    calls = {"n": 0}

    def breaks_once(erasure_: registry.Erasure) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the database went away")
        return 0

    monkeypatch.setitem(
        registry._personal_data, real.model, replace(real, erase=breaks_once, text_fields=())
    )

    assert _run(erasure, django_capture_on_commit_callbacks) == "failed"
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.FAILED
    assert erasure.steps_done  # the steps before the failure are done...
    assert "groups.Commitment" not in erasure.steps_done  # ...the failed one is not
    assert NAME in database_dump()  # the person's own row is the last step

    assert _run(erasure, django_capture_on_commit_callbacks) == "done"
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.DONE
    assert NAME not in database_dump() and EMAIL not in database_dump()
    assert NAME not in media_dump(media)


def test_a_scheduled_erasure_waits_for_the_grace_period_and_can_be_cancelled(world, admin_a):
    OwnerPrivacySettings.objects.create(owner=world.owner, grace_days=10)
    erasure = _schedule(world, admin_a)
    assert erasure.due_at.date() == (timezone.now() + timedelta(days=10)).date()
    with pytest.raises(ValidationError):
        services.erasure_run(actor=admin_a, erasure=erasure)
    assert erase(erasure.pk) == "skipped"  # the nightly run leaves it until it is due
    services.erasure_cancel(actor=admin_a, erasure=erasure)
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CANCELLED
    world.bob.refresh_from_db()
    assert world.bob.full_name == NAME


def test_only_the_schools_managers_erase_and_never_themselves(world, admin_a):
    for who in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            _schedule(world, who)
    with pytest.raises(PermissionDenied):
        services.erasure_schedule(
            actor=admin_a, school=world.school_a, person_id=admin_a.pk, reason="request"
        )
    with pytest.raises(PermissionDenied):  # Dave is not at School A
        services.erasure_schedule(
            actor=admin_a, school=world.school_a, person_id=world.dave.pk, reason="left"
        )
    _schedule(world, world.alice)  # the leader manages the school too
    with pytest.raises(ValidationError):  # one open erasure per person
        _schedule(world, admin_a)


def test_bad_choices_are_refused_and_nothing_is_saved(world, admin_a):
    for values in (
        {"reason": "retention"},
        {"reason": "zz"},
        {"records": "keep-everything"},
        {"records": "delete", "records_reason": "x" * 2001},
    ):
        with pytest.raises(ValidationError):
            _schedule(world, admin_a, **values)
    assert not ErasureRequest.objects.exists()

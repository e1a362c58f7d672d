"""Retention: each owner's rules (or the defaults) run nightly; each run logged with counts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kollegium.core.models import AuditEvent, Notification
from kollegium.observations.models import ObservationNote
from kollegium.observations.tests.helpers import make_observation
from kollegium.privacy.models import (
    DataExport,
    ErasureRequest,
    ErasureStatus,
    OwnerPrivacySettings,
    RetentionRun,
    SignIn,
)
from kollegium.privacy.services import retention_run

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _notification(person, days_ago):
    note = Notification.objects.create(recipient=person, kind="t", title=f"{days_ago} dagar")
    Notification.objects.filter(pk=note.pk).update(created_at=NOW - timedelta(days=days_ago))
    return note


def _note(world, days_ago):
    start = NOW - timedelta(days=days_ago)
    observation = make_observation(
        school=world.school_a, observer=world.bob, observed=world.carol, start=start
    )
    return ObservationNote.objects.create(observation=observation, author=world.bob, body="x")


def test_the_defaults_remove_what_is_older_than_the_issues_rules(world):
    old, recent = _notification(world.bob, 91), _notification(world.bob, 89)
    old_note, recent_note = _note(world, 370), _note(world, 300)
    SignIn.objects.create(user=world.bob, at=NOW - timedelta(days=370))
    kept_sign_in = SignIn.objects.create(user=world.bob, at=NOW - timedelta(days=300))

    run = retention_run(now=NOW)

    assert not Notification.objects.filter(pk=old.pk).exists()
    assert Notification.objects.filter(pk=recent.pk).exists()
    assert not ObservationNote.objects.filter(pk=old_note.pk).exists()
    assert ObservationNote.objects.filter(pk=recent_note.pk).exists()
    assert list(SignIn.objects.values_list("pk", flat=True)) == [kept_sign_in.pk]
    assert run.counts["notifications"] == 1
    assert run.counts["observation_notes"] == 1
    assert run.counts["sign_ins"] == 1
    assert run.finished_at is not None
    assert AuditEvent.objects.filter(action="privacy.retention_run").count() == 1


def test_the_owners_own_rules_apply_to_its_schools_people(world):
    OwnerPrivacySettings.objects.create(owner=world.owner, notifications_days=30)
    at_owner = _notification(world.bob, 40)
    elsewhere_person = world.bob.__class__.objects.create_user(
        email="nobody@x.example", full_name="Ingen Skola"
    )
    elsewhere = _notification(elsewhere_person, 40)  # defaults: 90 days

    retention_run(now=NOW)

    assert not Notification.objects.filter(pk=at_owner.pk).exists()
    assert Notification.objects.filter(pk=elsewhere.pk).exists()


def test_long_deactivated_accounts_are_erased_and_due_erasures_carried_out(world, media):
    world.dave.is_active = False
    world.dave.last_login = NOW - timedelta(days=30 * 25)
    world.dave.save()
    world.carol.is_active = False
    world.carol.last_login = NOW - timedelta(days=30 * 10)  # not long enough
    world.carol.save()

    run = retention_run(now=NOW)

    erasure = ErasureRequest.objects.get()
    assert erasure.person_id == world.dave.pk and erasure.reason == "retention"
    assert erasure.status == ErasureStatus.DONE
    world.dave.refresh_from_db()
    assert world.dave.full_name == "en lärare på Skola B"
    assert run.counts["deactivated_accounts"] == 1 and run.counts["erasures"] == 1
    retention_run(now=NOW)  # the next night does not erase Dave again
    assert ErasureRequest.objects.count() == 1


def test_old_exports_and_their_files_go(world, media):
    from django.core.files.base import ContentFile

    export = DataExport.objects.create(person=world.bob, status="done")
    export.file.save("x.zip", ContentFile(b"PK"), save=True)
    DataExport.objects.filter(pk=export.pk).update(created_at=NOW - timedelta(days=8))
    path = export.file.path

    retention_run(now=NOW)

    assert not DataExport.objects.exists()
    import os

    assert not os.path.exists(path)


def test_the_nightly_command_logs_its_counts(world):
    _notification(world.bob, 100)
    out = StringIO()
    call_command("retention_run", stdout=out)
    assert "aviseringar: 1" in out.getvalue() or "notifications: 1" in out.getvalue()
    assert RetentionRun.objects.get().counts["notifications"] == 1


def test_removed_notifications_leave_the_home_page_of_their_recipient(world):
    from kollegium.core.models import HomeVersion

    _notification(world.bob, 100)
    before = HomeVersion.objects.get_or_create(user=world.bob)[0].version
    carol_before = HomeVersion.objects.get_or_create(user=world.carol)[0].version

    retention_run(now=NOW)

    assert HomeVersion.objects.get(user=world.bob).version != before
    assert HomeVersion.objects.get(user=world.carol).version == carol_before

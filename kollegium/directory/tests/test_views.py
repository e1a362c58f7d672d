"""The administrator's pages for school systems: who sees them, and what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kollegium.core.testing.factories import UserFactory
from kollegium.directory import services
from kollegium.directory.models import DirectorySource, SyncRun
from kollegium.directory.tests.fake_ss12000 import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():
    data = municipality(schools=2, staff=12)
    serving = data.serve()
    data.base_url = next(serving)
    yield data
    serving.close()


@pytest.fixture
def admin():
    return UserFactory(is_staff=True)


@pytest.fixture
def source(world, fake, admin):
    return services.source_create(
        actor=admin,
        owner=world.owner,
        name="Skolsystemet",
        base_url=fake.base_url,
        token="test-token",
    )


def urls(source, run=None):
    found = [
        reverse("directory:index"),
        reverse("directory:source", args=[source.pk]),
    ]
    if run is not None:
        found.append(reverse("directory:run", args=[run.pk]))
    return found


def test_nobody_but_installation_administrators_sees_the_pages(world, source, client, client_for):
    run = SyncRun.objects.create(source=source)
    for url in urls(source, run):
        assert client.get(url).status_code == 302  # anonymous: sign in
        for person in (world.alice, world.bob, world.dave):
            assert client_for(person).get(url).status_code == 404, (person, url)
    for action in ("directory:source_dry_run", "directory:source_sync"):
        response = client_for(world.alice).post(reverse(action, args=[source.pk]))
        assert response.status_code == 404
    assert not SyncRun.objects.exclude(pk=run.pk).exists()


def test_an_administrator_connects_a_source(world, fake, admin, client_for):
    client = client_for(admin)
    page = client.get(reverse("directory:index"))
    assert page.status_code == 200
    assert "Anslut" in page.content.decode()
    response = client.post(
        reverse("directory:index"),
        {
            "owner": world.owner.pk,
            "name": "Skolsystemet",
            "base_url": fake.base_url,
            "token": "test-token",
        },
    )
    source = DirectorySource.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "directory:source", args=[source.pk]
    )
    assert source.token == "test-token"
    detail = client.get(reverse("directory:source", args=[source.pk])).content.decode()
    assert "test-token" not in detail  # the token is never shown again


def test_bad_input_gets_a_message_and_saves_nothing(world, admin, client_for):
    client = client_for(admin)
    response = client.post(
        reverse("directory:index"),
        {"owner": world.owner.pk, "name": "X", "base_url": "http://vendor.example.se/api"},
    )
    assert response.status_code == 200
    assert "https" in response.content.decode()
    response = client.post(
        reverse("directory:index"), {"owner": world.school_a.pk, "name": "X", "base_url": "x"}
    )
    assert response.status_code == 200
    assert not DirectorySource.objects.exists()


def test_dry_run_then_sync_from_the_pages(
    source, admin, client_for, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    page = client.get(reverse("directory:source", args=[source.pk])).content.decode()
    assert "Torrkörning" in page and "Synka nu" not in page  # the first run is a dry run
    refused = client.post(reverse("directory:source_sync", args=[source.pk]), follow=True)
    assert "torrkörning" in refused.content.decode()
    assert not SyncRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:source_dry_run", args=[source.pk]))
    dry = SyncRun.objects.get()
    assert response["Location"] == reverse("directory:run", args=[dry.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Personer att skapa" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:source_sync", args=[source.pk]), {"full": "1"})
    applied = SyncRun.objects.filter(dry_run=False).get()
    assert applied.status == SyncRun.Status.DONE
    assert "Klar" in client.get(response["Location"]).content.decode()


def test_the_mapping_is_shown_and_can_be_changed(source, admin, client_for):
    client = client_for(admin)
    page = client.get(reverse("directory:source", args=[source.pk])).content.decode()
    assert "Förstelärare" in page
    data = {
        "name": "Skolsystemet",
        "base_url": source.base_url,
        "leaver_content": "anonymised",
        "is_enabled": "on",
        "team_group_types": ["Personalgrupp", "Avdelning"],
    }
    from kollegium.directory.mapping import DUTY_ROLES

    for index, duty in enumerate(DUTY_ROLES):
        data[f"role_{index}"] = source.role_mapping.get(duty, "")
    data[f"role_{DUTY_ROLES.index('Förstelärare')}"] = "teacher"
    response = client.post(reverse("directory:source", args=[source.pk]), data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.role_mapping["Förstelärare"] == "teacher"
    assert source.leaver_content == "anonymised"
    assert source.token == "test-token"  # left empty: kept


def test_a_running_run_polls_its_progress(source, admin, client_for):
    run = SyncRun.objects.create(
        source=source, status=SyncRun.Status.RUNNING, phase="persons", done=1, total=7
    )
    client = client_for(admin)
    page = client.get(reverse("directory:run", args=[run.pk])).content.decode()
    assert "hx-trigger" in page and "<progress" in page
    partial = client.get(reverse("directory:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith("<section")


def test_the_pages_run_a_constant_number_of_queries(world, source, admin, client_for):
    from kollegium.core.testing.queries import assert_constant_queries
    from kollegium.directory.models import SyncRefusal

    client = client_for(admin)
    run = SyncRun.objects.create(source=source, status=SyncRun.Status.DONE, counts={"refused": 1})
    SyncRefusal.objects.create(
        run=run, kind="duty", remote_id="x", code="duty_unknown_person", params={"id": "y"}
    )

    def grow():
        other = services.source_create(
            actor=admin, owner=world.owner, name="Till", base_url=source.base_url
        )
        for _ in range(3):
            more = SyncRun.objects.create(source=source, status=SyncRun.Status.DONE)
            SyncRun.objects.create(source=other)
            SyncRefusal.objects.create(
                run=run,
                kind="person",
                remote_id="z",
                code="email_taken",
                params={"email": "a@b.se"},
            )
            del more

    for url in urls(source, run):
        assert_constant_queries(lambda url=url: client.get(url), grow=grow)

"""An anonymous question's author must not be discoverable: not in any row written while
asking, answering and accepting, nor on any page, export or admin view. These tests try."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.testing.factories import UserFactory, teacher_at
from kollegium.organisations.models import Role
from kollegium.questions import services
from kollegium.questions.models import Question

pytestmark = pytest.mark.django_db

TITLE = "Hur hanterar ni en elev som vägrar läsa högt?"


def snapshot():
    """Every row of every table, as {model label: {pk: {field: value}}}."""
    data = {}
    for model in apps.get_models():
        rows = {}
        for obj in model._default_manager.all():
            rows[obj.pk] = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        data[model._meta.label] = rows
    return data


def changes(before, after):
    for label, rows in after.items():
        for pk, values in rows.items():
            if before.get(label, {}).get(pk) != values:
                yield label, pk, values


def identifiers(user):
    return {str(user.pk), user.email, user.full_name, user.get_short_name()}


def mentions(label, values, user):
    """A foreign key to the user, a generic reference to the user, or their name/email."""
    model = apps.get_model(label)
    ids = [i for i in identifiers(user) if len(i) > 3]
    for field in model._meta.concrete_fields:
        value = values[field.attname]
        if field.is_relation and field.related_model is get_user_model():
            if value == user.pk:
                return f"{field.attname}={value}"
        elif isinstance(value, str | dict) and any(i in str(value) for i in ids):
            return f"{field.attname}={value!r}"
    if values.get("target_type") == "accounts.user" and values.get("target_id") == str(user.pk):
        return "generic reference"
    return None


@pytest.fixture
def skilled(world):
    skill = Skill.objects.get(key="inclusion.npf")
    SkillLevel.objects.create(user=world.carol, skill=skill, level=4, willing_to_share=True)
    SkillLevel.objects.create(user=world.bob, skill=skill, level=3, willing_to_share=True)
    return skill


def test_asking_answering_and_accepting_writes_no_row_that_points_at_the_asker(
    client_for, world, skilled, mailoutbox, django_capture_on_commit_callbacks
):
    # Another holder, asked to help and doing nothing else.
    erik = teacher_at(world.school_a, Role.TEACHER, email="erik@a.example", full_name="Erik Ek")
    SkillLevel.objects.create(user=erik, skill=skilled, level=4, willing_to_share=True)
    bob = client_for(world.bob)
    carol = client_for(world.carol)
    bob.get(reverse("questions:list"))  # settle the sessions before the snapshot
    carol.get(reverse("questions:list"))
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = bob.post(
            reverse("questions:ask"),
            {
                "title": TITLE,
                "body": "Det gäller åk 5.",
                "skills": [skilled.key],
                "visibility": "school",
                "anonymous": "on",
            },
        )
    assert response.status_code == 200
    question = Question.objects.get(title=TITLE)

    # The moment of asking writes the question and nothing else: no routing row, no
    # notification, no email, no raised home version, whose times or ids would date it.
    asked = snapshot()
    assert {label for label, _pk, _values in changes(before, asked)} == {"questions.Question"}
    assert question.created_at == question.created_at.replace(minute=0, second=0, microsecond=0)
    assert mailoutbox == []

    # The hourly batch, some minutes into a later hour, routes it: never to Bob (a holder,
    # and the asker), and its rows carry that hour, not a moment.
    batch_time = timezone.now().replace(minute=23, second=11, microsecond=5) + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.questions_route_waiting(now=batch_time) == 1
    routed = snapshot()
    routings = routed["questions.Routing"]
    assert {row["recipient_id"] for row in routings.values()} == {world.carol.pk, erik.pk}
    hour = batch_time.replace(minute=0, second=0, microsecond=0)
    assert {row["created_at"] for row in routings.values()} == {hour}
    notes = [row for label, _pk, row in changes(asked, routed) if label == "core.Notification"]
    assert {row["recipient_id"] for row in notes} == {world.carol.pk, erik.pk}
    assert {row["created_at"] for row in notes} == {hour}
    assert {m.to[0] for m in mailoutbox} <= {world.carol.email, erik.email}

    carol.post(reverse("questions:answer", args=[question.pk]), {"body": "Låt hen läsa i par."})
    answer = question.answers.get()
    assert bob.post(reverse("questions:accept", args=[question.pk, answer.pk])).status_code == 302
    after = snapshot()

    offending = []
    for label, pk, values in changes(before, after):
        if label == "accounts.Session":
            continue  # checked below
        found = mentions(label, values, world.bob)
        if found:
            offending.append((label, pk, found))
    assert offending == []

    # Bob's home page never changed; Erik's did, as a colleague asked to help.
    def raised(user):
        versions = "core.HomeVersion"
        return after[versions][user.pk]["version"] - before[versions][user.pk]["version"]

    assert raised(world.bob) == 0
    assert raised(erik) > 0
    # Bob's session is not rewritten by asking (its expiry time would date his activity).
    assert after["accounts.Session"] == before["accounts.Session"]


def test_no_page_export_or_admin_view_shows_the_anonymous_author(client_for, world, skilled):
    client_for(world.bob).post(
        reverse("questions:ask"),
        {"title": TITLE, "skills": [skilled.key], "visibility": "network", "anonymous": "on"},
    )
    services.questions_route_waiting(now=timezone.now() + timedelta(hours=1))
    question = Question.objects.get(title=TITLE)
    client_for(world.carol).post(
        reverse("questions:answer", args=[question.pk]), {"body": "Låt hen läsa i par."}
    )
    admin = UserFactory(
        is_staff=True, is_superuser=True, email="root@example.org", full_name="Root Admin"
    )
    pages = [
        reverse("questions:list"),
        reverse("questions:detail", args=[question.pk]),
        reverse("core:notifications"),
    ]
    admin_pages = [
        reverse("admin:questions_question_changelist"),
        reverse("admin:questions_question_change", args=[question.pk]),
        reverse("admin:questions_answer_changelist"),
    ]
    bob_ids = [world.bob.email, world.bob.full_name]
    for viewer in (world.alice, world.carol, world.dave):
        c = client_for(viewer)
        for url in pages:
            response = c.get(url)
            assert response.status_code == 200, (viewer, url)
            text = response.content.decode()
            assert TITLE in text or url.endswith("/notifications/")
            assert not any(i in text for i in bob_ids), (viewer, url)
        export = c.get(reverse("competence:matrix_export", args=[world.school_a.pk]))
        if export.status_code == 200:  # Alice, the leader: Bob is in the matrix, not the question
            assert TITLE not in export.content.decode()
    root = client_for(admin)
    for url in admin_pages:
        response = root.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not any(i in text for i in bob_ids), url
        assert question.asker_digest not in text and question.follow_token_hash not in text


def test_the_asker_alone_sees_the_question_under_my_questions(client_for, world, skilled):
    client_for(world.bob).post(
        reverse("questions:ask"),
        {"title": TITLE, "skills": [skilled.key], "visibility": "school", "anonymous": "on"},
    )
    bob_page = client_for(world.bob).get(reverse("questions:list")).content.decode()
    carol_page = client_for(world.carol).get(reverse("questions:list")).content.decode()
    assert TITLE in bob_page.split("mine-heading", 1)[1].split("all-heading", 1)[0]
    assert TITLE not in carol_page.split("mine-heading", 1)[1].split("all-heading", 1)[0]


def test_the_private_code_opens_the_question_and_is_never_put_in_a_url(client_for, world, skilled):
    response = client_for(world.bob).post(
        reverse("questions:ask"),
        {"title": TITLE, "skills": [skilled.key], "visibility": "school", "anonymous": "on"},
    )
    token = response.context["token"]
    assert f"/{token}" not in response.content.decode()
    question = Question.objects.get(title=TITLE)
    assert token not in question.follow_token_hash
    opened = client_for(world.alice).post(reverse("questions:follow"), {"token": token})
    assert TITLE in opened.content.decode()
    assert opened.context["is_asker"] is True
    wrong = client_for(world.alice).post(reverse("questions:follow"), {"token": "nope"})
    assert TITLE not in wrong.content.decode()


def test_colleagues_see_an_anonymous_question_only_after_the_hourly_batch(
    client_for, world, skilled
):
    # Were it listed at once, a colleague watching the list would learn the minute it was
    # asked (and who was at a computer then), which the rounded time is there to hide.
    response = client_for(world.bob).post(
        reverse("questions:ask"),
        {"title": TITLE, "skills": [skilled.key], "visibility": "school", "anonymous": "on"},
    )
    token = response.context["token"]
    question = Question.objects.get(title=TITLE)
    detail = reverse("questions:detail", args=[question.pk])
    carol = client_for(world.carol)
    assert TITLE not in carol.get(reverse("questions:list")).content.decode()
    assert carol.get(detail).status_code == 404
    assert (
        carol.post(reverse("questions:answer", args=[question.pk]), {"body": "Hej"}).status_code
        == 404
    )
    bob = client_for(world.bob)
    assert bob.get(detail).status_code == 200
    mine = bob.get(reverse("questions:list")).content.decode()
    assert TITLE in mine.split("mine-heading", 1)[1].split("all-heading", 1)[0]
    followed = client_for(world.alice).post(reverse("questions:follow"), {"token": token})
    assert TITLE in followed.content.decode()

    services.questions_route_waiting(now=timezone.now() + timedelta(hours=1))
    assert TITLE in carol.get(reverse("questions:list")).content.decode()
    assert carol.get(detail).status_code == 200

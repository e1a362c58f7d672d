"""The privacy pages: the right person, Dave (another school: 404) and a visitor (sign in)."""

import pytest
from django.urls import reverse

from kollegium.organisations.models import OwnerStaff
from kollegium.privacy.models import ErasureRequest, ErasureStatus, OwnerPrivacySettings

pytestmark = pytest.mark.django_db


def _login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_data_page_offers_the_export_and_the_admin_links_to_whom_they_belong(
    world, client_for, client, admin_a
):
    page = client_for(world.bob).get(reverse("privacy:index"))
    assert page.status_code == 200
    assert reverse("privacy:export_create").encode() in page.content
    assert reverse("privacy:erasures", args=[world.school_a.pk]).encode() not in page.content
    admin_page = client_for(admin_a).get(reverse("privacy:index")).content
    assert reverse("privacy:erasures", args=[world.school_a.pk]).encode() in admin_page
    assert _login_redirect(client.get(reverse("privacy:index")))


def test_the_profile_exports_with_one_click(world, client_for):
    page = client_for(world.bob).get(reverse("accounts:profile")).content.decode()
    assert f'action="{reverse("privacy:export_create")}"' in page
    assert "Exportera mina uppgifter" in page


def test_a_manager_schedules_an_erasure_through_the_form(world, client_for, admin_a):
    url = reverse("privacy:erasures", args=[world.school_a.pk])
    client = client_for(admin_a)
    page = client.get(url)
    assert page.status_code == 200 and "Bob Berg" in page.content.decode()
    response = client.post(url, {"person": world.bob.pk, "reason": "left", "records": "anonymise"})
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:erasure_detail", args=[erasure.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Bob Berg" in detail and "en lärare på Skola A" in detail
    client.post(reverse("privacy:erasure_cancel", args=[erasure.pk]))
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CANCELLED


def test_a_manager_decides_to_keep_the_records_attributed_and_says_why(world, client_for, admin_a):
    url = reverse("privacy:erasures", args=[world.school_a.pk])
    client = client_for(admin_a)
    page = client.get(url).content.decode()
    assert 'value="keep"' in page and "med personens namn" in page
    refused = client.post(url, {"person": world.bob.pk, "reason": "left", "records": "keep"})
    assert refused.status_code == 422 and not ErasureRequest.objects.exists()
    reason = "Huvudmannen beslutade att behålla namnet i forskningsrapporten."
    client.post(
        url, {"person": world.bob.pk, "reason": "left", "records": "keep", "records_reason": reason}
    )
    erasure = ErasureRequest.objects.get()
    detail = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    assert reason in detail and "med personens namn" in detail


def test_bad_input_on_the_erasure_form_is_refused_with_a_message(world, client_for, admin_a):
    url = reverse("privacy:erasures", args=[world.school_a.pk])
    client = client_for(admin_a)
    for data in (
        {"person": "99999999999999999999", "reason": "left", "records": "anonymise"},
        {"person": world.dave.pk, "reason": "left", "records": "anonymise"},
        {"person": world.bob.pk, "reason": "retention", "records": "anonymise"},
        {"person": world.bob.pk, "reason": "left", "records": "delete", "records_reason": ""},
    ):
        response = client.post(url, data)
        assert response.status_code == 422, data
    assert "Ange varför" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_run_now_before_the_grace_period_ends_is_refused_with_a_message(world, client_for, admin_a):
    client = client_for(admin_a)
    client.post(
        reverse("privacy:erasures", args=[world.school_a.pk]),
        {"person": world.bob.pk, "reason": "request", "records": "anonymise"},
    )
    erasure = ErasureRequest.objects.get()
    response = client.post(reverse("privacy:erasure_run", args=[erasure.pk]), follow=True)
    assert "Karenstiden slutar" in response.content.decode()
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.SCHEDULED


def test_erasure_pages_are_the_schools_managers_alone(world, client_for, client, admin_a):
    erasure = ErasureRequest.objects.create(
        person=world.bob,
        school=world.school_a,
        reason="left",
        records="anonymise",
        role_label="en lärare på Skola A",
        due_at="2030-01-01T00:00Z",
    )
    pages = [
        reverse("privacy:erasures", args=[world.school_a.pk]),
        reverse("privacy:erasure_detail", args=[erasure.pk]),
    ]
    posts = [
        reverse("privacy:erasure_cancel", args=[erasure.pk]),
        reverse("privacy:erasure_run", args=[erasure.pk]),
    ]
    for url in pages:
        assert client_for(world.alice).get(url).status_code == 200
        assert client_for(admin_a).get(url).status_code == 200
        for who in (world.dave, world.carol):
            assert client_for(who).get(url).status_code == 404
        assert _login_redirect(client.get(url))
    # Bob never manages his own erasure.
    assert client_for(world.bob).get(pages[1]).status_code == 404
    for url in posts:
        assert client_for(world.dave).post(url).status_code == 404
        assert _login_redirect(client.post(url))
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.SCHEDULED


def test_the_owners_staff_set_the_rules(world, client_for, client):
    url = reverse("privacy:rules", args=[world.owner.pk])
    OwnerStaff.objects.create(user=world.carol, owner=world.owner)
    staff = client_for(world.carol)
    assert staff.get(url).status_code == 200
    response = staff.post(
        url,
        {
            "min_group_size": 5,
            "grace_days": 14,
            "records_default": "anonymise",
            "observation_notes_months": 6,
            "notifications_days": 30,
            "sign_ins_months": 12,
            "deactivated_months": 24,
        },
    )
    assert response.status_code == 302
    rules = OwnerPrivacySettings.objects.get(owner=world.owner)
    assert (rules.grace_days, rules.observation_notes_months) == (14, 6)
    bad = staff.post(url, {"grace_days": 9999, "records_default": "zz"})
    assert bad.status_code == 422
    rules.refresh_from_db()
    assert rules.grace_days == 14
    for who in (world.alice, world.dave):  # a school leader is not the owner
        assert client_for(who).get(url).status_code == 404
        assert client_for(who).post(url, {"grace_days": 1}).status_code == 404
    assert _login_redirect(client.get(url))


def test_the_owners_staff_set_the_minimum_group_size_and_it_is_audited(world, client_for, client):
    from kollegium.core.models import AuditEvent
    from kollegium.organisations.models import Organisation

    url = reverse("privacy:rules", args=[world.owner.pk])
    OwnerStaff.objects.create(user=world.carol, owner=world.owner)
    staff = client_for(world.carol)
    page = staff.get(url).content.decode()
    assert 'name="min_group_size"' in page and 'value="5"' in page
    assert "ingen enskild lärare kan pekas ut" in page
    rules = {
        "grace_days": 30,
        "records_default": "anonymise",
        "observation_notes_months": 12,
        "notifications_days": 90,
        "sign_ins_months": 12,
        "deactivated_months": 24,
    }
    assert staff.post(url, {**rules, "min_group_size": 8}).status_code == 302
    assert Organisation.objects.get(pk=world.owner.pk).min_group_size == 8
    event = AuditEvent.objects.get(action="privacy.min_group_size_changed")
    assert event.data["from"] == 5 and event.data["to"] == 8
    assert 'value="8"' in staff.get(url).content.decode()
    for bad in (2, 51, "", "fem", "9" * 20):
        response = staff.post(url, {**rules, "min_group_size": bad})
        assert response.status_code == 422
        assert Organisation.objects.get(pk=world.owner.pk).min_group_size == 8
    for who in (world.alice, world.dave):  # a school's leader is not the owner
        assert client_for(who).post(url, {**rules, "min_group_size": 3}).status_code == 404
    assert _login_redirect(client.post(url, {**rules, "min_group_size": 3}))
    assert Organisation.objects.get(pk=world.owner.pk).min_group_size == 8


def test_a_leaver_already_deactivated_is_erased_through_the_pages(
    world, client_for, admin_a, media, django_capture_on_commit_callbacks
):
    world.bob.is_active = False  # the directory sync deactivated him when he left
    world.bob.save()
    client = client_for(admin_a)
    response = client.post(
        reverse("privacy:erasures", args=[world.school_a.pk]),
        {"person": world.bob.pk, "reason": "left", "records": "anonymise"},
    )
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302
    ErasureRequest.objects.filter(pk=erasure.pk).update(due_at="2020-01-01T00:00Z")
    detail = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    assert "Radera nu" in detail  # the grace period is over
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:erasure_run", args=[erasure.pk]))
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.DONE
    world.bob.refresh_from_db()
    assert world.bob.full_name == "en lärare på Skola A"
    page = client.get(reverse("privacy:erasure_detail", args=[erasure.pk])).content.decode()
    assert "Bob Berg" not in page and "Radera nu" not in page

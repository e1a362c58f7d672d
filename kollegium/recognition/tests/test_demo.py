"""The demo shows thanks, a shared summary, an expert guest and a confirmation that verifies."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kollegium.recognition import credentials
from kollegium.recognition.models import Confirmation, GuestInvitation, ThanksNote

pytestmark = pytest.mark.django_db


def test_the_demo_has_recognition_a_guest_and_a_verifiable_confirmation():
    call_command("seed_demo", stdout=io.StringIO())
    assert ThanksNote.objects.filter(on_profile=True).exists()
    assert ThanksNote.objects.filter(on_profile=False).exists()
    guest = GuestInvitation.objects.get(guest__isnull=False)
    assert guest.is_active and not guest.guest.memberships.exists()
    confirmation = Confirmation.objects.get()
    assert credentials.verify(confirmation.token)["credentialSubject"]["name"]
    client = Client()
    client.force_login(guest.guest)
    assert client.get(reverse("core:home"))["Location"] == reverse("recognition:guest_home")
    page = client.get(reverse("groups:detail", args=[guest.group_id]))
    assert page.status_code == 200 and "Rut Forskare" in page.content.decode()
    assert client.get(reverse("groups:list")).status_code == 404

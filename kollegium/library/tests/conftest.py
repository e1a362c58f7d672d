"""Library fixtures: items at every visibility level, a learning group, sample files."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kollegium.library import services
from kollegium.library.models import Visibility

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def pdf_upload(name="plan.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def photo_upload(name="tavlan.jpg", size=(1200, 800)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def group(world):
    """Alice's and Bob's learning group at School A (Carol is not in it)."""
    from kollegium.groups.models import GroupMembership, LearningGroup, MethodGuide

    guide = MethodGuide.objects.create(
        slug="tlc", version=1, method="tlc", title_sv="TLC", title_en="TLC", source="x: 1"
    )
    found = LearningGroup.objects.create(
        name="Läsgruppen",
        school=world.school_a,
        guide=guide,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=120),
    )
    GroupMembership.objects.create(group=found, user=world.alice)
    GroupMembership.objects.create(group=found, user=world.bob)
    return found


@pytest.fixture
def items_by_level(world, group):
    """One item by Bob at School A per visibility level, all about "bedömning"."""
    made = {}
    for level in Visibility.values:
        made[level] = services.item_create(
            actor=world.bob,
            school=world.school_a,
            title=f"Bedömningar ({level})",
            body=f"Hemlig text om bedömningen på nivå {level}.",
            visibility=level,
            group=group if level == Visibility.GROUP else None,
        )
    return made

"""Uploads in S3-compatible object storage: the `s3` extra against moto's S3 server.

moto's server runs in this process, on 127.0.0.1 and a free port, and speaks S3 over HTTP as
a cloud's or a MinIO server would. The storage comes from the settings' own function
(``config.settings._s3_storage``), fed the environment an operator would set. A teacher
uploads through the real view, colleagues download through the permission-checked view,
and the stored objects cannot be read without a signature.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from moto.server import ThreadedMotoServer

from config.settings import _s3_storage
from kollegium.core.testing.factories import teacher_at
from kollegium.library.models import Attachment, Item
from kollegium.library.tests.conftest import PDF_BYTES, pdf_upload, photo_upload

pytestmark = pytest.mark.django_db

REGION = "eu-north-1"
KEYS = {"AWS_ACCESS_KEY_ID": "kollegium-test", "AWS_SECRET_ACCESS_KEY": "kollegium-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the app's default storage pointed at it."""
    name = f"kollegium-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    environment = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **KEYS,
    }
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(environment)}
    return name, client


def _stored_keys(s3, name: str) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=name).get("Contents", [])]


def _get_unsigned(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http on 127.0.0.1)
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_the_settings_make_a_private_s3_storage_without_a_public_domain(bucket):
    storage = storages["default"]
    assert type(storage).__module__ == "storages.backends.s3"
    assert storage.default_acl == "private" and storage.file_overwrite is False
    assert storage.querystring_auth is True and storage.custom_domain is None


def test_a_teacher_uploads_to_s3_and_colleagues_download_through_the_app(
    client, client_for, world, bucket, settings
):
    name, s3 = bucket
    response = client_for(world.bob).post(
        reverse("library:share"),
        {
            "title": "Planering i S3",
            "body": "Med bilaga.",
            "visibility": "school",
            "files": [pdf_upload("planering.pdf"), photo_upload("tavlan.jpg")],
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    pdf = item.attachments.get(kind=Attachment.Kind.DOCUMENT)
    photo = item.attachments.get(kind=Attachment.Kind.IMAGE)
    # In the bucket, under random names; nothing on the app server's disk.
    keys = _stored_keys(s3, name)
    assert sorted(keys) == sorted([pdf.file.name, photo.file.name, photo.display.name])
    assert all(key.startswith(f"library/{item.pk}/") for key in keys)
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))

    colleague = teacher_at(world.school_a)
    download = client_for(colleague).get(reverse("library:attachment", args=[pdf.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "planering.pdf" in download["Content-Disposition"]
    image = client_for(world.bob).get(reverse("library:attachment_display", args=[photo.pk]))
    assert image.status_code == 200 and b"".join(image.streaming_content)[:2] == b"\xff\xd8"

    for url in (
        reverse("library:attachment", args=[pdf.pk]),
        reverse("library:attachment_display", args=[photo.pk]),
    ):
        assert client_for(world.dave).get(url).status_code == 404  # another school's teacher
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_nothing_in_the_bucket_is_readable_without_a_signature(client_for, world, bucket):
    name, s3 = bucket
    client_for(world.bob).post(
        reverse("library:share"),
        {"title": "Hemligt", "body": "", "visibility": "school", "files": [pdf_upload()]},
    )
    key = Attachment.objects.get().file.name
    endpoint = s3.meta.endpoint_url
    grants = s3.get_object_acl(Bucket=name, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)
    assert _get_unsigned(f"{endpoint}/{name}/{key}") == 403

    # Should anything ask the storage for an address, it is signed and expires.
    signed = default_storage.url(key)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    assert _get_unsigned(signed) == 200
    # The probe itself tells a public object from a private one.
    s3.put_object(Bucket=name, Key="probe/public", Body=b"open", ACL="public-read")
    assert _get_unsigned(f"{endpoint}/{name}/probe/public") == 200

"""A file's download and its image's display run the same number of queries whatever the
number of items, files and versions (issue 10: the query-count sweep cannot open them, since
the demo has no uploaded file)."""

import pytest
from django.urls import reverse

from kollegium.core.testing.queries import assert_constant_queries
from kollegium.library import services

from .conftest import pdf_upload, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_with_files(world):
    return services.item_create(
        actor=world.bob, school=world.school_a, title="Planering", body="Matris.",
        visibility="school", files=[pdf_upload(), photo_upload()],
    )  # fmt: skip


def _grow(world, item):
    def grow():
        for n in range(4):
            services.item_create(
                actor=world.bob, school=world.school_a, title=f"Fler filer {n}", body="Text.",
                visibility="school", files=[pdf_upload(f"plan{n}.pdf"), photo_upload(f"t{n}.jpg")],
            )  # fmt: skip
        services.item_update(
            actor=world.bob, item=item, base=services.item_edit_base(item), title="Planering",
            body="Ny matris.", item_type="lesson_plan", language="sv", visibility="school",
        )  # fmt: skip

    return grow


def _fetch(client, url):
    def fetch():
        response = client.get(url)
        b"".join(response.streaming_content)  # read (and close) the file, as a browser would
        return response

    return fetch


@pytest.mark.parametrize("name", ["library:attachment", "library:attachment_display"])
def test_a_files_page_runs_the_same_queries_with_more_data(
    client_for, world, item_with_files, name
):
    document, image = item_with_files.attachments.order_by("kind")
    attachment = image if name == "library:attachment_display" else document
    url = reverse(name, args=[attachment.pk])
    count = assert_constant_queries(
        _fetch(client_for(world.carol), url), _grow(world, item_with_files)
    )
    assert count <= 4

import re

import pytest
from django.urls import reverse

from kollegium.core.testing.queries import assert_constant_queries
from kollegium.library import services
from kollegium.library.models import Item

from .conftest import ELF_BYTES, pdf_upload, photo_upload


@pytest.fixture
def school_item(world):
    """Bob's school-only item at School A, with a PDF, a photo and two versions."""
    item = services.item_create(
        actor=world.bob, school=world.school_a, title="Hemlig planering",
        body="Bedömningsmatris för **åk 8**.", visibility="school",
        files=[pdf_upload(), photo_upload()],
    )  # fmt: skip
    services.item_update(
        actor=world.bob, item=item, base=services.item_edit_base(item),
        title="Hemlig planering", body="Ny matris för åk 8.",
        item_type="lesson_plan", language="sv", visibility="school",
    )  # fmt: skip
    return item


def item_urls(item):
    pdf, photo = item.attachments.order_by("kind")  # document, image
    return [
        reverse("library:item", args=[item.pk]),
        reverse("library:print", args=[item.pk]),
        reverse("library:history", args=[item.pk]),
        reverse("library:history", args=[item.pk]) + "?old=1&new=2",
        reverse("library:attachment", args=[pdf.pk]),
        reverse("library:attachment_display", args=[photo.pk]),
    ]


def test_colleagues_at_the_school_open_every_page_of_the_item(client_for, carol, school_item):
    c = client_for(carol)
    for url in item_urls(school_item):
        assert c.get(url).status_code == 200, url


def test_dave_gets_404_for_every_page_and_file_of_school_as_item(client_for, dave, school_item):
    c = client_for(dave)
    for url in [*item_urls(school_item), reverse("library:edit", args=[school_item.pk])]:
        assert c.get(url).status_code == 404, url
    for name, args in [("restore", [school_item.pk, 1]), ("appreciate", [school_item.pk]),
                       ("tried", [school_item.pk])]:  # fmt: skip
        assert c.post(reverse(f"library:{name}", args=args)).status_code == 404


def test_dave_sees_no_trace_of_it_in_search_results_counts_or_snippets(
    client_for, dave, school_item
):
    for query in ["hemlig matris", "bedömningsmatris", "planering", ""]:
        html = client_for(dave).get(reverse("library:index"), {"q": query}).content.decode()
        results = html[html.index('<div id="library-results">') :]
        assert "Hemlig" not in results and "matris" not in results.lower()
        assert re.search(r"\b0 (objekt|items)\b", results)


def test_anonymous_visitors_are_sent_to_sign_in(client, school_item):
    urls = [*item_urls(school_item), reverse("library:index"), reverse("library:share"),
            reverse("library:create"), reverse("library:collections")]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_downloads_are_private_attachments_never_sniffed(client_for, carol, school_item):
    pdf = school_item.attachments.get(kind="document")
    response = client_for(carol).get(reverse("library:attachment", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_item_page_shows_no_media_url(client_for, carol, school_item):
    html = client_for(carol).get(school_item.get_absolute_url()).content.decode()
    assert "/media" not in html and "library/" + str(school_item.pk) not in html


def test_only_editors_may_open_the_editor(client_for, bob, carol, school_item, world):
    assert client_for(bob).get(reverse("library:edit", args=[school_item.pk])).status_code == 200
    from kollegium.core.testing.factories import teacher_at

    colleague = teacher_at(world.school_a)
    url = reverse("library:edit", args=[school_item.pk])
    assert client_for(colleague).get(url).status_code == 403


def test_quick_share_with_a_photo_makes_an_item_and_shows_it(client_for, bob):
    response = client_for(bob).post(
        reverse("library:share"),
        {
            "title": "Tavlan efter lektionen",
            "body": "Så här blev det.",
            "visibility": "school",
            "files": [photo_upload()],
        },
        follow=True,
    )
    item = Item.objects.get()
    assert response.redirect_chain[-1][0] == item.get_absolute_url()
    assert item.attachments.get().kind == "image"
    assert "Tavlan efter lektionen" in response.content.decode()


def test_quick_share_with_a_disguised_executable_says_why_and_saves_nothing(client_for, bob):
    response = client_for(bob).post(
        reverse("library:share"),
        {
            "title": "Plan",
            "body": "",
            "visibility": "school",
            "files": [pdf_upload("plan.pdf", ELF_BYTES)],
        },
    )
    assert response.status_code == 200
    assert (
        "kan inte delas" in response.content.decode()
        or "cannot be shared" in response.content.decode()
    )
    assert not Item.objects.exists()


def test_an_empty_title_is_shown_as_a_field_error(client_for, bob):
    response = client_for(bob).post(reverse("library:share"), {"title": "", "visibility": "school"})
    assert response.status_code == 200
    assert 'class="field field-error"' in response.content.decode()
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    "body, forbidden",
    [
        ("<script>alert(1)</script>", "<script>alert"),
        ("[klick](javascript:alert(1))", 'href="javascript'),
        ("[klick](jav&#x09;ascript:alert(1))", 'href="jav\tascript'),
        ('<img src=x onerror="alert(1)">', "<img src=x"),
        ('<a href="#" onclick="alert(1)">x</a>', '<a href="#" onclick'),
        ("![x](data:text/html;base64,PHNjcmlwdD4=)", 'src="data:'),
        ("![x](data:image/png;base64,iVBORw0KGgo=)", 'src="data:'),
        ('<p style="position:fixed">x</p>', "<p style="),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ],
)
def test_xss_in_markdown_is_neutralised_on_the_item_page(client_for, bob, world, body, forbidden):
    item = services.item_create(actor=bob, school=world.school_a, title="x", body=body)
    html = client_for(bob).get(item.get_absolute_url()).content.decode()
    prose = re.search(r'<div class="prose">(.*?)</div>', html, re.S).group(1)
    assert forbidden not in prose


def test_restoring_a_version_makes_a_new_current_version(client_for, bob, school_item):
    response = client_for(bob).post(reverse("library:restore", args=[school_item.pk, 1]))
    assert response.status_code == 302
    school_item.refresh_from_db()
    assert school_item.version_number == 3 and "**åk 8**" in school_item.body


def test_the_comparison_marks_changes_with_ins_and_del(client_for, bob, school_item):
    html = (
        client_for(bob)
        .get(reverse("library:history", args=[school_item.pk]), {"old": 1, "new": 2})
        .content.decode()
    )
    assert "<del>" in html and "<ins>" in html


def test_the_search_page_answers_htmx_with_just_the_results(client_for, bob, school_item):
    response = client_for(bob).get(
        reverse("library:index"), {"q": "matris"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="library-results">')
    assert "<mark>matris</mark>" in html.lower() or "<mark>Matris</mark>" in html
    assert 'aria-live="polite"' in html


def test_the_library_list_runs_a_constant_number_of_queries(client_for, bob, world):
    def grow():
        for n in range(15):
            item = services.item_create(
                actor=bob, school=world.school_a, title=f"Tips {n}", body="kooperativt lärande",
                files=[pdf_upload()] if n % 5 == 0 else (),
            )  # fmt: skip
            item.authors.add(world.carol)

    services.item_create(actor=bob, school=world.school_a, title="Tips", body="kooperativt")
    c = client_for(bob)
    assert_constant_queries(lambda: c.get(reverse("library:index")), grow)
    assert_constant_queries(
        lambda: c.get(reverse("library:index"), {"q": "kooperativ"}), lambda: None
    )


def test_the_item_page_runs_a_constant_number_of_queries(client_for, bob, carol, world):
    item = services.item_create(actor=bob, school=world.school_a, title="Tips", body="text")
    c = client_for(carol)

    def grow():
        for n in range(4):
            services.item_update(
                actor=bob, item=item, base=services.item_edit_base(item),
                title="Tips", body=f"text {n}", item_type="tip",
                language="sv", visibility="school", files=[pdf_upload(), photo_upload()],
            )  # fmt: skip
            services.item_tried(actor=carol, item=item, comment=f"Provade {n}")
        item.authors.add(world.alice)

    assert_constant_queries(lambda: c.get(item.get_absolute_url()), grow)


def test_the_start_here_link_shows_for_newcomers_and_leads_to_the_collection(
    client_for, alice, bob, world
):
    item = services.item_create(actor=bob, school=world.school_a, title="Välkommen", body="")
    collection = services.collection_save(
        actor=alice, school=world.school_a, title="Börja här", intro="För nya kollegor.",
        item_ids=[item.pk], is_start_here=True,
    )  # fmt: skip
    c = client_for(bob)
    assert reverse("library:start_here") in c.get(reverse("library:index")).content.decode()
    response = c.get(reverse("library:start_here"))
    assert response["Location"] == collection.get_absolute_url()
    assert "Välkommen" in c.get(collection.get_absolute_url()).content.decode()


def test_collections_of_school_a_are_hidden_from_dave(client_for, alice, dave, world):
    collection = services.collection_save(
        actor=alice, school=world.school_a, title="Börja här", intro="", item_ids=[]
    )
    assert client_for(dave).get(collection.get_absolute_url()).status_code == 404
    assert (
        client_for(dave).get(reverse("library:collection_edit", args=[collection.pk])).status_code
        == 404
    )


def test_the_collection_page_runs_a_constant_number_of_queries(client_for, alice, bob, world):
    first = services.item_create(actor=bob, school=world.school_a, title="Ett", body="")
    collection = services.collection_save(
        actor=alice, school=world.school_a, title="Börja här", intro="", item_ids=[first.pk]
    )
    c = client_for(bob)

    def grow():
        for n in range(6):
            item = services.item_create(actor=bob, school=world.school_a, title=f"Fler {n}")
            item.authors.add(world.carol)
            services.collection_add_item(actor=alice, collection=collection, item=item)

    assert_constant_queries(lambda: c.get(collection.get_absolute_url()), grow)


def test_dave_can_share_in_his_own_school_but_not_see_it_from_school_a(client_for, dave, bob):
    response = client_for(dave).post(
        reverse("library:share"), {"title": "Ekskolans tips", "visibility": "school"}
    )
    item = Item.objects.get()
    assert response.status_code == 302 and item.school == dave.memberships.get().school
    assert client_for(bob).get(item.get_absolute_url()).status_code == 404


def test_comparing_a_version_that_does_not_exist_is_a_404(client_for, bob, school_item):
    url = reverse("library:history", args=[school_item.pk])
    assert client_for(bob).get(url, {"old": 1, "new": 99}).status_code == 404


def test_browsing_says_more_than_the_limit_in_the_persons_language(client_for, bob, world,
                                                                      monkeypatch):  # fmt: skip
    from kollegium.library import search

    monkeypatch.setattr(search, "BROWSE_COUNT_LIMIT", 2)
    for n in range(3):
        services.item_create(actor=bob, school=world.school_a, title=f"Tips {n}", body="")
    html = client_for(bob).get(reverse("library:index")).content.decode()
    assert "Fler än 2 objekt" in html

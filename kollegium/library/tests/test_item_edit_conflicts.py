"""An item two people edit at once: a signed version token, a merge, a conflict page."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kollegium.core.testing.queries import assert_constant_queries
from kollegium.core.textmerge import EditConflict
from kollegium.library import services
from kollegium.library.forms import ItemEditForm, ItemForm
from kollegium.library.models import Item

pytestmark = pytest.mark.django_db

START = "# Exit tickets\n\nTre frågor i slutet.\n\nSamla in lapparna.\n\nLäs dem samma dag."
TOKEN = re.compile(r'name="version" value="([^"]*)"')


@pytest.fixture
def item(bob, world):
    return services.item_create(
        actor=bob, school=world.school_a, title="Exit tickets", body=START, visibility="school"
    )


def fields(item, **changes):
    item = Item.objects.get(pk=item.pk)
    values = {"title": item.title, "body": item.body, "item_type": item.item_type,
              "language": item.language, "visibility": item.visibility, "licence": item.licence,
              "base": services.item_edit_base(item)}  # fmt: skip
    return item, values | changes


def edit_page_token(client, item) -> str:
    page = client.get(reverse("library:edit", args=[item.pk])).content.decode()
    (token,) = TOKEN.findall(page)
    return html.unescape(token)


def post_edit(client, item, token, **changes):
    data = {k: v for k, v in ItemForm.initial_for(item).items() if v is not None}
    data |= {"version": token, "note": ""} | changes
    return client.post(reverse("library:edit", args=[item.pk]), data)


# --- the service -----------------------------------------------------------------------------


def test_edits_to_different_lines_from_the_same_version_are_merged(bob, carol, item):
    loaded, bobs = fields(item, body=START.replace("Tre frågor", "Två frågor"))
    _, carols = fields(item, body=START.replace("samma dag.", "samma dag och sortera dem."))
    services.item_update(actor=carol, item=Item.objects.get(pk=item.pk), **carols)
    saved = services.item_update(actor=bob, item=loaded, **bobs)
    assert saved.merged and saved.merged_with == ("Carol Chen",)
    item.refresh_from_db()
    assert "Två frågor" in item.body and "sortera dem" in item.body
    assert item.version_number == 3


def test_a_save_from_an_old_version_keeps_a_colleagues_settings(bob, carol, item):
    loaded, bobs = fields(item, body=START.replace("Tre frågor", "Två frågor"))
    _, carols = fields(item, language="en")
    services.item_update(actor=carol, item=Item.objects.get(pk=item.pk), **carols)
    saved = services.item_update(actor=bob, item=loaded, **bobs)
    item.refresh_from_db()
    assert saved.merged and item.language == "en" and "Två frågor" in item.body


def test_overlapping_edits_save_nothing_and_carry_both_texts(bob, carol, item):
    loaded, bobs = fields(item, body=START.replace("Tre frågor", "Två frågor"))
    _, carols = fields(item, body=START.replace("Tre frågor", "Fyra frågor"))
    services.item_update(actor=carol, item=Item.objects.get(pk=item.pk), **carols)
    with pytest.raises(EditConflict) as raised:
        services.item_update(actor=bob, item=loaded, **bobs)
    body = raised.value.field_map["body"]
    assert "Fyra frågor" in body.theirs and "Två frågor" in body.mine and not body.merge.clean
    assert raised.value.version == 2 and raised.value.editors == ("Carol Chen",)
    item.refresh_from_db()
    assert "Fyra frågor" in item.body and item.version_number == 2


def test_both_changing_the_same_setting_differently_is_a_conflict(bob, carol, item):
    loaded, bobs = fields(item, licence="CC0-1.0")
    _, carols = fields(item, licence="CC-BY-SA-4.0")
    services.item_update(actor=carol, item=Item.objects.get(pk=item.pk), **carols)
    with pytest.raises(EditConflict) as raised:
        services.item_update(actor=bob, item=loaded, **bobs)
    assert raised.value.settings == ("licence",)
    item.refresh_from_db()
    assert item.licence == "CC-BY-SA-4.0"


def test_an_unknown_base_never_overwrites(bob, item):
    loaded, bobs = fields(item, body="Något helt annat.", base=None)
    with pytest.raises(EditConflict) as raised:
        services.item_update(actor=bob, item=loaded, **bobs)
    assert raised.value.unknown_base
    item.refresh_from_db()
    assert item.body == START


def test_text_still_holding_conflict_markers_is_refused(bob, item):
    loaded, bobs = fields(item, body="<<<<<<< Carol\nA\n=======\nB\n>>>>>>> din text")
    with pytest.raises(ValidationError):
        services.item_update(actor=bob, item=loaded, **bobs)
    item.refresh_from_db()
    assert item.body == START


# --- two sessions in the browser's place -------------------------------------------------------


def test_two_people_editing_different_lines_both_keep_their_edits(client_for, bob, carol, item):
    bob_client, carol_client = client_for(bob), client_for(carol)
    bob_token, carol_token = edit_page_token(bob_client, item), edit_page_token(carol_client, item)
    first = post_edit(carol_client, item, carol_token, body=START.replace("Tre", "Två"))
    assert first.status_code == 302
    second = post_edit(bob_client, item, bob_token, body=START.replace("samma dag", "i morgon"))
    assert second.status_code == 302
    page = bob_client.get(second["Location"]).content.decode()
    assert "sammanslagna med ändringarna som Carol Chen gjorde under tiden" in page
    item.refresh_from_db()
    assert "Två frågor" in item.body and "i morgon" in item.body


def test_overlapping_edits_show_both_texts_and_overwrite_nothing(client_for, bob, carol, item):
    bob_client, carol_client = client_for(bob), client_for(carol)
    token = edit_page_token(bob_client, item)
    theirs = START.replace("Tre frågor", "Fyra frågor")
    assert post_edit(carol_client, item, token, body=theirs).status_code == 302
    mine = START.replace("Tre frågor", "Två frågor")
    response = post_edit(bob_client, item, token, body=mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Resursen ändrades medan du redigerade den" in page
    assert "Carol Chen sparade en ny version efter att du började redigera" in page
    assert "Fyra frågor" in page and "Två frågor" in page and "Ingenting har sparats ännu." in page
    item.refresh_from_db()
    assert item.body == theirs and item.version_number == 2

    # "Keep my text" posts the form again with the version the conflict page showed.
    (new_token,) = TOKEN.findall(page)
    kept = post_edit(
        bob_client, item, html.unescape(new_token), choice="mine", **{"mine-title": item.title},
        **{"mine-body": mine, "body": "ignored combined text"},
    )  # fmt: skip
    assert kept.status_code == 302
    item.refresh_from_db()
    assert item.body == mine and item.version_number == 3
    assert item.versions.get(number=2).body == theirs


@pytest.mark.parametrize("token", ["", "abc", "1", "99999999999999999999", "x" * 5000])
def test_a_missing_forged_or_garbage_token_gets_a_clear_page_and_saves_nothing(
    client_for, bob, item, token
):
    response = post_edit(client_for(bob), item, token, body="Något helt annat.")
    assert response.status_code == 409
    assert "Formuläret sa inte vilken version du utgick från" in response.content.decode()
    item.refresh_from_db()
    assert item.body == START and item.version_number == 1


def test_a_signed_token_naming_a_version_that_does_not_exist_saves_nothing(client_for, bob, item):
    # A genuine token whose version does not exist (a later one) cannot pass as the base.
    forged = ItemEditForm.token_for(services.EditBase(version=9, meta={}))
    response = post_edit(client_for(bob), item, forged, body="Något helt annat.")
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.body == START


def test_the_combined_text_with_markers_left_in_is_refused(client_for, bob, item):
    client = client_for(bob)
    token = edit_page_token(client, item)
    response = post_edit(client, item, token, body="<<<<<<< C\nA\n=======\nB\n>>>>>>> du")
    assert response.status_code == 200
    assert "Texten innehåller fortfarande raderna" in response.content.decode()
    item.refresh_from_db()
    assert item.body == START


def test_the_edit_page_and_the_conflict_page_run_a_constant_number_of_queries(
    client_for, bob, carol, item
):
    from kollegium.organisations.models import Stage, Subject

    client = client_for(bob)
    url = reverse("library:edit", args=[item.pk])
    stale = edit_page_token(client, item)
    n = iter(range(100))

    def grow():
        for _i in range(3):
            k = next(n)
            current, values = fields(item, body=START.replace("Tre frågor", f"{k} frågor"))
            values["subjects"] = list(Subject.objects.all()[: k + 2])
            values["stages"] = list(Stage.objects.all()[: k + 2])
            values["links"] = [
                services.LinkInput(url=f"https://ex.org/{j}", title="") for j in range(k + 2)
            ]
            services.item_update(actor=carol, item=current, **values)

    assert_constant_queries(lambda: client.get(url), grow=grow)
    assert_constant_queries(
        lambda: post_edit(client, item, stale, body=START.replace("Tre frågor", "Två frågor")),
        grow=grow,
        expect_status=409,
    )

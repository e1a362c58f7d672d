import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kollegium.library import services
from kollegium.library.models import Attachment, Item, ItemVersion, Visibility
from kollegium.library.selectors import version_diff

from .conftest import ELF_BYTES, pdf_upload, photo_upload


def create(actor, school, **kwargs):
    kwargs.setdefault("title", "Exit tickets")
    kwargs.setdefault("body", "Tre minuter i slutet av lektionen.")
    return services.item_create(actor=actor, school=school, **kwargs)


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_creating_an_item_stores_version_one_with_the_author(bob, world):
    item = create(bob, world.school_a)
    assert item.version_number == 1
    assert list(item.authors.all()) == [bob]
    assert item.versions.get().title == "Exit tickets"
    assert item.licence == "CC-BY-4.0"


def test_every_save_stores_a_version_and_restore_makes_a_new_one(bob, world):
    item = create(bob, world.school_a, body="Första texten.")
    services.item_update(
        actor=bob, item=item, base=services.item_edit_base(item),
        title="Exit tickets", body="Andra texten.", item_type="tip",
        language="sv", visibility="school",
    )  # fmt: skip
    services.item_restore_version(actor=bob, item=item, number=1)
    item.refresh_from_db()
    assert item.body == "Första texten."
    assert list(item.versions.values_list("number", flat=True)) == [3, 2, 1]
    _, _, diff = version_diff(item=item, old=1, new=2)
    assert diff.added == 1 and diff.removed == 1


def test_an_empty_title_is_refused_and_nothing_is_saved(bob, world):
    with pytest.raises(ValidationError) as error:
        create(bob, world.school_a, title="   ")
    assert "title" in error.value.message_dict
    assert not Item.objects.exists() and not ItemVersion.objects.exists()


def test_a_broken_markdown_table_is_refused_with_its_line(bob, world):
    with pytest.raises(ValidationError) as error:
        create(bob, world.school_a, body="Plan\n\n| Vecka | Moment |\n| 1 | Läsa |")
    assert "3" in error.value.message_dict["body"][0]
    assert not Item.objects.exists()


def test_an_oversized_file_is_refused_and_nothing_is_saved(bob, world, settings, _media):
    from kollegium.library import files

    big = pdf_upload(data=b"%PDF-1.7\n" + b"0" * (files.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        create(bob, world.school_a, files=[big])
    assert "MB" in error.value.message_dict["files"][0]
    assert not Item.objects.exists() and stored_files(_media) == []


def test_an_executable_disguised_as_pdf_is_refused_and_nothing_is_saved(bob, world, _media):
    with pytest.raises(ValidationError) as error:
        create(bob, world.school_a, files=[pdf_upload("plan.pdf", ELF_BYTES)])
    assert "files" in error.value.message_dict
    assert not Item.objects.exists() and not Attachment.objects.exists()
    assert stored_files(_media) == []


def test_a_failure_after_storing_files_removes_them_again(bob, world, _media):
    with pytest.raises(ValidationError):
        create(bob, world.school_a, files=[pdf_upload()], skills=["no.such_skill"])
    assert not Item.objects.exists() and stored_files(_media) == []


def test_a_photo_is_reencoded_without_metadata_and_gets_a_display_copy(bob, world):
    item = create(bob, world.school_a, files=[photo_upload(size=(3000, 2000))])
    attachment = item.attachments.get()
    assert attachment.kind == "image" and attachment.mime_type == "image/jpeg"
    assert max(attachment.width, attachment.height) == 2000
    assert attachment.display.size < attachment.file.size


def test_publishing_from_a_source_keeps_the_link_to_it(carol, world):
    item = services.item_publish_from_source(
        actor=carol, title="Beprövad erfarenhet: sambedömning", body_markdown="**Vad vi såg**",
        item_type="proven_practice", visibility="network", school=world.school_a,
        origin_label="Läsgruppen, möte 3", origin_url="/groups/1/meetings/3/",
        skills=["assessment.co_assessment"], language="sv",
    )  # fmt: skip
    assert (item.origin_label, item.origin_url) == ("Läsgruppen, möte 3", "/groups/1/meetings/3/")
    assert list(item.skill_tags.values_list("key", flat=True)) == ["assessment.co_assessment"]
    assert "Läsgruppen" in item.versions.get().note


def test_publishing_refuses_an_origin_link_with_a_script_scheme(carol, world):
    with pytest.raises(ValidationError):
        services.item_publish_from_source(
            actor=carol, title="x", body_markdown="", item_type="answer", visibility="school",
            school=world.school_a, origin_label="x", origin_url="javascript:alert(1)",
        )  # fmt: skip


def test_sharing_with_a_group_needs_membership_of_it(carol, bob, world, group):
    with pytest.raises(ValidationError):
        create(carol, world.school_a, visibility=Visibility.GROUP, group=group)
    assert create(bob, world.school_a, visibility=Visibility.GROUP, group=group).group == group


def test_nobody_shares_in_a_school_they_do_not_belong_to(dave, world):
    with pytest.raises(PermissionDenied):
        create(dave, world.school_a)


def test_only_authors_and_the_schools_facilitators_edit(bob, carol, dave, world):
    item = create(bob, world.school_a)
    fields = {
        "title": "Ny",
        "body": "",
        "item_type": "tip",
        "language": "sv",
        "visibility": "school",
    }
    services.item_update(actor=carol, item=item, base=services.item_edit_base(item), **fields)
    with pytest.raises(PermissionDenied):
        services.item_update(actor=dave, item=item, base=services.item_edit_base(item), **fields)


def test_appreciation_is_once_per_person_and_never_for_ones_own_item(bob, carol, world):
    item = create(bob, world.school_a)
    services.item_appreciate(actor=carol, item=item)
    services.item_appreciate(actor=carol, item=item)
    assert item.appreciations.count() == 1
    with pytest.raises(ValidationError):
        services.item_appreciate(actor=bob, item=item)


def test_tried_it_needs_a_comment(bob, carol, world):
    item = create(bob, world.school_a)
    with pytest.raises(ValidationError):
        services.item_tried(actor=carol, item=item, comment="  ")
    services.item_tried(actor=carol, item=item, comment="Funkade i 5B!")
    assert item.tried.get().comment == "Funkade i 5B!"


def test_a_school_has_one_start_here_collection(alice, bob, world):
    one = create(bob, world.school_a)
    first = services.collection_save(
        actor=alice, school=world.school_a, title="Börja här", intro="", item_ids=[one.pk],
        is_start_here=True,
    )  # fmt: skip
    second = services.collection_save(
        actor=alice, school=world.school_a, title="Ny start", intro="", item_ids=[],
        is_start_here=True,
    )  # fmt: skip
    first.refresh_from_db()
    assert not first.is_start_here and second.is_start_here


def test_teachers_cannot_curate_collections_and_drafts_cannot_be_added(alice, bob, world):
    draft = create(bob, world.school_a, visibility="private")
    with pytest.raises(PermissionDenied):
        services.collection_save(actor=bob, school=world.school_a, title="x", intro="", item_ids=[])
    with pytest.raises(ValidationError):
        services.collection_save(
            actor=alice, school=world.school_a, title="x", intro="", item_ids=[draft.pk]
        )


def test_publishing_accepts_skill_objects_as_well_as_keys(carol, world):
    from types import SimpleNamespace

    item = services.item_publish_from_source(
        actor=carol, title="Svar: läsloggar", body_markdown="Så här gör vi.", item_type="answer",
        visibility="school", school=world.school_a, origin_label="Fråga en kollega",
        origin_url="/questions/3/", skills=[SimpleNamespace(key="literacy.comprehension")],
    )  # fmt: skip
    assert list(item.skill_tags.values_list("key", flat=True)) == ["literacy.comprehension"]


def test_an_unknown_skill_key_is_refused_and_nothing_is_saved(carol, world):
    with pytest.raises(ValidationError) as error:
        create(carol, world.school_a, skills=["no.such_skill"])
    assert "skills" in error.value.message_dict
    assert not Item.objects.exists()

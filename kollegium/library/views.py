"""Thin views: parse the request, check access, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.forms import apply_validation_error
from kollegium.core.params import get_int, get_page
from kollegium.core.textmerge import EditConflict
from kollegium.groups.models import LearningGroup
from kollegium.library import permissions, selectors, services
from kollegium.library.forms import (
    CollectionForm,
    ItemEditForm,
    ItemForm,
    QuickShareForm,
    TriedItForm,
)
from kollegium.library.models import Item, ItemType, ItemVersion, Language
from kollegium.library.skills import skill_choices
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.organisations.models import Stage, Subject


def _my_groups(request: HttpRequest) -> list[Any]:
    ids = permissions.group_ids_for_user(actor_of(request))
    return list(LearningGroup.objects.filter(pk__in=ids).order_by("name")) if ids else []


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters(
        **{
            k: request.GET.get(k, "")[:64]
            for k in ("item_type", "skill", "subject", "stage", "language")
        }
    )
    raw = request.GET.get("q", "")[:300]
    page = selectors.search_items(
        user=actor_of(request), raw=raw, filters=filters, page=get_page(request.GET)
    )
    context = {
        "page": page, "raw": raw, "filters": filters, "item_types": ItemType.choices,
        "languages": Language.choices, "subjects": Subject.objects.all(),
        "stages": Stage.objects.all(), "skills": skill_choices(),
        "school": current_school(request),
    }  # fmt: skip
    htmx = getattr(request, "htmx", False)
    template = "library/index.html#results" if htmx else "library/index.html"
    return render(request, template, context)


def _create_item(request: HttpRequest, form: QuickShareForm, school: Any) -> Item:
    data = form.cleaned_data
    return services.item_create(
        actor=actor_of(request), school=school, title=data["title"], body=data["body"],
        item_type=data.get("item_type") or ItemType.TIP,
        language=data.get("language") or (request.LANGUAGE_CODE or "sv")[:2],
        visibility=data["visibility"], group=form.chosen_group(),
        subjects=data.get("subjects") or (), stages=data.get("stages") or (),
        skills=data.get("skills") or (), licence=data.get("licence") or "CC-BY-4.0",
        files=data.get("files") or [],
        links=form.link_inputs() if isinstance(form, ItemForm) else (),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    """Quick share from a phone: a title, a few lines, optionally a photo or a file."""
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    groups = _my_groups(request)
    form = QuickShareForm(request.POST or None, request.FILES or None, groups=groups)
    done = form_action(
        request,
        form,
        lambda: _create_item(request, form, school),
        success=_("Shared. Thank you!"),
        redirect_to=lambda item: item,
    )
    return done or render(request, "library/share.html", {"form": form, "school": school})


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    form = ItemForm(
        request.POST or None, request.FILES or None, groups=_my_groups(request),
        skill_choices=skill_choices(),
        initial={"language": (request.LANGUAGE_CODE or "sv")[:2]},
    )  # fmt: skip
    done = form_action(
        request,
        form,
        lambda: _create_item(request, form, school),
        success=_("Saved."),
        redirect_to=lambda item: item,
    )
    return done or render(request, "library/edit.html", {"form": form, "school": school})


@require_http_methods(["GET"])
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    context = {
        "item": item, "can_edit": permissions.can_edit_item(actor_of(request), item),
        "is_author": permissions.is_author(actor_of(request), item), "tried_form": TriedItForm(),
        "collections": selectors.curatable_collections(user=actor_of(request), item=item),
    }  # fmt: skip
    return render(request, "library/item.html", context)


@require_http_methods(["GET"])
def item_print(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    return render(request, "library/print.html", {"item": item})


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an item from the version the form started from: merged, or a conflict to resolve."""
    item = selectors.item_for_edit(user=actor_of(request), pk=pk)
    if not permissions.can_edit_item(actor_of(request), item):
        raise PermissionDenied
    initial = ItemForm.initial_for(item)
    if request.method == "GET":
        initial["version"] = ItemEditForm.token_for(services.item_edit_base(item))
    form = ItemEditForm(
        _chosen(request), request.FILES or None, groups=_my_groups(request),
        skill_choices=skill_choices(), initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            saved = _update(request, item, form)
        except EditConflict as conflict:
            return _edit_conflict(request, item, conflict)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _saved_message(saved))
            return redirect(item)
    return render(request, "library/edit.html", {"form": form, "item": item})


def _chosen(request: HttpRequest) -> Any:
    """The posted form; on a conflict page's "keep my text", with the person's own text."""
    if request.method != "POST":
        return None
    if request.POST.get("choice") != "mine":
        return request.POST
    data = request.POST.copy()
    data["title"], data["body"] = data.get("mine-title", ""), data.get("mine-body", "")
    return data


def _saved_message(saved: services.ItemSaved) -> str:
    if not saved.merged:
        return _("Saved as a new version.")
    if saved.merged_with:
        return _("Your changes were saved, merged with the changes %(names)s made meanwhile.") % {
            "names": ", ".join(saved.merged_with)
        }
    return _("Your changes were saved, merged with changes saved meanwhile.")


def _edit_conflict(request: HttpRequest, item: Item, conflict: EditConflict) -> HttpResponse:
    """The edit page again, nothing saved: both texts side by side, the combined text in the
    form (from the version saved now), the person's other choices kept."""
    fields = conflict.field_map
    title, body = fields["title"], fields["body"]
    data = request.POST.copy()
    data["title"] = title.merge.text if title.merge.clean else title.mine
    data["body"] = body.merge.text
    saved_now = selectors.item_detail(user=actor_of(request), pk=item.pk)
    data["version"] = ItemEditForm.token_for(services.item_edit_base(saved_now))
    form = ItemEditForm(data, groups=_my_groups(request), skill_choices=skill_choices())
    labels = {name: form.fields[name].label for name in form.fields}
    context = {
        "form": form, "item": saved_now, "conflict": conflict,
        "fields": [(_("Title"), title), (_("Text"), body)],
        "settings": [labels.get(name, name) for name in conflict.settings],
        "editors": ", ".join(conflict.editors), "files_dropped": bool(request.FILES),
    }  # fmt: skip
    return render(request, "library/edit.html", context, status=409)


def _update(request: HttpRequest, item: Item, form: ItemEditForm) -> services.ItemSaved:
    data = form.cleaned_data
    return services.item_update(
        actor=actor_of(request), item=item, title=data["title"], body=data["body"],
        item_type=data["item_type"], language=data["language"], visibility=data["visibility"],
        group=form.chosen_group(), subjects=data["subjects"], stages=data["stages"],
        skills=data.get("skills") or (), licence=data["licence"], files=data["files"],
        links=form.link_inputs(), note=data["note"], base=form.base(),
    )  # fmt: skip


@require_http_methods(["GET"])
def history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    versions = selectors.item_versions(item=item)
    old, new = get_int(request.GET, "old", 0), get_int(request.GET, "new", 0)
    comparison = None
    if old and new:
        try:
            comparison = selectors.version_diff(item=item, old=old, new=new)
        except ItemVersion.DoesNotExist as exc:
            raise Http404 from exc
    context = {
        "item": item, "versions": versions, "comparison": comparison, "old": old, "new": new,
        "can_edit": permissions.can_edit_item(actor_of(request), item),
    }  # fmt: skip
    return render(request, "library/history.html", context)


@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    return post_action(
        request,
        lambda: services.item_restore_version(actor=actor_of(request), item=item, number=number),
        success=_("Version %(n)s restored as a new version.") % {"n": number},
        redirect_to=item,
        error_redirect_to=("library:history", item.pk),
    )


@require_POST
def appreciate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    return post_action(
        request,
        lambda: services.item_appreciate(
            actor=actor_of(request), item=item, helped=request.POST.get("helped") != "0"
        ),
        redirect_to=item,
    )


@require_POST
def tried(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=actor_of(request), pk=pk)
    return post_action(
        request,
        lambda: services.item_tried(
            actor=actor_of(request), item=item, comment=request.POST.get("comment", "")
        ),
        success=_("Thank you for telling how it went."),
        redirect_to=item,
    )


def _serve(field: Any, name: str, mime: str, inline: bool) -> FileResponse:
    response = FileResponse(field.open("rb"), as_attachment=not inline, filename=name)
    response["Content-Type"] = mime
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Every download checks the item's visibility; there is no public URL for a file."""
    attachment = permissions.get_attachment_for_user_or_404(actor_of(request), pk)
    return _serve(attachment.file, attachment.original_name, attachment.mime_type, False)


@require_http_methods(["GET"])
def attachment_display(request: HttpRequest, pk: int) -> FileResponse:
    attachment = permissions.get_attachment_for_user_or_404(actor_of(request), pk)
    if not attachment.display:
        raise Http404
    return _serve(attachment.display, attachment.original_name, "image/jpeg", True)


@require_http_methods(["GET"])
def collections(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    context = {
        "collections": selectors.collections_for_user(user=actor_of(request), school=school),
        "can_curate": permissions.can_curate_collections(actor_of(request), school),
        "school": school,
    }
    return render(request, "library/collections.html", context)


@require_http_methods(["GET"])
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(actor_of(request), pk)
    context = {
        "collection": found,
        "items": selectors.collection_items(user=actor_of(request), collection=found),
        "can_curate": permissions.can_curate_collections(actor_of(request), found.school),
    }
    return render(request, "library/collection.html", context)


@require_http_methods(["GET", "POST"])
def collection_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(actor_of(request), pk) if pk else None
    school = found.school if found else current_school(request)
    if not permissions.can_curate_collections(actor_of(request), school):
        raise PermissionDenied
    form = CollectionForm(request.POST or None, initial=selectors.collection_initial(found))
    done = form_action(
        request,
        form,
        lambda: services.collection_save(
            actor=actor_of(request), school=school, collection=found,
            title=form.cleaned_data["title"], intro=form.cleaned_data["intro"],
            is_start_here=form.cleaned_data["is_start_here"], item_ids=form.item_ids(),
        ),
        redirect_to=lambda saved: saved,
    )  # fmt: skip
    context = {"form": form, "collection": found}
    return done or render(request, "library/collection_edit.html", context)


@require_POST
def collection_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(actor_of(request), pk)
    item = selectors.item_detail(user=actor_of(request), pk=get_int(request.POST, "item", 0))
    return post_action(
        request,
        lambda: services.collection_add_item(actor=actor_of(request), collection=found, item=item),
        success=_("Added to %(title)s.") % {"title": found.title},
        redirect_to=item,
    )


@require_http_methods(["GET"])
def start_here(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    found = selectors.start_here_collection(school=school)
    if found is None:
        return redirect("library:collections")
    # Opening it is a step of a new colleague's first week (issue 16).
    services.start_here_visit_record(actor=actor_of(request), school=school)
    return redirect(found)

"""Thin views: parse the request, check access, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kollegium.core.forms import apply_validation_error
from kollegium.core.params import get_int, get_page
from kollegium.groups.models import LearningGroup
from kollegium.library import permissions, selectors, services
from kollegium.library.forms import CollectionForm, ItemForm, QuickShareForm, TriedItForm
from kollegium.library.models import Item, ItemType, ItemVersion, Language
from kollegium.library.skills import skill_choices
from kollegium.organisations.current import current_school
from kollegium.organisations.models import Stage, Subject


def _my_groups(request: HttpRequest) -> list[Any]:
    ids = permissions.group_ids_for_user(request.user)
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
        user=request.user, raw=raw, filters=filters, page=get_page(request.GET)
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


def _save_item_form(request: HttpRequest, form: QuickShareForm, school: Any) -> Item | None:
    data = form.cleaned_data
    try:
        return services.item_create(
            actor=request.user, school=school, title=data["title"], body=data["body"],
            item_type=data.get("item_type") or ItemType.TIP,
            language=data.get("language") or (request.LANGUAGE_CODE or "sv")[:2],
            visibility=data["visibility"], group=form.chosen_group(),
            subjects=data.get("subjects") or (), stages=data.get("stages") or (),
            skills=data.get("skills") or (), licence=data.get("licence") or "CC-BY-4.0",
            files=data.get("files") or [],
            links=form.link_inputs() if isinstance(form, ItemForm) else (),
        )  # fmt: skip
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    """Quick share from a phone: a title, a few lines, optionally a photo or a file."""
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    groups = _my_groups(request)
    form = QuickShareForm(request.POST or None, request.FILES or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        item = _save_item_form(request, form, school)
        if item is not None:
            messages.success(request, _("Shared. Thank you!"))
            return redirect(item)
    return render(request, "library/share.html", {"form": form, "school": school})


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
    if request.method == "POST" and form.is_valid():
        item = _save_item_form(request, form, school)
        if item is not None:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "library/edit.html", {"form": form, "school": school})


@require_http_methods(["GET"])
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    context = {
        "item": item, "can_edit": permissions.can_edit_item(request.user, item),
        "is_author": permissions.is_author(request.user, item), "tried_form": TriedItForm(),
        "collections": selectors.curatable_collections(user=request.user, item=item),
    }  # fmt: skip
    return render(request, "library/item.html", context)


@require_http_methods(["GET"])
def item_print(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    return render(request, "library/print.html", {"item": item})


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    form = ItemForm(
        request.POST or None, request.FILES or None, groups=_my_groups(request),
        skill_choices=skill_choices(), initial=ItemForm.initial_for(item),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            _update(request, item, form)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect(item)
    return render(request, "library/edit.html", {"form": form, "item": item})


def _update(request: HttpRequest, item: Item, form: ItemForm) -> None:
    data = form.cleaned_data
    services.item_update(
        actor=request.user, item=item, title=data["title"], body=data["body"],
        item_type=data["item_type"], language=data["language"], visibility=data["visibility"],
        group=form.chosen_group(), subjects=data["subjects"], stages=data["stages"],
        skills=data.get("skills") or (), licence=data["licence"], files=data["files"],
        links=form.link_inputs(), note=data["note"],
    )  # fmt: skip


@require_http_methods(["GET"])
def history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
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
        "can_edit": permissions.can_edit_item(request.user, item),
    }  # fmt: skip
    return render(request, "library/history.html", context)


@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    try:
        services.item_restore_version(actor=request.user, item=item, number=number)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("library:history", pk=item.pk)
    messages.success(request, _("Version %(n)s restored as a new version.") % {"n": number})
    return redirect(item)


@require_POST
def appreciate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    try:
        services.item_appreciate(
            actor=request.user, item=item, helped=request.POST.get("helped") != "0"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item)


@require_POST
def tried(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_detail(user=request.user, pk=pk)
    try:
        services.item_tried(actor=request.user, item=item, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for telling how it went."))
    return redirect(item)


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
    attachment = permissions.get_attachment_for_user_or_404(request.user, pk)
    return _serve(attachment.file, attachment.original_name, attachment.mime_type, False)


@require_http_methods(["GET"])
def attachment_display(request: HttpRequest, pk: int) -> FileResponse:
    attachment = permissions.get_attachment_for_user_or_404(request.user, pk)
    if not attachment.display:
        raise Http404
    return _serve(attachment.display, attachment.original_name, "image/jpeg", True)


@require_http_methods(["GET"])
def collections(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    context = {
        "collections": selectors.collections_for_user(user=request.user, school=school),
        "can_curate": permissions.can_curate_collections(request.user, school),
        "school": school,
    }
    return render(request, "library/collections.html", context)


@require_http_methods(["GET"])
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(request.user, pk)
    context = {
        "collection": found,
        "items": selectors.collection_items(user=request.user, collection=found),
        "can_curate": permissions.can_curate_collections(request.user, found.school),
    }
    return render(request, "library/collection.html", context)


@require_http_methods(["GET", "POST"])
def collection_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(request.user, pk) if pk else None
    school = found.school if found else current_school(request)
    if not permissions.can_curate_collections(request.user, school):
        raise PermissionDenied
    form = CollectionForm(request.POST or None, initial=selectors.collection_initial(found))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.collection_save(
                actor=request.user, school=school, collection=found,
                title=form.cleaned_data["title"], intro=form.cleaned_data["intro"],
                is_start_here=form.cleaned_data["is_start_here"], item_ids=form.item_ids(),
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(saved)
    return render(request, "library/collection_edit.html", {"form": form, "collection": found})


@require_POST
def collection_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.get_collection_for_user_or_404(request.user, pk)
    item = selectors.item_detail(user=request.user, pk=get_int(request.POST, "item", 0))
    try:
        services.collection_add_item(actor=request.user, collection=found, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Added to %(title)s.") % {"title": found.title})
    return redirect(item)


@require_http_methods(["GET"])
def start_here(request: HttpRequest) -> HttpResponse:
    found = selectors.start_here_collection(school=current_school(request))
    if found is None:
        return redirect("library:collections")
    return redirect(found)

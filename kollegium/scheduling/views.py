"""Thin views: parse the request, check access, call a selector or a service, render."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.core.actions import form_action, post_action
from kollegium.core.forms import apply_validation_error
from kollegium.core.jinja import render_fragment
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school

from . import feeds, permissions, selectors, services
from .forms import (
    CsvUploadForm,
    DedicatedTimeForm,
    FreeTimeForm,
    IcsUploadForm,
    ManualEntryForm,
    SlotMeetingForm,
    SubscriptionForm,
)
from .meetings import meeting_planner
from .models import Source

UPCOMING_DAYS = 14


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The person's timetable for the next two weeks and the ways to bring it in."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time(0)))
    entries = selectors.own_entries(
        actor=actor_of(request), start=start, end=start + timedelta(days=UPCOMING_DAYS)
    )
    days: dict[Any, list] = defaultdict(list)
    for entry in entries:
        days[timezone.localtime(entry.start).date()].append(entry)
    classification = selectors.own_classification(actor=actor_of(request))
    text = _index_text()
    context = {
        "counts": selectors.own_entry_count(actor=actor_of(request)),
        "sources": Source,
        "imports": selectors.own_imports(actor=actor_of(request)),
        "subscription": selectors.own_subscription(actor=actor_of(request)),
        "classification": classification,
        # The rows of the two weeks and of the series are Jinja2 fragments (issue 10).
        "days_html": render_fragment(
            "scheduling/_coming_days.html",
            {"days": sorted(days.items()), "text": text},
            request,
        ),
        "series_html": render_fragment(
            "scheduling/_series_rows.html",
            {
                "series": classification["series"],
                "text": text,
                "series_url": reverse("scheduling:series_correct"),
            },
            request,
        ),
    }
    return render(request, "scheduling/index.html", context)


def _index_text() -> dict[str, str]:
    """The timetable page's row labels, translated once per page."""
    return {
        "lesson": _("Lesson"),
        "not_lesson": _("Not a lesson"),
        "this_is_lesson": _("This is a lesson"),
        "remove": _("Remove"),
        "nothing": _("Nothing in your timetable for the next two weeks yet."),
    }


@require_POST
def series_correct(request: HttpRequest) -> HttpResponse:
    """A teacher marks a series as a lesson or not; it sticks across re-imports."""
    is_lesson = request.POST.get("is_lesson") == "1"
    series_key = request.POST.get("series_key", "")[:300]
    if is_lesson:
        done = _("Marked as a lesson. Only lessons can be chosen for observations.")
    else:
        done = _("Marked as not a lesson. It stays busy time but is never observed.")
    return post_action(
        request,
        lambda: services.timetable_series_correct(
            actor=actor_of(request), series_key=series_key, is_lesson=is_lesson
        ),
        success=done,
        redirect_to="scheduling:index",
    )


def _import_page(
    request: HttpRequest, form: Any, *, title: str, intro: str, action: str
) -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro, "action": action}
    return render(request, "scheduling/import_form.html", context)


def _done(request: HttpRequest, record: Any) -> HttpResponse:
    messages.success(
        request,
        ngettext("%(n)d lesson was imported.", "%(n)d lessons were imported.", record.lessons_read)
        % {"n": record.lessons_read},
    )
    return redirect("scheduling:import_report", import_id=record.pk)


def _file_error(form: Any, error: ValidationError) -> None:
    """Import problems belong to the file: shown next to the file field, tied to it."""
    if hasattr(error, "error_dict"):
        apply_validation_error(form, error)
    else:
        form.add_error("file", error.messages)


@require_http_methods(["GET", "POST"])
def import_ics(request: HttpRequest) -> HttpResponse:
    form = IcsUploadForm(request.POST or None, request.FILES or None)

    def store() -> Any:
        upload = form.cleaned_data["file"]
        return services.timetable_import_ics(
            actor=actor_of(request),
            data=upload.read(services.MAX_UPLOAD_BYTES + 1),
            name=upload.name,
        )

    done = form_action(
        request,
        form,
        store,
        redirect_to=lambda record: _done(request, record),
        on_error=_file_error,
    )
    return done or _import_page(
        request, form, title=_("Import an iCalendar file"), action="scheduling:import_ics",
        intro=_("Your earlier lessons from iCalendar files are replaced by the ones in the file."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    form = CsvUploadForm(request.POST or None, request.FILES or None)

    def store() -> Any:
        data = form.cleaned_data
        return services.timetable_import_csv(
            actor=actor_of(request), data=data["file"].read(services.MAX_UPLOAD_BYTES + 1),
            name=data["file"].name, first=data["first_date"], last=data["last_date"],
        )  # fmt: skip

    done = form_action(
        request,
        form,
        store,
        redirect_to=lambda record: _done(request, record),
        on_error=_file_error,
    )
    return done or _import_page(
        request, form, title=_("Import a CSV file"), action="scheduling:import_csv",
        intro=_("Each line is a weekly lesson, repeated in the weeks you list between the dates."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    current = selectors.own_subscription(actor=actor_of(request))
    form = SubscriptionForm(request.POST or None, initial={"url": current.url if current else ""})
    done = form_action(
        request,
        form,
        lambda: services.timetable_subscribe(actor=actor_of(request), url=form.cleaned_data["url"]),
        redirect_to=lambda record: _done(request, record),
    )
    return done or render(
        request, "scheduling/subscription.html", {"form": form, "current": current}
    )


@require_POST
def subscription_refresh(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        lambda: services.timetable_subscription_refresh(actor=actor_of(request)),
        redirect_to=lambda record: _done(request, record),
        error_redirect_to="scheduling:subscription",
    )


@require_POST
def subscription_remove(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        lambda: services.timetable_subscription_remove(actor=actor_of(request)),
        success=_("The subscription and its lessons were removed."),
        redirect_to="scheduling:index",
    )


@require_http_methods(["GET", "POST"])
def manual(request: HttpRequest) -> HttpResponse:
    form = ManualEntryForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.timetable_entry_add(actor=actor_of(request), **form.cleaned_data),
        success=lambda count: (
            ngettext("%(n)d occurrence was added.", "%(n)d occurrences were added.", count)
            % {"n": count}
        ),
        redirect_to="scheduling:index",
    )
    return done or render(request, "scheduling/manual.html", {"form": form})


@require_GET
def import_report(request: HttpRequest, import_id: int) -> HttpResponse:
    record = permissions.get_own_import_or_404(actor_of(request), import_id)
    classification = sorted(
        (selectors.reason_label(reason), n) for reason, n in record.classification.items()
    )
    context = {"record": record, "classification": classification}
    return render(request, "scheduling/import_report.html", context)


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        lambda: services.timetable_clear(
            actor=actor_of(request), source=request.POST.get("source", "")
        ),
        success=lambda count: (
            ngettext("%(n)d entry was removed.", "%(n)d entries were removed.", count)
            % {"n": count}
        ),
        redirect_to="scheduling:index",
    )


@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = permissions.get_own_entry_or_404(actor_of(request), entry_id)
    return post_action(
        request,
        lambda: services.timetable_entry_delete(actor=actor_of(request), entry=entry),
        success=_("The entry was removed."),
        redirect_to="scheduling:index",
    )


@require_GET
def free_time(request: HttpRequest) -> HttpResponse:
    """Find common free time for a set of colleagues within school hours."""
    school = current_school(request)
    colleagues = selectors.colleagues_for(actor=actor_of(request), school=school)
    teams = selectors.teams_for(actor=actor_of(request), school=school)
    planner = meeting_planner()
    groups = {g.key: g for g in planner.groups_for(actor_of(request))} if planner else {}
    form = FreeTimeForm(
        request.GET if "start" in request.GET else None,
        people_choices=[(u.pk, u.full_name or u.email) for u in colleagues],
        team_choices=[(team.pk, team.name) for team, _members in teams],
        group_choices=[(g.key, g.name) for g in groups.values()],
    )
    slots, group = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        group = groups.get(data.get("group") or 0)
        chosen = set(data["people"]) | set(group.member_ids if group else ())
        chosen |= set({team.pk: ids for team, ids in teams}.get(data["team"], ()))
        try:
            slots = selectors.common_free_slots(
                actor=actor_of(request), users=chosen, start=data["start"], end=data["end"],
                min_minutes=data["min_minutes"], day_start=data["day_start"],
                day_end=data["day_end"],
            )  # fmt: skip
        except PermissionDenied as error:
            if group is None:
                raise Http404 from error
            # A network group: members at other schools, whose timetables are not visible here.
            form.add_error("group", _("Some members of this group work at other schools."))
            group = None
    context = {
        "form": form, "slots": slots, "school": school, "meeting_group": group,
        "meeting_minutes": form.cleaned_data["min_minutes"] if group else None,
        "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "scheduling/free_time.html", context)


@require_POST
def free_time_meeting(request: HttpRequest) -> HttpResponse:
    """One suggested time becomes the group's next meeting (the group's facilitators only)."""
    form = SlotMeetingForm(request.POST)
    query = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: only a query
    back = f"{reverse('scheduling:free_time')}?{query}"
    try:
        return post_action(
            request,
            lambda: services.free_time_to_meeting(actor=actor_of(request), **form.cleaned_data),
            form=form,
            success=_("The meeting was scheduled. The group's members see it in their calendars."),
            redirect_to=lambda url: url,
            error_redirect_to=back,
        )
    except PermissionDenied as error:
        raise Http404 from error


@require_http_methods(["GET", "POST"])
def dedicated(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None:
        raise Http404
    can_manage = permissions.can_manage_dedicated_time(actor_of(request), school)
    form = DedicatedTimeForm(request.POST or None) if can_manage else None
    done = None
    if form is not None:
        done = form_action(
            request,
            form,
            lambda: services.dedicated_time_create(
                actor=actor_of(request), school=school, **form.cleaned_data
            ),
            success=_("The dedicated time was added."),
            redirect_to="scheduling:dedicated",
        )
    elif request.method == "POST":
        raise Http404
    items = selectors.dedicated_times_for(actor=actor_of(request), school=school)
    context = {"school": school, "items": items, "form": form, "can_manage": can_manage}
    return done or render(request, "scheduling/dedicated.html", context)


@require_http_methods(["GET", "POST"])
def dedicated_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = permissions.get_dedicated_time_for_manager_or_404(actor_of(request), item_id)
    initial = {
        f: getattr(item, f)
        for f in ("title", "weekday", "start_time", "end_time", "first_date", "last_date",
                  "every_weeks")
    }  # fmt: skip
    form = DedicatedTimeForm(request.POST or None, initial=initial)
    done = form_action(
        request,
        form,
        lambda: services.dedicated_time_update(
            actor=actor_of(request), item=item, **form.cleaned_data
        ),
        success=_("The dedicated time was changed."),
        redirect_to="scheduling:dedicated",
    )
    return done or render(request, "scheduling/dedicated_edit.html", {"form": form, "item": item})


@require_POST
def dedicated_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = permissions.get_dedicated_time_for_manager_or_404(actor_of(request), item_id)
    return post_action(
        request,
        lambda: services.dedicated_time_delete(actor=actor_of(request), item=item),
        success=_("The dedicated time was removed."),
        redirect_to="scheduling:dedicated",
    )


@require_http_methods(["GET", "POST"])
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    new_url = None
    if request.method == "POST":
        _feed, token = services.calendar_feed_create(actor=actor_of(request))
        new_url = request.build_absolute_uri(reverse("scheduling:feed", args=[token]))
    context = {"feeds": selectors.feeds_for(actor=actor_of(request)), "new_url": new_url}
    return render(request, "scheduling/feeds.html", context)


@require_POST
def calendar_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = permissions.get_own_feed_or_404(actor_of(request), feed_id)
    return post_action(
        request,
        lambda: services.calendar_feed_revoke(actor=actor_of(request), feed=feed),
        success=_("The address was turned off. Calendars using it stop updating."),
        redirect_to="scheduling:feeds",
    )


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The public side of a private feed: whoever has the secret address gets the calendar."""
    feed = selectors.active_feed_by_hash(services.hash_token(token))
    if feed is None:
        raise Http404
    body = feeds.feed_for_user(feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kollegium.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response

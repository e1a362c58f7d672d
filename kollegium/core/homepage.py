"""The person's home page, kept ready per person so that opening it costs almost nothing.

Rendering the home page asks five apps for their panels (a dozen queries and a large template).
People open it far more often than its content changes, so the rendered page is kept in the
``home`` cache (in each server process's memory) under a key made of the person, the
*version* of their home page, the language and the chosen school:

- every change to something a home page shows raises the version of the people it concerns,
  in the same transaction as the change (``home_changed``; apps wire their models with
  ``watch`` in their hooks.py, and call ``home_changed`` after bulk writes, which send no
  signals). A copy is therefore never used once the data under it has changed;
- what changes with time alone (a meeting starting, the date turning) is covered by each
  panel's ``fresh_until`` and by the next midnight: a copy is not used after its time;
- per-request values (the CSRF token) are left as a marker in the copy and filled in on the
  way out; a page with messages to show, or with a query string, is never cached.

The version is read with the session and the signed-in person, in the one statement every
signed-in request makes (kollegium/accounts/signed_in.py), so a kept page costs no query of
its own.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone

from kollegium.core import registry
from kollegium.core.models import HomeVersion

CACHE_ALIAS = "home"
TEMPLATE = "core/home.html"
# Random per process, so no text a person writes can stand in for it.
_CSRF_MARKER = f"csrf-{secrets.token_hex(16)}"
_VERSION_SQL = f"SELECT version FROM {HomeVersion._meta.db_table} WHERE user_id = %s"  # noqa: S608

Ids = Iterable[int] | models.QuerySet


# --- Raising versions ------------------------------------------------------------------------


def home_changed(*, user_ids: Ids = (), school_ids: Ids = ()) -> None:
    """Raise the home-page version of these people, and of everyone at these schools.

    Call it inside the transaction that changes the data, so both commit or neither does.
    Either may be a queryset of ids: it becomes a subquery of the one UPDATE statement.
    """
    user_ids = _ids(user_ids)
    if user_ids:
        _raise(HomeVersion.objects.filter(user_id__in=user_ids))
    school_ids = _ids(school_ids)
    if school_ids:
        # Who works at these schools: the organisations app answers (its hooks.py).
        members = registry.school_people(school_ids)
        _raise(HomeVersion.objects.filter(user_id__in=members))


def home_changed_everyone() -> None:
    """Raise everyone's home-page version (their kept home pages and page frames are made anew),
    and drop the pages this process keeps once the transaction commits.

    For what may be on anyone's page, such as the name of a person just erased: rare, one
    UPDATE. Other processes' kept pages are then under old versions, never served again, and
    expire (frames after the cache's timeout, home pages when they would have gone stale).
    """
    from kollegium.core import frame

    _raise(HomeVersion.objects.all())

    def drop() -> None:
        caches[CACHE_ALIAS].clear()
        caches[frame.CACHE_ALIAS].clear()

    transaction.on_commit(drop)


def _ids(ids: Ids) -> Ids:
    if isinstance(ids, models.QuerySet):
        return ids
    return {pk for pk in ids if pk is not None}


def _raise(versions: models.QuerySet) -> None:
    versions.update(version=F("version") + 1)


def watch(
    model: type[models.Model],
    *,
    users: Callable[[Any], Ids] | None = None,
    schools: Callable[[Any], Ids] | None = None,
    when: Callable[[Any, dict[str, Any]], bool] | None = None,
) -> None:
    """Raise the versions of the people a saved or deleted `model` row concerns.

    `users(instance)` gives user ids, `schools(instance)` school ids whose members are all
    concerned (either may be a queryset of ids); `when(instance, signal_kwargs)` may skip
    saves that change nothing shown (say, a last-login stamp).
    """

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw") or (when is not None and not when(instance, kwargs)):
            return
        home_changed(
            user_ids=users(instance) if users else (),
            school_ids=schools(instance) if schools else (),
        )

    uid = f"home-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


# --- Serving the page --------------------------------------------------------------------------


def home_response(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home page, from the cache while it is still true."""
    if request.GET or len(get_messages(request)):
        return HttpResponse(_render(request, csrf_token=None)[0])
    user_id: int = request.user.pk  # type: ignore[assignment]  # signed in: never None
    # Read with the session and the person (kollegium/accounts/signed_in.py); None if the
    # person has no version row yet.
    version = getattr(request.user, "home_version", None)
    if version is None:
        version = _version(user_id)
    key = (
        f"home:{user_id}:{version}:{request.LANGUAGE_CODE}:"
        f"{request.session.get('kollegium_school_id', '')}"
    )
    cache = caches[CACHE_ALIAS]
    now = time.time()
    kept = cache.get(key)
    if kept is not None and kept[0] > now:
        return _respond(request, kept[1])
    page, fresh_until = _render(request, csrf_token=_CSRF_MARKER)
    cache.set(key, (fresh_until, page), timeout=max(1, int(fresh_until - now)))
    return _respond(request, page)


def version_row_create(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A new person's version row, so their first visit needs no insert."""
    if created and not kwargs.get("raw"):
        HomeVersion.objects.bulk_create([HomeVersion(user_id=instance.pk)], ignore_conflicts=True)


def _version(user_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [user_id])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # Made before the page's data is read, so a change after this point raises it.
    HomeVersion.objects.bulk_create([HomeVersion(user_id=user_id)], ignore_conflicts=True)
    return _version(user_id)


def _respond(request: HttpRequest, page: str) -> HttpResponse:
    return HttpResponse(page.replace(_CSRF_MARKER, get_token(request)))


def _render(request: HttpRequest, *, csrf_token: str | None) -> tuple[str, float]:
    """The page, and until when (a Unix time) it stays true if nothing is written."""
    panels = []
    fresh_until = next_midnight()
    for panel in registry.home_panels():
        context = panel.context(request)
        if context is None:
            continue
        panels.append(
            {"template_name": panel.template_name, "context": context, "section": panel.section}
        )
        if panel.fresh_until is not None:
            until = panel.fresh_until(context)
            if until is not None:
                fresh_until = min(fresh_until, until)
    page_context: dict[str, Any] = {
        "panels": [p for p in panels if p["section"] == "main"],
        "leader_panels": [p for p in panels if p["section"] == "leader"],
        # The frame's own values (staff_owners, from the organisations app's hooks.py).
        **registry.home_context(request),
    }
    if csrf_token is not None:
        page_context["csrf_token"] = csrf_token
    page = render_to_string(TEMPLATE, page_context, request)
    return page, fresh_until.timestamp()


def next_midnight() -> datetime:
    """Dates on the page ("time to reflect", "tomorrow") change when the local date does."""
    today = timezone.localdate()
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(tomorrow)

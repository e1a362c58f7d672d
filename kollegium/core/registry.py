"""Extension points that apps fill from their hooks.py, so the core never imports features.

- nav items: the main navigation;
- home panels: sections of the person's home page;
- calendar sources: events for the personal calendar feed;
- the publisher: where work made in one app (a group's proven practice) becomes shared
  knowledge, so the app that makes it need not know the library;
- school people and home-page context: what the home page needs from organisations;
- search kinds: what the one search box finds, app by app (``/search/``).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest

from kollegium.core.acting import ActingPerson


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    order: int = 100
    # Extra URL prefixes that should mark this item as current.
    match_prefix: str = ""
    visible: Callable[[HttpRequest], bool] | None = None


@dataclass(frozen=True)
class HomePanel:
    """A home-page section. `context` must run a constant number of queries.

    The home page is cached per person (core/homepage.py): the app raises the people's home
    version when its data changes, and `fresh_until(context)` says when the panel changes with
    time alone (a meeting starting, say); None if only at midnight.
    """

    template_name: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100
    fresh_until: Callable[[dict[str, Any]], datetime | None] | None = None
    # "main" for everyone's panels; "leader" for a school leader's or owner staff's panel,
    # shown together under the home page's "Leading the school" heading (its <h2>), so such
    # a panel titles itself with an <h3>. Its context returns None for anyone else.
    section: str = "main"


HOME_SECTIONS = ("leader", "main")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across edits, e.g. "group-meeting-42@kollegium"
    title: str
    start: datetime
    end: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    last_modified: datetime | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)


# A source gets the stored person (core cannot know the accounts app's User).
CalendarSource = Callable[[AbstractBaseUser, datetime, datetime], Iterable[CalendarEvent]]
# Events of many people at once, keyed by user id, in a constant number of queries.
CalendarBatchSource = Callable[
    [Sequence[AbstractBaseUser], datetime, datetime], Mapping[int, Iterable[CalendarEvent]]
]

_nav_items: list[NavItem] = []
_home_panels: list[HomePanel] = []
_calendar_sources: list[CalendarSource] = []
_calendar_batch_sources: dict[CalendarSource, CalendarBatchSource] = {}


def register_nav_item(item: NavItem) -> None:
    if item.url_name not in {existing.url_name for existing in _nav_items}:
        _nav_items.append(item)
        _nav_items.sort(key=lambda i: i.order)


def register_home_panel(panel: HomePanel) -> None:
    if panel.section not in HOME_SECTIONS:
        raise ValueError(f"Unknown home section {panel.section!r}: one of {HOME_SECTIONS}")
    if panel.template_name not in {existing.template_name for existing in _home_panels}:
        _home_panels.append(panel)
        _home_panels.sort(key=lambda p: p.order)


def register_calendar_source(
    source: CalendarSource, *, batch: CalendarBatchSource | None = None
) -> None:
    """`batch`, when given, answers for many people at once (used by free-time and rounds)."""
    if source not in _calendar_sources:
        _calendar_sources.append(source)
    if batch is not None:
        _calendar_batch_sources[source] = batch


def nav_items() -> list[NavItem]:
    return list(_nav_items)


def home_panels() -> list[HomePanel]:
    return list(_home_panels)


def calendar_events_for(
    user: AbstractBaseUser, start: datetime, end: datetime
) -> list[CalendarEvent]:
    """All events of a person between start and end, from every registered source."""
    events: list[CalendarEvent] = []
    for source in _calendar_sources:
        events.extend(source(user, start, end))
    return sorted(events, key=lambda e: e.start)


def calendar_events_for_many(
    users: Sequence[AbstractBaseUser], start: datetime, end: datetime
) -> dict[int, list[CalendarEvent]]:
    """Events of several people, by user id. Sources with a batch form answer in one go."""
    events: dict[int, list[CalendarEvent]] = {user.pk: [] for user in users}
    for source in _calendar_sources:
        batch = _calendar_batch_sources.get(source)
        if batch is not None:
            for user_id, found in batch(users, start, end).items():
                if user_id in events:
                    events[user_id].extend(found)
        else:
            for user in users:
                events[user.pk].extend(source(user, start, end))
    for found in events.values():
        found.sort(key=lambda e: e.start)
    return events


class Publisher(Protocol):
    """Publishes something made elsewhere as shared knowledge and returns what it made."""

    def __call__(
        self,
        *,
        actor: ActingPerson,
        title: str,
        body_markdown: str,
        item_type: str,
        visibility: str,
        school: Any,
        origin_label: str,
        origin_url: str,
        skills: Iterable[Any] = (),
        language: str = "sv",
        group: Any = None,
    ) -> Any: ...


_publisher: list[Publisher] = []


def register_publisher(publisher: Publisher) -> None:
    """The library registers its publishing service here (one publisher per installation)."""
    _publisher[:] = [publisher]


def publish(**kwargs: Any) -> Any:
    """Publish through the registered publisher (the library's ``item_publish_from_source``)."""
    if not _publisher:
        raise ImproperlyConfigured("No installed app publishes shared knowledge.")
    return _publisher[0](**kwargs)


# The people working at some schools, as user ids (a values("user_id") queryset is best: it
# becomes a subquery). The home page raises their versions (kollegium/core/homepage.py).
SchoolPeople = Callable[[Iterable[int] | QuerySet], QuerySet | Iterable[int]]
_school_people: list[SchoolPeople] = []


def register_school_people(people: SchoolPeople) -> None:
    """The organisations app says who works at a school (one answer per installation)."""
    _school_people[:] = [people]


def school_people(school_ids: Iterable[int] | QuerySet) -> QuerySet | Iterable[int]:
    if not _school_people:
        raise ImproperlyConfigured("No installed app says who works at a school.")
    return _school_people[0](school_ids)


# Values the home page's own frame shows (the person's school or owner), beside the panels.
HomeContext = Callable[[HttpRequest], dict[str, Any]]
_home_contexts: list[HomeContext] = []


def register_home_context(context: HomeContext) -> None:
    if context not in _home_contexts:
        _home_contexts.append(context)


def home_context(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for context in _home_contexts:
        values.update(context(request))
    return values


# One search box for everything a person may see: each app registers what it can find, with
# its own selectors and permissions; the core only groups the answers by kind.
@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    snippet_html: str = ""  # already escaped, with <mark> around the hits
    meta: str = ""


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: Any  # a lazy translation
    #: (the acting person, what was typed, how many) -> (results, how many there are in all)
    search: Callable[[ActingPerson, str, int], tuple[list[SearchResult], int]]
    #: The app's own page with all the results for what was typed.
    more_url: Callable[[str], str] | None = None
    order: int = 50


_search_kinds: list[SearchKind] = []


def register_search_kind(kind: SearchKind) -> None:
    if all(k.key != kind.key for k in _search_kinds):
        _search_kinds.append(kind)


def search_kinds() -> list[SearchKind]:
    return sorted(_search_kinds, key=lambda k: (k.order, k.key))


# --- Personal data (issue 12): how each model's personal data is exported and erased ---------
# Each app registers its models in its personal_data.py (core autodiscovers it beside hooks.py);
# the privacy app runs the exports and erasures over the registry, so no app imports it. A
# test walks every installed model and fails when one holding personal data (a link to a
# person, or a field named in PERSONAL_FIELD_NAMES) is neither exported nor exempt with a
# reason, and when its erasure is not said.

#: Field names that hold personal data even without a link to a person.
PERSONAL_FIELD_NAMES = frozenset({"email", "full_name", "asker_digest"})


@dataclass(frozen=True)
class Erasure:
    """What an eraser gets: the person being erased and what replaces them."""

    person: Any  # the stored User (core cannot import accounts)
    role_label: str  # "en lärare på Björkskolan": replaces the name in records that are kept
    #: "anonymise": official records kept, the author replaced by the role; "delete": the
    #: person's own official records are removed too; "keep": they are kept attributed (the
    #: person's row keeps the name, and it is not replaced in official text fields).
    records: str
    #: (old, new) texts replaced everywhere a registered text field holds them (name, email).
    replacements: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PersonalData:
    """One model's personal data.

    - ``person_fields``: lookups from the model to the person it is about (``"user"``,
      ``"group__members"``); rows matching any of them are that person's.
    - ``export_fields``: the values the person's export holds (``values()`` names), or
      ``export`` for a function of the person returning rows (dicts). Neither: ``exempt`` says
      why the model is not in the export.
    - ``erase``: ``"delete"`` removes the person's rows; ``"keep"`` keeps them (the person's
      row itself is anonymised, so they then point at "a teacher at X"), ``kept`` saying why;
      or a function of an :class:`Erasure` returning how many rows it changed. It must be
      idempotent: an erasure interrupted halfway is run again from the start.
    - ``text_fields``: free text that may name the person (also in other people's rows); the
      name and email in them are replaced by the role when the person is erased.
    - ``official``: the text fields hold official records (minutes, proven practice,
      published items): the owner's decision for the records applies to them.
    """

    model: str  # "app_label.ModelName"
    person_fields: tuple[str, ...] = ()
    export_fields: tuple[str, ...] = ()
    export: Callable[[Any], Iterable[Mapping[str, Any]]] | None = None
    exempt: str = ""
    erase: str | Callable[[Erasure], int] = "delete"
    kept: str = ""
    text_fields: tuple[str, ...] = ()
    official: bool = False
    order: int = 100  # erasers run in this order (lower first), then by model

    @property
    def exported(self) -> bool:
        return bool(self.export_fields or self.export)


_personal_data: dict[str, PersonalData] = {}


def register_personal_data(*entries: PersonalData) -> None:
    for entry in entries:
        if not entry.exported and not entry.exempt:
            raise ImproperlyConfigured(f"{entry.model}: neither exported nor exempt with a reason.")
        if entry.erase == "keep" and not entry.kept:
            raise ImproperlyConfigured(f"{entry.model}: kept at erasure without a reason.")
        _personal_data[entry.model] = entry


def personal_data() -> list[PersonalData]:
    """Every registration, in the order erasers run."""
    return sorted(_personal_data.values(), key=lambda e: (e.order, e.model))


# --- Gentle warnings for a group being planned ------------------------------------------------
# The groups app creates and edits groups; what research says about their rhythm and whether a
# new group would take its members over their load lives higher up (insights). It registers a
# check here; groups asks for the warnings without knowing who gives them. Never blocking.

GroupPlanCheck = Callable[..., list[str]]
_group_plan_checks: list[GroupPlanCheck] = []


def register_group_plan_check(check: GroupPlanCheck) -> None:
    if check not in _group_plan_checks:
        _group_plan_checks.append(check)


def group_plan_warnings(**plan: Any) -> list[str]:
    """Warnings for a group's plan (actor, school, members, interval_days, meeting_minutes,
    starts_on, ends_on), each one sentence with its reason and source."""
    return [warning for check in _group_plan_checks for warning in check(**plan)]


# --- Sign-in at outside identity providers (issue 11) -----------------------------------------
# The CSP's ``form-action 'self'`` blocks a sign-in form's redirect to a school's IdP (Entra,
# Google, a Skolfederation IdP). Each sign-in app registers a source of the origins it has
# configured; the pages whose forms start a sign-in (the sign-in page, the provider pages)
# allow exactly those origins with :func:`allow_sign_in_form_actions`, nothing broader.

#: (the request) -> origins such as "https://login.microsoftonline.com".
FormActionOrigins = Callable[[HttpRequest], Iterable[str]]
_form_action_sources: list[FormActionOrigins] = []


def register_form_action_origins(source: FormActionOrigins) -> None:
    if source not in _form_action_sources:
        _form_action_sources.append(source)


def _origin(value: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL or origin, lower case; None for anything else
    (no wildcard, path or quoted keyword can widen the policy)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host or "*" in host:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def form_action_origins(request: HttpRequest) -> list[str]:
    """Every configured IdP's origin, once each, sorted."""
    origins = {_origin(value) for source in _form_action_sources for value in source(request)}
    return sorted(origin for origin in origins if origin)


def allow_sign_in_form_actions(request: HttpRequest, response: Any) -> Any:
    """Adds the configured IdPs' origins to this response's CSP ``form-action``."""
    origins = form_action_origins(request)
    if origins:
        update = dict(getattr(response, "_csp_update", None) or {})
        update["form-action"] = [*update.get("form-action", []), *origins]
        response._csp_update = update
    return response


def sign_in_form_actions(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator for a view whose forms start a sign-in at an outside IdP."""
    from functools import wraps

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return allow_sign_in_form_actions(request, view(request, *args, **kwargs))

    return wrapped


# An owner may turn off email + password sign-in for its staff (issue 11): the app that knows
# owners registers a check; the accounts app asks it on sign-in and password reset. The check
# returns None when the person may use a password, else what to tell them (where to sign in).
PasswordRefusal = Callable[[AbstractBaseUser], str | None]
_password_refusals: list[PasswordRefusal] = []


def register_password_refusal(check: PasswordRefusal) -> None:
    if check not in _password_refusals:
        _password_refusals.append(check)


def password_refusal(user: AbstractBaseUser) -> str | None:
    for check in _password_refusals:
        reason = check(user)
        if reason:
            return reason
    return None


# --- Notification delivery ------------------------------------------------------------------
# Every app tells people things through ``kollegium.core.services.notification_send`` (core,
# the lowest layer). Whether and when that becomes an email (at once, in a daily or weekly
# digest, or not at all; a cap per day) is the notifications app's business, higher up: it
# registers its deliverer here, and core hands each new notification to it.

NotificationDelivery = Callable[..., None]  # (notification, *, email: bool) -> None
_notification_delivery: list[NotificationDelivery] = []


def register_notification_delivery(deliver: NotificationDelivery) -> None:
    _notification_delivery[:] = [deliver]


def notification_delivery() -> NotificationDelivery | None:
    return _notification_delivery[0] if _notification_delivery else None


# An outside expert invited into a group (recognition's guest invitation) belongs in the
# decision log of any topic that became that group (topics). The two apps sit side by side in
# the top layer and never import each other: topics listens here, recognition announces.
ExpertListener = Callable[..., None]  # (*, actor, group, note) -> None
_expert_listeners: list[ExpertListener] = []


def register_expert_listener(listener: ExpertListener) -> None:
    if listener not in _expert_listeners:
        _expert_listeners.append(listener)


def expert_brought_in(*, actor: Any, group: Any, note: str) -> None:
    """Runs in the caller's transaction: the invitation and its log lines stand or fall together."""
    for listener in _expert_listeners:
        listener(actor=actor, group=group, note=note)

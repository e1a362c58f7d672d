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

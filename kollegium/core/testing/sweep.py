"""Sweeps over every URL pattern, for the access and bad-input tests (issue 10).

The sweeps cover what no one would list by hand. They read the URL patterns from the resolver,
so a new URL is covered the day it is added:

1. `build_world()` loads the demo (every kind of object exists), adds the few kinds the demo
   lacks (an invitation, a calendar feed, an attachment, a school's own guide, ...) and plants a
   unique marker (`zqpriv-...`) at the start of every private School A text.
2. `crawl()` signs in as School A's own people and opens every page it can reach, from the
   parameterless URLs outwards. Every link, form action and htmx URL it sees fills the URL
   parameters of its pattern with real ids, slugs and tokens; every form it sees is kept for the
   bad-input sweep; the query parameters each view reads are recorded.
3. `fill()` gives each pattern its real parameters; a pattern whose parameters the crawl never
   met and `FALLBACK_FILLERS` cannot fill is reported, so a new URL can't be skipped silently.

Every request runs in a savepoint that is rolled back, so the world stays the same throughout.
"""

from __future__ import annotations

import io
import re
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

MARKER = "zqpriv"  # private to School A: no outsider may read it
MEMBERS_MARKER = "zqmemb"  # a network group's members only: Dave (a member) may, Eva may not

# URL prefixes the sweeps leave out, each with its reason. Nothing else is left out.
EXCLUDED_PREFIXES: dict[str, str] = {
    "admin/": (
        "Django's own admin: open to installation administrators only (is_staff), every page"
        " checked by Django's admin itself; the sweep's personas are not staff, so it would only"
        " see the admin's sign-in redirect."
    ),
}

# Patterns the crawl opens only as a visitor would (never with a signed-in School A person's
# cookies), because opening them ends that person's session.
CRAWL_SKIP = {"account_logout"}

# URL parameters that are secrets handed to one person (a capability): the real value shows that
# person their own things by design. The access sweep opens them with the real value (no 500
# allowed) and with a wrong value (no private text allowed).
CAPABILITY_KWARGS = {"token", "key", "uidb36"}


# --- Personas and the world ------------------------------------------------------------------


@dataclass
class SweepWorld:
    people: dict[str, Any]
    school_a: Any
    school_b: Any
    owner: Any
    network: Any
    tokens: dict[str, str]
    objects: dict[str, Any]

    @property
    def insiders(self) -> list[tuple[str, Any]]:
        return [(key, self.people[key]) for key in ("alice", "carol", "bob", "erik")]

    @property
    def crawlers(self) -> list[tuple[str, Any]]:
        """School A's people, then a visitor (sign-in, sign-up, password reset, language)."""
        return [*self.insiders, ("anonymous", None)]

    @property
    def outsiders(self) -> list[tuple[str, Any]]:
        """Dave (teacher at B), Eva (leader at B) and an anonymous visitor."""
        return [("dave", self.people["dave"]), ("eva", self.people["eva"]), ("anonymous", None)]


def _model(name: str) -> Any:
    """A model by class name: other work moves models between apps; the names stay."""
    found = [model for model in apps.get_models() if model.__name__ == name]
    assert len(found) == 1, f"expected one model named {name}, found {found}"
    return found[0]


def _text_fields(model: type[models.Model], names: list[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def _plant(
    label: str, queryset: models.QuerySet, names: list[str], prefix: str = MARKER
) -> list[str]:
    """Put `zqpriv-<model>-<field>` at the start of each named text field of these rows."""
    model = queryset.model
    updates: dict[str, Any] = {}
    markers = []
    for model_field in _text_fields(model, names):
        marker = f"{prefix}-{label}-{model_field.name}".replace("_", "")
        markers.append(marker)
        value: Any = Concat(Value(marker + " "), F(model_field.name))
        if getattr(model_field, "max_length", None):
            value = Substr(value, 1, model_field.max_length)
        updates[model_field.name] = value
    assert queryset.exists(), f"the sweep world has no {label} to hide text in"
    queryset.update(**updates)
    return markers


def build_world(media_root: str) -> SweepWorld:
    """The demo plus what it lacks, with every private School A text marked."""
    from kollegium.core.tokens import hash_token, new_token
    from kollegium.organisations.demo import DEMO_PEOPLE

    m = _model
    User, Invitation = m("User"), m("Invitation")
    Organisation, Network = m("Organisation"), m("Network")
    LearningGroup, Material = m("LearningGroup"), m("Material")
    Conclusion, MethodGuide = m("Conclusion"), m("MethodGuide")
    Item, Attachment, Link = m("Item"), m("Attachment"), m("Link")
    TriedIt, Appreciation = m("TriedIt"), m("Appreciation")
    Question = m("Question")
    CalendarFeed = m("CalendarFeed")
    TimetableSubscription = m("TimetableSubscription")

    call_command("seed_demo", stdout=io.StringIO())
    people = {key: User.objects.get(email=email) for key, _n, email, *_ in DEMO_PEOPLE}
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    school_a = alice.memberships.get().school
    school_b = people["dave"].memberships.get().school
    owner = Organisation.objects.get(pk=school_a.parent_id)
    network = Network.objects.get(network_memberships__school=school_a)
    tokens: dict[str, str] = {}
    objects: dict[str, Any] = {}

    # What the demo lacks: made here with the ORM (the sweep needs the rows, not the services).
    token = new_token()
    tokens["invitation"] = token
    objects["invitation"] = Invitation.objects.create(
        email="new.teacher@bjorkskolan.example",
        full_name="Nora Ny",
        school=school_a,
        invited_by=alice,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=14),
    )
    token = new_token()
    tokens["feed"] = token
    objects["feed"] = CalendarFeed.objects.create(
        user=bob, token_hash=hash_token(token), hint=token[:8]
    )
    TimetableSubscription.objects.create(
        user=bob, url="https://schema.example/bob.ics", last_error="Servern svarade inte"
    )
    for group in LearningGroup.objects.filter(school=school_a).order_by("pk"):
        # proven practice and materials in every group, the network's groups too
        Conclusion.objects.create(
            group=group,
            title="Exit tickets varje lektion",
            tried="Vi provade exit tickets",
            evidence="Elevsvaren blev bättre",
            conclusion="Vi fortsätter",
            created_by=group.members.order_by("pk").first(),
        )
        Material.objects.create(
            group=group, title="Artikel", url="https://example.org/a", description="Läs först"
        )
    guide = MethodGuide.objects.filter(school__isnull=True).order_by("pk").first()
    assert guide is not None
    objects["school_guide"] = MethodGuide.objects.create(
        slug=guide.slug,
        version=guide.version + 100,
        school=school_a,
        method=guide.method,
        title_sv=guide.title_sv,
        title_en=guide.title_en,
        source=guide.source,
        based_on=guide,
        created_by=carol,
    )
    school_item = (
        # the newest: the first a person meets in the library
        Item.objects.filter(school=school_a, visibility="school").order_by("-pk").first()
    )
    if school_item is None:
        school_item = Item.objects.filter(school=school_a).order_by("pk").first()
        assert school_item is not None
        Item.objects.filter(pk=school_item.pk).update(visibility="school")
    objects["school_item"] = school_item
    attachment = Attachment(
        item=school_item,
        original_name="planering.txt",
        mime_type="text/plain",
        kind=Attachment.Kind.choices[0][0],
        size=5,
        uploaded_by=bob,
    )
    attachment.file.save("planering.txt", ContentFile(b"hej\n"), save=False)
    attachment.save()
    objects["attachment"] = attachment
    Link.objects.create(item=school_item, url="https://example.org/l", title="Länk")
    TriedIt.objects.create(item=school_item, user=carol, comment="Fungerade i 5B")
    Appreciation.objects.get_or_create(item=school_item, user=carol)
    if not Question.objects.filter(school=school_a, is_anonymous=True).exists():
        Question.objects.create(
            school=school_a, is_anonymous=True, title="Hur gör ni?", body="Jag undrar"
        )

    # The shipped method guides are stored on first use; a school weeks into using Kollegium
    # has opened them all (so no sweep request meets that first, harmless write).
    from kollegium.groups.services import shipped_guide, shipped_guide_files

    for slug in shipped_guide_files():
        shipped_guide(slug)

    markers = _plant_markers(school_a)
    objects["markers"] = markers
    return SweepWorld(people, school_a, school_b, owner, network, tokens, objects)


def _plant_markers(school_a: Any) -> list[str]:
    """Marks every private School A text: what Dave, Eva or a visitor may never read."""
    m = _model
    a = school_a
    private_groups = m("LearningGroup").objects.filter(school=a, network__isnull=True)
    private_items = m("Item").objects.filter(
        school=a, visibility__in=["private", "group", "school"]
    )
    school_questions = m("Question").objects.filter(school=a, visibility="school")
    a_people = m("Membership").objects.filter(school=a).values("user_id")
    plan: list[tuple[str, models.QuerySet, list[str]]] = [
        ("group", private_groups, ["name", "purpose"]),
        (
            "meeting",
            m("Meeting").objects.filter(group__in=private_groups),
            ["place", "minutes", "decisions"],
        ),
        (
            "commitment",
            m("Commitment").objects.filter(group__in=private_groups),
            ["text", "reflection"],
        ),
        (
            "material",
            m("Material").objects.filter(group__in=private_groups),
            ["title", "description"],
        ),
        (
            "conclusion",
            m("Conclusion").objects.filter(group__in=private_groups),
            ["title", "tried", "evidence", "conclusion"],
        ),
        ("item", private_items, ["title", "body", "body_text"]),
        (
            "itemversion",
            m("ItemVersion").objects.filter(item__in=private_items),
            ["title", "body", "note"],
        ),
        ("tried", m("TriedIt").objects.filter(item__in=private_items), ["comment"]),
        ("collection", m("Collection").objects.filter(school=a), ["title", "intro"]),
        ("question", school_questions, ["title", "body"]),
        (
            "answer",
            m("Answer").objects.filter(question__in=school_questions),
            ["body"],
        ),
        (
            "observation",
            m("Observation").objects.filter(school=a),
            ["lesson_label", "focus_detail", "reason"],
        ),
        (
            "obsnote",
            m("ObservationNote").objects.filter(observation__school=a),
            ["body"],
        ),
        ("round", m("ObservationRound").objects.filter(school=a), ["title"]),
        (
            # a topic opened to the network is the network's to read (issue 15)
            "topic",
            m("Topic").objects.filter(school=a, shared_with_network=False),
            ["title", "need", "description", "evidence"],
        ),
        (
            "topicresponse",
            m("Response").objects.filter(topic__school=a, topic__shared_with_network=False),
            ["text"],
        ),
        (
            "topicdecision",
            m("Decision").objects.filter(school=a, topic__shared_with_network=False),
            ["reason"],
        ),
        (
            # a thanks note is its receiver's unless they show it on their profile (issue 15)
            "thanks",
            m("ThanksNote").objects.filter(receiver__in=a_people, on_profile=False),
            ["text"],
        ),
        (
            "roundpair",
            m("RoundPair").objects.filter(round__school=a),
            ["lesson_label"],
        ),
        (
            "lesson",
            m("TimetableEntry").objects.filter(user__in=a_people),
            ["title", "group_name", "room"],
        ),
        (
            "dedicated",
            m("DedicatedTime").objects.filter(school=a),
            ["title"],
        ),
        (
            "subscription",
            m("TimetableSubscription").objects.filter(user__in=a_people),
            ["last_error"],
        ),
        ("invitation", m("Invitation").objects.filter(school=a), ["full_name"]),
        (
            # a network group's page names its focus to the network: that one is not private
            "focus",
            m("DevelopmentFocus")
            .objects.filter(school=a)
            .exclude(learning_groups__network__isnull=False),
            ["title", "description"],
        ),
        ("team", m("Team").objects.filter(school=a), ["name"]),
        ("shared", m("SharedLearning").objects.filter(school=a), ["body"]),
        (
            "notification",
            m("Notification").objects.filter(recipient__in=a_people),
            ["title", "body"],
        ),
        ("erasure", m("ErasureRequest").objects.filter(school=a), ["records_reason"]),
    ]
    markers: list[str] = []
    for label, queryset, names in plan:
        markers += _plant(label, queryset, names)
    # Notifications show their message key in the reader's language when they have one; these
    # show the marked stored text, as notifications sent before messages had keys do.
    m("Notification").objects.filter(recipient__in=a_people).update(message={})
    # A network group's members-only texts: hidden from a leader of another school (issue 10:
    # proven practice was shown to non-members), shown to Dave where he is a member.
    network_groups = m("LearningGroup").objects.filter(
        school=a, network__isnull=False, minutes_sharing="members"
    )
    members_plan: list[tuple[str, models.QuerySet, list[str]]] = [
        (
            "netconclusion",
            m("Conclusion").objects.filter(group__in=network_groups),
            ["title", "tried", "evidence", "conclusion"],
        ),
        (
            "netmaterial",
            m("Material").objects.filter(group__in=network_groups),
            ["title", "description"],
        ),
        (
            "netminutes",
            m("Meeting").objects.filter(group__in=network_groups, minutes__gt=""),
            ["minutes"],
        ),
    ]
    for label, queryset, names in members_plan:
        markers += _plant(label, queryset, names, prefix=MEMBERS_MARKER)
    return markers


# --- Requests ------------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Runs a request in a savepoint that is always undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class Persona:
    key: str
    client: Client
    cookies: SimpleCookie
    csrf: str

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        inside: Callable[[Any], None] | None = None,
    ) -> Any:
        """One request in a rolled-back savepoint; returns the response or the exception.

        `inside(response)` runs in the same savepoint, before it is undone: it sees what the
        request wrote."""
        self.client.cookies = SimpleCookie()
        self.client.cookies.load(self.cookies.output(header="", sep=";"))
        try:
            with rolled_back():
                if method == "GET":
                    response = self.client.get(path)
                else:
                    response = self.client.post(
                        path, data=body or "", content_type="application/x-www-form-urlencoded"
                    )
                if inside is not None:
                    inside(response)
                return response
        except Exception:
            return RequestCrash(traceback.format_exc())


@dataclass
class RequestCrash:
    traceback: str
    status_code: int = 500


def persona(key: str, user: Any) -> Persona:
    from django.conf import settings

    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        page = client.get(reverse("core:home"))
    else:
        page = client.get(reverse("account_login"))
    assert page.status_code == 200, f"{key} cannot open the start page ({page.status_code})"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert csrf, f"{key} got no CSRF cookie"
    return Persona(key, client, client.cookies, csrf)


def encode(pairs: list[tuple[str, str | bytes]]) -> str:
    return urlencode(pairs, doseq=False)


# --- URL patterns --------------------------------------------------------------------------


@dataclass
class Pattern:
    name: str  # the namespaced name, e.g. "groups:detail"
    route: str  # the full route, for messages
    kwargs: tuple[str, ...]
    excluded: str = ""  # the reason, when left out
    named: bool = True

    def path(self, kwargs: dict[str, Any] | None = None) -> str:
        if self.named:
            return reverse(self.name, kwargs=kwargs or None)
        # An unnamed pattern: its route with the values put in (route patterns only).
        path = "/" + self.route
        for key, value in (kwargs or {}).items():
            path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
        assert "<" not in path and "^" not in path, f"cannot build a path for {self.route}"
        return path


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, kwargs: tuple[str, ...]) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            own = tuple(_pattern_kwargs(entry.pattern))
            if isinstance(entry, URLResolver):
                child_ns = namespace
                if entry.namespace:
                    child_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, child_ns, kwargs + own)
            elif isinstance(entry, URLPattern):
                # named as Django's ResolverMatch.view_name names it (unnamed: the view's path)
                name = entry.name or entry.lookup_str
                name = f"{namespace}:{name}" if namespace else name
                excluded = next(
                    (why for start, why in EXCLUDED_PREFIXES.items() if route.startswith(start)),
                    "",
                )
                found.append(Pattern(name, route, kwargs + own, excluded, bool(entry.name)))

    walk(get_resolver(), "", "", ())
    return found


def _pattern_kwargs(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


# --- Reading pages -------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str
    maxlength: int | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField]
    buttons: list[tuple[str, str]]

    def data(self, csrf: str) -> list[tuple[str, str | bytes]]:
        pairs: list[tuple[str, str | bytes]] = []
        for f in self.fields:
            if f.name == "csrfmiddlewaretoken" or f.kind == "checkbox-off":
                continue
            pairs.append((f.name, f.value))
        if self.buttons:
            pairs.append(self.buttons[0])
        if self.method == "post":
            pairs.append(("csrfmiddlewaretoken", csrf))
        return pairs


_TEXT_INPUTS = {
    "text", "email", "url", "search", "tel", "password", "number", "date", "time",
    "datetime-local", "month", "week", "hidden", "color", "range", "",
}  # fmt: skip
HTMX_ATTRS = ("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None
        self._select_selected = False
        self._radios: dict[str, FormField] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        for attr in ("href", "src", *HTMX_ATTRS):
            if a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action", ""), [], [])
            self._radios = {}
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name"):
            return
        name = a["name"]
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.buttons.append((name, a.get("value", "")))
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields.append(FormField(name, kind, a.get("value", "on")))
                else:
                    form.fields.append(FormField(name, "checkbox-off", a.get("value", "on")))
            elif kind == "radio":
                existing = self._radios.get(name)
                if existing is None:
                    existing = FormField(name, kind, a.get("value", ""))
                    self._radios[name] = existing
                    form.fields.append(existing)
                elif "checked" in a:
                    existing.value = a.get("value", "")
                existing.options.append(a.get("value", ""))
            elif kind in _TEXT_INPUTS:
                form.fields.append(FormField(name, kind, a.get("value", ""), maxlength))
            # file inputs: no file is sent (the bad-input sweep covers text)
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = FormField(name, "textarea", "", maxlength)
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(name, "select", "")
            self._select_selected = False
            form.fields.append(self._select)
        if tag == "option" and self._select is not None:
            pass

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


class _OptionParser(HTMLParser):
    """Options need their own pass: `<option>` has no name, so it is read by position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.selects: list[tuple[list[str], list[str]]] = []  # (values, selected values)
        self._in_form = False
        self._current: tuple[list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._in_form = True
        elif tag == "select" and self._in_form and a.get("name"):
            self._current = ([], [])
            self.selects.append(self._current)
        elif tag == "option" and self._current is not None:
            value = a.get("value", "")
            self._current[0].append(value)
            if "selected" in a:
                self._current[1].append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._current = None
        elif tag == "form":
            self._in_form = False


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    options = _OptionParser()
    options.feed(html)
    selects = [f for form in parser.forms for f in form.fields if f.kind == "select"]
    for select, (values, selected) in zip(selects, options.selects, strict=False):
        select.options = values
        chosen = selected or [v for v in values if v] or values
        select.value = chosen[0] if chosen else ""
    return parser


# --- Which query parameters a view reads -----------------------------------------------------

_READS: set[str] | None = None


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """Records the keys any QueryDict is asked for (what the view reads from ?...)."""
    global _READS
    reads: set[str] = set()
    originals = {
        name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")
    }

    def wrap(name: str) -> Callable[..., Any]:
        original = originals[name]

        def recorder(self: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
            if _READS is not None and isinstance(key, str):
                _READS.add(key)
            return original(self, key, *args, **kwargs)

        return recorder

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    _READS = reads
    try:
        yield reads
    finally:
        _READS = None
        for name, original in originals.items():
            setattr(QueryDict, name, original)


# --- The crawl -------------------------------------------------------------------------------


@dataclass
class Crawl:
    patterns: list[Pattern]
    # pattern name -> list of kwargs dicts seen in real pages (real ids, slugs, tokens)
    seen_kwargs: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # action pattern name -> (persona key, page path, form) as School A's people see them
    forms: dict[tuple[str, str, tuple[str, ...]], tuple[str, str, Form]] = field(
        default_factory=dict
    )
    # pattern name -> query parameter names (read by the view, or in links and GET forms)
    query_params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (persona key, path) pages that answered 200, for the bad-input sweep of query parameters
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    markers_seen: set[str] = field(default_factory=set)
    requests: int = 0


def _local_path(url: str, base: str) -> str | None:
    if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.netloc not in {"testserver", ""}:
        return None
    path = parts.path
    if not path:
        path = base
    elif not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")


def _match(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name, dict(match.kwargs)


def crawl(world: SweepWorld, per_pattern: int = 4) -> Crawl:
    """Opens every reachable page as School A's own people; see the module's docstring."""
    patterns = url_patterns()
    result = Crawl(patterns)
    by_name = {p.name: p for p in patterns}
    for key, user in world.crawlers:
        visitor = persona(key, user)
        opened: dict[str, int] = defaultdict(int)
        queue = [p.path() for p in patterns if not p.kwargs and not p.excluded]
        queue += _fallback_paths(world, patterns)
        done: set[str] = set()
        while queue:
            path = queue.pop(0)
            bare = urlsplit(path).path
            matched = _match(path)
            if matched is None or bare in done:
                continue
            name = matched[0]
            pattern = by_name.get(name)
            if pattern is None or pattern.excluded or name in CRAWL_SKIP:
                continue
            if opened[name] >= per_pattern:
                continue
            done.add(bare)
            opened[name] += 1
            with recording_reads() as reads:
                response = visitor.request("GET", bare)
            result.requests += 1
            if isinstance(response, RequestCrash):
                result.crashes.append(f"GET {bare} as {key}:\n{response.traceback}")
                continue
            result.query_params[name] |= {r for r in reads if r != "csrfmiddlewaretoken"}
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            result.pages.setdefault(name, (key, bare))
            html = response.content.decode("utf-8", "replace")
            result.markers_seen.update(leaks(html, member=False))
            page = parse_page(html)
            for link in page.links:
                local = _local_path(link, bare)
                if local is None:
                    continue
                found = _match(local)
                if found is None:
                    continue
                _remember(result, found[0], found[1])
                parts = urlsplit(local)
                if parts.query:
                    result.query_params[found[0]] |= {k for k, _v in QueryDict(parts.query).lists()}
                queue.append(parts.path)
            for form in page.forms:
                action = _local_path(form.action, bare) or bare
                found = _match(action)
                if found is None:
                    continue
                _remember(result, found[0], found[1])
                if form.method == "get":
                    result.query_params[found[0]] |= {f.name for f in form.fields}
                    queue.append(urlsplit(action).path)
                else:
                    shape = tuple(sorted(f.name for f in form.fields))
                    result.forms.setdefault(
                        (found[0], urlsplit(action).path, shape), (key, bare, form)
                    )
    return result


def _remember(result: Crawl, name: str, kwargs: dict[str, Any]) -> None:
    if kwargs and kwargs not in result.seen_kwargs[name]:
        result.seen_kwargs[name].append(kwargs)


# --- Filling parameters ----------------------------------------------------------------------


def _fallback_values(world: SweepWorld) -> dict[str, Callable[[str], Any]]:
    """Values by parameter name for patterns no page links to (kept short on purpose)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    bob = world.people["bob"]

    def confirm_key(_name: str) -> str:
        address, _created = EmailAddress.objects.get_or_create(
            user=bob, email=bob.email, defaults={"verified": False, "primary": True}
        )
        return EmailConfirmationHMAC(address).key

    def token(name: str) -> str:
        return world.tokens["feed" if "feed" in name else "invitation"]

    return {
        "school_id": lambda _n: world.school_a.pk,
        "owner_id": lambda _n: world.owner.pk,
        "network_id": lambda _n: world.network.pk,
        "person_id": lambda _n: bob.pk,
        "token": token,
        "key": lambda n: (
            confirm_key(n) if "confirm" in n else default_token_generator.make_token(bob)
        ),
        "uidb36": lambda _n: user_pk_to_url_str(bob),
        "provider_id": lambda _n: _signin_connection(world).app.provider_id,
    }


def _first(name: str, **filters: Any) -> Any:
    found = _model(name).objects.filter(**filters).order_by("pk").first()
    assert found is not None, f"the sweep world has no {name} with {filters}"
    return found


def _round_pair(world: SweepWorld) -> Any:
    return _first("RoundPair", round__school=world.school_a)


def _directory_run(world: SweepWorld) -> Any:
    """An SS 12000 connection of School A's owner with one run: the pages are the installation
    administrator's (no persona sees them), but outsiders must get nothing from them either."""
    source, _created = _model("DirectorySource").objects.get_or_create(
        owner=world.owner,
        defaults={"name": "zqpriv-skolsystem", "base_url": "http://127.0.0.1:9/ss12000"},
    )
    run = source.runs.order_by("pk").first() or source.runs.create(dry_run=True)
    return run


def _signin_connection(world: SweepWorld) -> Any:
    """An Entra ID sign-in of School A's owner: the installation administrator's pages (no
    persona sees them) and allauth's public page that starts a school sign-in."""
    from allauth.socialaccount.models import SocialApp

    found = _model("SignInConnection").objects.filter(owner=world.owner).first()
    if found is not None:
        return found
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="entra-sweep",
        name="Microsoft Entra ID",
        client_id="zqpriv-client",
        secret="zqpriv-secret",  # noqa: S106 (a test value)
        settings={"server_url": "http://127.0.0.1:9/o", "fetch_userinfo": False},
    )
    return _model("SignInConnection").objects.create(
        owner=world.owner,
        kind="entra",
        app=app,
        tenant_id="11111111-2222-4333-8444-555555555555",
        domain="a.example",
    )


def _federation_idp(world: SweepWorld) -> Any:
    """A Skolfederation feed with one IdP allowed for School A's owner: the installation
    administrator's pages (no persona sees them) and the owner's direct sign-in link."""
    feed, _created = _model("FederationFeed").objects.get_or_create(
        name="zqpriv-federation", defaults={"url": "http://127.0.0.1:9/md.xml", "certificate": ""}
    )
    idp, _created = _model("FederationIdp").objects.get_or_create(
        feed=feed,
        owner=world.owner,
        entity_id="https://idp.example.test/idp",
        defaults={"slug": "zqpriv-kommun"},
    )
    return idp


# Patterns that pages link to only in states the demo does not have (a round being planned, a
# lesson typed in by hand, an image, a second version), or only for one person (the asker).
# Real School A objects, by URL name. Anything else must be reached by the crawl.
STATE_FALLBACKS: dict[str, Callable[[SweepWorld], dict[str, Any]]] = {
    "observations:round_prefer": lambda w: {"pk": _round_pair(w).round_id},
    "observations:round_unprefer": lambda w: {
        "pk": _round_pair(w).round_id,
        "observer_id": _round_pair(w).observer_id,
        "observed_id": _round_pair(w).observed_id,
    },
    "observations:pair_move": lambda w: {"pk": _round_pair(w).pk},
    "observations:pair_answer": lambda w: {"pk": _round_pair(w).pk},
    # The owner's privacy rules: its development staff only (none of School A's people).
    "privacy:rules": lambda w: {"owner_id": w.owner.pk},
    "questions:accept": lambda w: {
        "question_id": _first("Answer", question__school=w.school_a).question_id,
        "answer_id": _first("Answer", question__school=w.school_a).pk,
    },
    "library:restore": lambda w: {"pk": w.objects["school_item"].pk, "number": 1},
    "library:attachment_display": lambda w: {"pk": w.objects["attachment"].pk},
    "directory:source": lambda w: {"source_id": _directory_run(w).source_id},
    "directory:source_dry_run": lambda w: {"source_id": _directory_run(w).source_id},
    "directory:source_sync": lambda w: {"source_id": _directory_run(w).source_id},
    "directory:run": lambda w: {"run_id": _directory_run(w).pk},
    "directory:source_file_preview": lambda w: {"source_id": _directory_run(w).source_id},
    "directory:run_apply": lambda w: {"run_id": _directory_run(w).pk},
    "federation:feed": lambda w: {"feed_id": _federation_idp(w).feed_id},
    "federation:feed_refresh": lambda w: {"feed_id": _federation_idp(w).feed_id},
    "federation:idp_allow": lambda w: {"feed_id": _federation_idp(w).feed_id},
    "federation:idp_remove": lambda w: {"idp_id": _federation_idp(w).pk},
    "saml2:direct": lambda w: {"slug": _federation_idp(w).slug},
    "directory:signin_connection": lambda w: {"connection_id": _signin_connection(w).pk},
    "directory:signin_connection_test": lambda w: {"connection_id": _signin_connection(w).pk},
    "directory:signin_connection_delete": lambda w: {"connection_id": _signin_connection(w).pk},
    "scheduling:entry_delete": lambda w: {
        "entry_id": _first("TimetableEntry", user=w.people["bob"]).pk
    },
    # Unsubscribe links are only in emails: Bob's link for one kind.
    "notifications:unsubscribe": lambda w: {"token": _unsubscribe_token(w)},
}


def _unsubscribe_token(world: SweepWorld) -> str:
    from kollegium.notifications.tokens import make_token

    return make_token(world.people["bob"].pk, ["questions.routed"])


def _fallback_kwargs(world: SweepWorld, pattern: Pattern) -> dict[str, Any] | None:
    if pattern.name in STATE_FALLBACKS:
        return STATE_FALLBACKS[pattern.name](world)
    values = _fallback_values(world)
    if all(k in values for k in pattern.kwargs):
        return {k: values[k](pattern.name) for k in pattern.kwargs}
    return None


def _fallback_paths(world: SweepWorld, patterns: list[Pattern]) -> list[str]:
    paths = []
    for p in patterns:
        kwargs = _fallback_kwargs(world, p) if p.kwargs and not p.excluded else None
        if kwargs is not None:
            paths.append(p.path(kwargs))
    return paths


def _stem(route: str) -> str:
    """The route up to its last parameter."""
    return route[: route.rfind(">") + 1]


def _siblings(result: Crawl, pattern: Pattern) -> list[Pattern]:
    return [
        other
        for other in result.patterns
        if other.name != pattern.name
        and set(other.kwargs) == set(pattern.kwargs)
        and _stem(other.route) == _stem(pattern.route)
        and result.seen_kwargs.get(other.name)
    ]


def fill(world: SweepWorld, result: Crawl, pattern: Pattern, limit: int = 3) -> list[str]:
    """Real paths for a pattern: up to `limit`, chosen so that each parameter varies."""
    if not pattern.kwargs:
        return [pattern.path()]
    chosen: list[dict[str, Any]] = []
    seen_values: dict[str, set[str]] = defaultdict(set)
    for kwargs in result.seen_kwargs.get(pattern.name, []):
        new = any(str(v) not in seen_values[k] for k, v in kwargs.items())
        if new and len(chosen) < limit:
            chosen.append(kwargs)
            for k, v in kwargs.items():
                seen_values[k].add(str(v))
    if not chosen:
        # A sibling's real values: `observations/<int:pk>/agree/` takes the same `pk` as
        # `observations/<int:pk>/`, which pages link to (one URL per action stays covered).
        for sibling in _siblings(result, pattern):
            chosen += result.seen_kwargs[sibling.name][:limit]
            break
    if not chosen:
        fallback = _fallback_kwargs(world, pattern)
        if fallback is not None:
            chosen.append(fallback)
    return [pattern.path(kwargs) for kwargs in chosen]


def leaks(body: bytes | str, member: bool = False) -> list[str]:
    """The markers in a body; a member of School A's network groups may read MEMBERS_MARKER."""
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    prefixes = MARKER if member else f"(?:{MARKER}|{MEMBERS_MARKER})"
    return sorted(set(re.findall(rf"{prefixes}-[a-z]+-[a-z]+", text.lower())))


def table_counts() -> tuple[int, ...]:
    """The number of rows in every table but the session stores, in one statement."""
    tables = sorted(
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if "session" not in t
    )
    quote = connection.ops.quote_name
    # table names from Django's own introspection, quoted: nothing from outside
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(row)


SWEEP_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "SITE_URL": "http://testserver",
    # allauth's limits would answer 429 from the tenth bad password change on (a refusal, but
    # every later submission would then test the limit instead of the form)
    "ACCOUNT_RATE_LIMITS": False,
    "CSRF_FAILURE_VIEW": "kollegium.core.testing.sweep.csrf_failure",
}


@contextmanager
def sweep_world(django_db_blocker: Any, media_root: str) -> Iterator[tuple[SweepWorld, Crawl]]:
    """For a module-scoped fixture: the world and the crawl, built once, undone at the end."""
    from django.test.utils import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, **SWEEP_SETTINGS),
        transaction.atomic(),
    ):
        world = build_world(media_root)
        result = crawl(world)
        yield world, result
        transaction.set_rollback(True)


# --- Bad input -------------------------------------------------------------------------------

BAD_PREFIX = "zqbad"
LONG_UNBOUNDED = 200_000  # longer than any text a person writes in one field (library: 100,000)


TEXT_KINDS = {"text", "email", "url", "search", "tel", "password", "textarea", ""}


def bad_values(f: FormField | None) -> list[tuple[str, str | bytes]]:
    """(label, value): overlong, a NUL byte, invalid UTF-8, a 20-digit number, bad `next`s.

    Every field gets NUL, invalid UTF-8 and an overlong value (one more than its maxlength, else
    200,000 characters of text, or 1,000 for an id or a choice); choices and ids (hidden, select,
    number, ...) also a 20-digit number; `next` also two addresses that are not local ones. No
    field given: a query parameter, which gets them all."""
    limit = f.maxlength if f is not None and f.maxlength else None
    text = f is None or f.kind in TEXT_KINDS
    # ids and choices: 1,000 characters is overlong, and not a number (int() would refuse it)
    long_length = limit + 1 if limit else LONG_UNBOUNDED if text else 1000
    values: list[tuple[str, str | bytes]] = [
        ("nul", BAD_PREFIX + "nul\x00x"),
        ("invalid-utf8", BAD_PREFIX.encode() + b"utf\xff\xfe\xc3("),
        ("overlong", BAD_PREFIX + "long" + "x" * max(0, long_length - 9)),
    ]
    if f is None or not text or f.kind == "":
        values.append(("20-digit", "98765432109876543210"))
    if f is None or f.name in {"next", "return_to", "redirect_to", "back"}:
        values += [("next-not-url", "foo"), ("next-offsite", "//evil.example/zqbad")]
    return values


def _text_columns() -> list[tuple[str, list[str]]]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if columns and "session" not in model._meta.db_table:
            tables.append((model._meta.db_table, columns))
    return tables


def snapshot() -> tuple[tuple[int, ...], list[str]]:
    """Row counts of every table, and where bad-input values are stored."""
    return table_counts(), stored_bad_values()


def stored_bad_values() -> list[str]:
    """Tables where a text column holds a bad-input value (`zqbad...`) now."""
    quote = connection.ops.quote_name
    parts, params = [], []
    for table, columns in _text_columns():
        where = " OR ".join(f"{quote(c)} LIKE %s" for c in columns)
        parts.append(f"SELECT '{table}' FROM {quote(table)} WHERE {where}")  # noqa: S608
        params += [f"%{BAD_PREFIX}%"] * len(columns)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return sorted(row[0] for row in cursor.fetchall())


CSRF_REFUSED = b"the sweep's CSRF token was refused"


def csrf_failure(request: Any, reason: str = "") -> Any:
    """The CSRF failure view during the sweeps (SWEEP_SETTINGS): a page the sweep can tell."""
    from django.http import HttpResponseForbidden

    return HttpResponseForbidden(CSRF_REFUSED + b": " + reason.encode())


def csrf_refused(response: Any) -> bool:
    """Django's CSRF check refused the request: the sweep's token is wrong, the POST tests
    nothing."""
    return response.status_code == 403 and CSRF_REFUSED in response.content


def offsite(location: str) -> bool:
    return bool(location) and (not location.startswith("/") or location.startswith(("//", "/\\")))

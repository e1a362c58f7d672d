"""Every signed-in GET page of the app, found from the URL resolver and filled with real ids.

Used by the page bench (bench/bench_pages.py) and by the query-count sweep
(kollegium/core/tests/test_query_counts_sweep.py), so that a new URL pattern is measured and
checked without anyone listing it.

Each pattern's parameters are filled with ids of rows at the persona's school (a group, a
meeting, a library item, an observation…), chosen by the parameter's name and the URL's name;
the candidates are tried in turn until one answers 200 for that persona. A pattern that only
takes POST answers 405 and is reported as such; one that no candidate opens is reported with
the statuses it got, never dropped. Models are looked up through the app registry, so this
module imports no app.
"""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

# Not the app's own pages: Django's admin (installation administrators only) and the bench's
# bare view.
EXCLUDED_PREFIXES = ("admin/", "bench/")
MAX_TRIES = 12


@dataclass(frozen=True)
class Pattern:
    name: str  # "groups:detail"
    route: str  # "groups/<int:pk>/"
    params: tuple[str, ...]


@dataclass
class Page:
    """One pattern as one persona sees it."""

    pattern: Pattern
    persona: str
    path: str | None = None  # the filled URL that answered
    outcome: str = "unfilled"  # page | post-only | redirect | not-found | unfilled
    status: int | None = None
    content_type: str = ""
    note: str = ""
    tried: list[tuple[str, int]] = field(default_factory=list)


def patterns() -> list[Pattern]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    found: list[Pattern] = []

    def walk(entries: list[Any], prefix: str, namespace: str) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(EXCLUDED_PREFIXES):
                    continue
                if not entry.name:
                    continue  # nothing to reverse; every page of the app is named
                full = f"{namespace}:{entry.name}" if namespace else entry.name
                params = tuple(entry.pattern.regex.groupindex)
                found.append(Pattern(full, route, params))

    walk(get_resolver().url_patterns, "", "")
    return found


def _model(label: str) -> Any:
    if label == "accounts.Invitation":  # moving to organisations (issue 10): either place
        try:
            return apps.get_model("organisations.Invitation")
        except LookupError:
            pass
    return apps.get_model(label)


def _ids(queryset: Any, column: str = "pk") -> list[Any]:
    return list(queryset.values_list(column, flat=True)[:MAX_TRIES])


class Filler:
    """Candidate values for a pattern's parameters, seen from one persona at their school."""

    def __init__(self, user: Any, school: Any, tokens: dict[str, str] | None = None) -> None:
        self.user = user
        self.school = school
        # Raw one-time tokens (stored hashed): url name (without namespace) -> token.
        self.tokens = tokens or {}

    def candidates(self, pattern: Pattern) -> Iterator[dict[str, Any]]:
        if not pattern.params:
            yield {}
            return
        combined = self._combined(pattern)
        if combined is not None:
            yield from itertools.islice(combined, MAX_TRIES)
            return
        values = [self._values(pattern, param) for param in pattern.params]
        if any(not v for v in values):
            return
        for combo in itertools.islice(itertools.product(*values), MAX_TRIES):
            yield dict(zip(pattern.params, combo, strict=True))

    # Parameters that depend on each other.
    def _combined(self, pattern: Pattern) -> Iterator[dict[str, Any]] | None:
        params = set(pattern.params)
        if params == {"question_id", "answer_id"}:
            rows = _model("questions.Answer").objects.filter(question__school=self.school)
            return (
                {"question_id": q, "answer_id": a}
                for q, a in rows.values_list("question_id", "pk")[:MAX_TRIES]
            )
        if params == {"pk", "number"}:
            rows = _model("library.ItemVersion").objects.filter(item__school=self.school)
            return (
                {"pk": i, "number": n}
                for i, n in rows.order_by("item_id", "-number").values_list("item_id", "number")[
                    :MAX_TRIES
                ]
            )
        if params == {"pk", "commitment_pk"}:
            rows = _model("groups.Commitment").objects.filter(group__school=self.school)
            return (
                {"pk": m, "commitment_pk": c}
                for m, c in rows.order_by("pk").values_list("meeting_id", "pk")[:MAX_TRIES]
            )
        if params == {"group_id", "user_id"}:  # recognition: confirming a group's member
            rows = _model("groups.GroupMembership").objects.filter(group__school=self.school)
            mine = rows.filter(group__memberships__user=self.user).exclude(user=self.user)
            return (
                {"group_id": g, "user_id": u}
                for g, u in mine.order_by("pk").values_list("group_id", "user_id")[:MAX_TRIES]
            )
        if params == {"pk", "observer_id", "observed_id"}:
            rows = _model("observations.RoundPair").objects.filter(round__school=self.school)
            return (
                {"pk": r, "observer_id": a, "observed_id": b}
                for r, a, b in rows.values_list("round_id", "observer_id", "observed_id")[
                    :MAX_TRIES
                ]
            )
        return None

    def _values(self, pattern: Pattern, param: str) -> list[Any]:
        school, user = self.school, self.user
        app, _, name = pattern.name.rpartition(":")
        if param in {"token", "key", "uidb36"}:
            token = self.tokens.get(name)  # by the url's name without its namespace
            return [token] if token else []
        if param == "action":
            # Every action URL so far takes POST only; any word shows that (405).
            return ["view"]
        if param == "school_id":
            return [school.pk]
        if param == "owner_id":
            return [school.parent_id] if school.parent_id else []
        if param == "network_id":
            return _ids(
                _model("organisations.NetworkMembership").objects.filter(school=school),
                "network_id",
            )
        if param == "focus_id":
            return _ids(_model("organisations.DevelopmentFocus").objects.filter(school=school))
        if param == "team_id":
            return _ids(_model("organisations.Team").objects.filter(school=school))
        if param == "membership_id":
            return _ids(
                _model("organisations.Membership").objects.filter(school=school).order_by("-pk")
            )
        if param == "invitation_id":
            return _ids(_model("organisations.Invitation").objects.filter(school=school))
        if param == "person_id":
            return _ids(
                _model("organisations.Membership")
                .objects.filter(school=school)
                .exclude(user=user)
                .order_by("pk"),
                "user_id",
            )
        if param == "user_id":  # recognition: a colleague's contributions, thanking them
            return _ids(
                _model("organisations.Membership")
                .objects.filter(school=school)
                .exclude(user=user)
                .order_by("pk"),
                "user_id",
            )
        if param == "group_id":  # recognition: a group's guests and confirmations
            groups = _model("groups.LearningGroup").objects.filter(school=school)
            return _ids(groups.filter(members=user).order_by("pk")) + _ids(groups.order_by("pk"))
        if param == "skill_id":
            mine = _ids(_model("competence.SkillLevel").objects.filter(user=user), "skill_id")
            return mine or _ids(_model("competence.Skill").objects.filter(school=None))
        if param == "level_id":
            return _ids(
                _model("competence.SkillLevel")
                .objects.filter(user__memberships__school=school, level__gte=3)
                .exclude(user=user)
            )
        if param == "question_id":
            return _ids(_model("questions.Question").objects.filter(school=school))
        if param == "import_id":
            return _ids(_model("scheduling.TimetableImport").objects.filter(user=user))
        if param == "entry_id":
            return _ids(_model("scheduling.TimetableEntry").objects.filter(user=user))
        if param == "item_id":
            return _ids(_model("scheduling.DedicatedTime").objects.filter(school=school))
        if param == "feed_id":
            return _ids(_model("scheduling.CalendarFeed").objects.filter(user=user))
        if param == "slug":
            return _ids(_model("groups.MethodGuide").objects.filter(school=None), "slug")
        if param == "topic_id":  # topics: the school's proposals
            return _ids(_model("topics.Topic").objects.filter(school=school).order_by("pk"))
        if param == "response_id":  # topics: one's own response to a proposal
            return _ids(_model("topics.Response").objects.filter(user=user, topic__school=school))
        if param == "promise_id":
            return _ids(_model("insights.TimePromise").objects.filter(school=school))
        if param == "table":  # the insights page's tables (each one's CSV)
            return ["teams", "time", "equity_team"]
        if param == "pk":
            return self._pk(app, name)
        return []

    def _pk(self, app: str, name: str) -> list[Any]:
        school, user = self.school, self.user
        if app == "groups":
            if "guide" in name:
                return _ids(_model("groups.MethodGuide").objects.filter(school=school))
            if "talk" in name and "signup" not in name:
                return _ids(_model("groups.Talk").objects.filter(meeting__group__school=school))
            if ("meeting" in name and "create" not in name) or "signup" in name:
                meetings = _model("groups.Meeting").objects.filter(group__school=school)
                return _ids(meetings.filter(group__members=user).order_by("pk")) + _ids(meetings)
            if "conclusion" in name and "create" not in name:
                return _ids(_model("groups.Conclusion").objects.filter(group__school=school))
            groups = _model("groups.LearningGroup").objects.filter(school=school)
            return _ids(groups.filter(members=user).order_by("pk")) + _ids(groups.order_by("pk"))
        if app == "library":
            if "collection" in name:
                return _ids(_model("library.Collection").objects.filter(school=school))
            if "attachment" in name:
                return _ids(_model("library.Attachment").objects.filter(item__school=school))
            return _ids(_model("library.Item").objects.filter(school=school).order_by("pk"))
        if app == "observations":
            if "learning" in name:
                return _ids(_model("observations.SharedLearning").objects.filter(school=school))
            if "pair" in name:
                return _ids(_model("observations.RoundPair").objects.filter(round__school=school))
            if "round" in name:
                return _ids(_model("observations.ObservationRound").objects.filter(school=school))
            observations = _model("observations.Observation").objects.filter(school=school)
            mine = observations.filter(observer=user) | observations.filter(observed=user)
            return _ids(mine.order_by("pk")) + _ids(observations.order_by("pk"))
        if app == "recognition":
            if "thanks" in name:
                notes = _model("recognition.ThanksNote").objects
                return _ids(notes.filter(receiver=user).order_by("pk")) + _ids(
                    notes.filter(sender=user).order_by("pk")
                )
            if name == "credential":
                return _ids(_model("recognition.Confirmation").objects.filter(person=user))
            return _ids(_model("recognition.GuestInvitation").objects.filter(group__school=school))
        if app == "privacy":
            if "erasure" in name:
                erasures = _model("privacy.ErasureRequest").objects.filter(school=school)
                return _ids(erasures.order_by("pk"))
            return _ids(_model("privacy.DataExport").objects.filter(person=user).order_by("pk"))
        return []


def fill(
    pattern: Pattern,
    persona: str,
    filler: Filler,
    get: Callable[[str], Any],
) -> Page:
    """Tries the pattern's candidates with `get(path)` until one opens as a page."""
    from django.urls import NoReverseMatch, reverse

    page = Page(pattern=pattern, persona=persona)
    seen: set[str] = set()
    for kwargs in filler.candidates(pattern):
        try:
            path = reverse(pattern.name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
        if path in seen:
            continue
        seen.add(path)
        response = get(path)
        status = response.status_code
        page.tried.append((path, status))
        if status == 200:
            page.path, page.outcome, page.status = path, "page", status
            page.content_type = response.get("Content-Type", "")
            return page
        if status == 405:
            page.path, page.outcome, page.status = path, "post-only", status
            return page
        if status in (301, 302, 303, 307, 308):
            page.path, page.outcome, page.status = path, "redirect", status
            page.note = f"→ {response.get('Location', '')}"
            # Another candidate may still open as a page (say, a group the person is in).
            continue
    if page.outcome == "unfilled":
        if page.tried:
            page.outcome = "not-found"
            page.status = page.tried[-1][1]
            page.note = f"{len(page.tried)} tried, last {page.tried[-1][1]}"
        else:
            page.note = "no row to fill " + ", ".join(pattern.params)
    return page


# --- The world the pages are opened in -------------------------------------------------------

PERSONAS = (
    ("teacher", "bob@bjorkskolan.example"),
    ("facilitator", "carol@bjorkskolan.example"),
    ("leader", "alice@bjorkskolan.example"),
)
# Tried only on the patterns none of PERSONAS opens: the school owner's development staff.
OWNER_STAFF = ("owner staff", "jonas@exempelstad.example")
QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def load_demo_world() -> dict[str, str]:
    """The demo's schools with every app's content, plus what needs a one-time token (an
    invitation, a calendar feed); returns the raw tokens by url name."""
    from kollegium.core.tokens import hash_token, new_token

    call_command("seed_demo", stdout=io.StringIO())
    user = _model("accounts.User").objects.get(email=PERSONAS[2][1])
    school = user.memberships.get().school
    invitation_token, feed_token = new_token(), new_token()
    _model("accounts.Invitation").objects.create(
        email="ny.kollega@bjorkskolan.example",
        full_name="Ny Kollega",
        school=school,
        invited_by=user,
        token_hash=hash_token(invitation_token),
        expires_at=_now() + _days(14),
    )
    _model("scheduling.CalendarFeed").objects.create(
        user=user, token_hash=hash_token(feed_token), hint=feed_token[:8]
    )
    return {"invitation_accept": invitation_token, "feed": feed_token}


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


def staff_up(school: Any, size: int, *, tag: str = "kollega", seed: int = 10) -> None:
    """Adds colleagues (two teams, two subjects, a stage, five skills) until `school` has
    `size` people; their addresses start with `tag`."""
    User = _model("accounts.User")
    Membership = _model("organisations.Membership")
    rng = random.Random(seed)
    missing = size - Membership.objects.filter(school=school).count()
    if missing <= 0:
        return
    domain = "@bjorkskolan.example"
    unusable = make_password(None)
    first = ["Anna", "Lars", "Sara", "Omar", "Maja", "Nils", "Leila", "Karl"]
    last = ["Andersson", "Berg", "Holm", "Haddad", "Lind", "Nilsson", "Ek", "Sjö"]
    User.objects.bulk_create(
        [
            User(
                email=f"{tag}{n}{domain}",
                full_name=f"{rng.choice(first)} {rng.choice(last)}",
                password=unusable,  # these people never sign in
                ask_me_about=rng.choice(("", "Exit tickets", "Läsförståelse", "Bedömning")),
            )
            for n in range(missing)
        ]
    )
    users = list(User.objects.filter(email__startswith=tag, email__endswith=domain))
    users = [u for u in users if not u.memberships.exists()] if len(users) > missing else users
    teams = list(_model("organisations.Team").objects.filter(school=school).values_list("pk"))
    subjects = list(_model("organisations.Subject").objects.values_list("pk", flat=True))
    stages = list(_model("organisations.Stage").objects.values_list("pk", flat=True))
    skills = list(
        _model("competence.Skill")
        .objects.filter(school=None)
        .order_by("pk")[:40]
        .values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        [Membership(user=u, school=school, role="teacher") for u in users]
    )
    _model("organisations.TeamMembership").objects.bulk_create(
        [
            _model("organisations.TeamMembership")(team_id=t[0], user=u)
            for u in users
            for t in rng.sample(teams, min(2, len(teams)))
        ]
    )
    User.subjects.through.objects.bulk_create(
        [
            User.subjects.through(user_id=u.pk, subject_id=s)
            for u in users
            for s in rng.sample(subjects, 2)
        ]
    )
    User.stages.through.objects.bulk_create(
        [
            User.stages.through(user_id=u.pk, stage_id=s)
            for u in users
            for s in rng.sample(stages, 1)
        ]
    )
    SkillLevel = _model("competence.SkillLevel")
    SkillLevel.objects.bulk_create(
        [
            SkillLevel(
                user=u, skill_id=k, level=rng.randint(1, 4), willing_to_share=rng.random() < 0.5
            )
            for u in users
            for k in rng.sample(skills, min(5, len(skills)))
        ]
    )


def load_demo_again() -> None:
    """Every app's demo content a second time, by the same people at the same schools (more
    groups, meetings, items, questions, timetables...). Competence is left out: its levels are
    one per person and skill; `staff_up` adds more of them."""
    from importlib import import_module

    from kollegium.core.demo import DemoData

    User = _model("accounts.User")
    Organisation = _model("organisations.Organisation")
    from kollegium.organisations.demo import DEMO_OWNER_STAFF, DEMO_PEOPLE, DEMO_TEAMS

    school_a = Organisation.objects.get(name="Björkskolan", kind="school")
    school_b = Organisation.objects.get(name="Ekskolan", kind="school")
    schools = {"a": school_a, "b": school_b}
    people = {}
    for key, _name, email, where, *_rest in DEMO_PEOPLE:
        person = User.objects.get(email=email)
        person._demo_school = schools[where]
        people[key] = person
    people[DEMO_OWNER_STAFF[0]] = User.objects.get(email=DEMO_OWNER_STAFF[2])
    Team = _model("organisations.Team")
    teams = {
        key: Team.objects.get(school=schools[where], name=name)
        for key, (name, _kind, where) in DEMO_TEAMS.items()
    }
    demo = DemoData(
        owner=school_a.parent,
        school_a=school_a,
        school_b=school_b,
        network=_model("organisations.Network")
        .objects.filter(network_memberships__school=school_a)
        .first(),
        people=people,
        teams=teams,
        focus_areas=list(
            _model("organisations.DevelopmentFocus")
            .objects.filter(school__in=[school_a, school_b])
            .order_by("pk")
        ),
    )
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL):
        for config in apps.get_app_configs():
            if not config.name.startswith("kollegium.") or config.label in {
                "organisations",
                "competence",
            }:
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            if hasattr(module, "load_demo"):
                module.load_demo(demo)

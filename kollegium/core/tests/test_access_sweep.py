"""Access sweep: every URL pattern, filled with School A's real ids, slugs and tokens, opened
by Dave (teacher at School B), Eva (leader at School B) and an anonymous visitor, with GET and
with POST (a valid CSRF token, and the form School A's people see on that URL, if any).

Allowed: 404, 403, 405, 400, a redirect within the site (anonymous: to sign in), or 200 without
any private School A text. Never a 500, never a `zqpriv-...` marker in a body or a redirect.
New URLs are covered without writing anything; a URL whose parameters cannot be filled fails.
See kollegium/core/testing/sweep.py for how the world and the crawl are built.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from kollegium.core.testing.sweep import (
    CAPABILITY_KWARGS,
    Crawl,
    Pattern,
    Persona,
    RequestCrash,
    SweepWorld,
    csrf_refused,
    encode,
    fill,
    leaks,
    persona,
    sweep_world,
    url_patterns,
)

# Marked so that pytest-django sets the test database up; each test also runs in a savepoint.
pytestmark = pytest.mark.django_db

PATTERNS = url_patterns()
SWEPT = [p for p in PATTERNS if not p.excluded]
# 410: a used or wrong invitation; 422: a form with errors (the person may post it).
# 401: allauth's page for a school sign-in (Entra, Google) that failed or has no state;
# 503: a school's IdP that does not answer (the sweep's is unreachable on purpose).
ALLOWED = {200, 204, 301, 302, 303, 400, 401, 403, 404, 405, 410, 422, 503}


@dataclass
class Sweep:
    world: SweepWorld
    crawl: Crawl
    outsiders: list[Persona]


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world per module, built once and rolled back at the end."""
    media = str(tmp_path_factory.mktemp("sweep-media"))
    with sweep_world(django_db_blocker, media) as (world, result):
        outsiders = [persona(key, user) for key, user in world.outsiders]
        yield Sweep(world, result, outsiders)


def _wrong_capability(path: str, pattern: Pattern) -> str | None:
    """The same path with a wrong secret (token, key), for patterns that take one."""
    if not set(pattern.kwargs) & CAPABILITY_KWARGS:
        return None
    kwargs = resolve(urlsplit(path).path).kwargs
    for name in CAPABILITY_KWARGS & set(kwargs):
        kwargs[name] = "z" * len(str(kwargs[name]))
    return pattern.path(kwargs)


def _problems(
    who: str, method: str, path: str, response: Any, check_text: bool, capability: bool
) -> list[str]:
    where = f"{method} {path} as {who}"
    if isinstance(response, RequestCrash):
        return [f"{where}: 500\n{response.traceback[-3000:]}"]
    found = []
    if response.status_code not in ALLOWED:
        found.append(f"{where}: status {response.status_code}")
    if csrf_refused(response):
        found.append(f"{where}: the sweep's CSRF token was refused (fix the sweep)")
    location = response.get("Location", "")
    if (location and not location.startswith("/")) or location.startswith(("//", "/\\")):
        found.append(f"{where}: redirects off the site to {location!r}")
    to_sign_in = "login" in location or path in location
    anonymous_get = who == "anonymous" and method == "GET"
    if anonymous_get and response.status_code == 302 and not capability and not to_sign_in:
        found.append(f"{where}: redirects a visitor to {location!r}, not to sign in")
    if check_text:
        content = b"".join(response) if response.streaming else response.content
        member = who == "dave"  # a member of School A's network groups
        shown = leaks(content, member) + leaks(location, member)
        if shown:
            found.append(f"{where}: shows private School A text {shown}")
    return found


def _post_body(sweep: Sweep, path: str, visitor: Persona) -> str:
    for (_name, action, _shape), (_key, _page, form) in sweep.crawl.forms.items():
        if action == path:
            return encode(form.data(visitor.csrf))
    return encode([("csrfmiddlewaretoken", visitor.csrf)])


@pytest.mark.parametrize("pattern", SWEPT, ids=[p.name for p in SWEPT])
def test_no_outsider_gets_a_500_or_private_text(sweep, pattern):
    paths = fill(sweep.world, sweep.crawl, pattern)
    assert paths, (
        f"The access sweep cannot fill the parameters {pattern.kwargs} of {pattern.route}"
        f" ({pattern.name}): no page School A's people can open links to it, and"
        " _fallback_values in kollegium/core/testing/sweep.py has no value for them."
        " Link to it from a page, or add a value there."
    )
    problems: list[str] = []
    for path in paths:
        wrong = _wrong_capability(path, pattern)
        tries = [(path, wrong is None)] + ([(wrong, True)] if wrong else [])
        for target, check_text in tries:
            for visitor in sweep.outsiders:
                for method in ("GET", "POST"):
                    body = _post_body(sweep, target, visitor) if method == "POST" else None
                    response = visitor.request(method, target, body)
                    problems += _problems(
                        visitor.key, method, target, response, check_text, wrong is not None
                    )
    assert not problems, "\n".join(problems)


def test_school_a_people_meet_no_500_anywhere(sweep):
    assert not sweep.crawl.crashes, "\n\n".join(sweep.crawl.crashes)


def test_the_crawl_sees_every_private_marker_so_a_leak_would_show(sweep):
    """The markers are in texts School A's people really read: the sweep can fail."""
    planted = set(sweep.world.objects["markers"])
    unseen = planted - sweep.crawl.markers_seen - NOT_SHOWN_AS_IS
    assert not unseen, f"planted but never shown to School A's people: {sorted(unseen)}"


# Marked texts that no page shows as stored (still checked in every outsider's response):
NOT_SHOWN_AS_IS = {
    "zqpriv-item-bodytext",  # the search text, derived from the body
    # the history shows what changed between versions; the marker is in every version alike
    "zqpriv-itemversion-title",
    "zqpriv-itemversion-body",
    "zqpriv-observation-reason",  # shown only for declined or cancelled observations
}


def test_a_persona_really_is_signed_in(sweep):
    dave = next(p for p in sweep.outsiders if p.key == "dave")
    response = dave.request("GET", reverse("core:home"))
    assert response.status_code == 200
    assert sweep.world.people["dave"].full_name.split()[0] in response.content.decode()


def test_the_csrf_check_is_live_so_the_sweeps_posts_carry_a_real_token(sweep):
    dave = next(p for p in sweep.outsiders if p.key == "dave")
    path = reverse("accounts:set_language")
    without = dave.request("POST", path, encode([("language", "en")]))
    assert csrf_refused(without)
    with_token = dave.request("POST", path, encode([("language", "en"), *_token(dave)]))
    assert not csrf_refused(with_token) and with_token.status_code == 302


def _token(visitor: Persona) -> list[tuple[str, str]]:
    return [("csrfmiddlewaretoken", visitor.csrf)]


def _guest_persona(user: Any) -> Persona:
    """An external guest (issue 15): signed in, no school. Their home page sends them to
    their guest page, so the CSRF cookie comes from there."""
    from django.conf import settings
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("recognition:guest_home"))
    assert page.status_code == 200
    return Persona("guest", client, client.cookies, client.cookies[settings.CSRF_COOKIE_NAME].value)


def test_a_guest_opens_only_the_pages_of_the_group_they_were_let_in_to(sweep):
    """The demo's expert guest of one School A group, on every URL pattern (GET and POST):
    200 only where ``guest_may_open`` lets them (their group's or meeting's pages and a few of
    their own), and never a 500."""
    from kollegium.organisations.actor import as_actor
    from kollegium.recognition.models import GuestInvitation
    from kollegium.recognition.permissions import guest_may_open

    grant = GuestInvitation.objects.filter(guest__isnull=False).select_related("guest").first()
    assert grant is not None, "the demo has an expert guest"
    guest = _guest_persona(grant.guest)
    actor = as_actor(grant.guest)
    problems: list[str] = []
    for pattern in SWEPT:
        for path in fill(sweep.world, sweep.crawl, pattern):
            for method in ("GET", "POST"):
                body = _post_body(sweep, path, guest) if method == "POST" else None
                response = guest.request(method, path, body)
                if isinstance(response, RequestCrash):
                    problems.append(f"{method} {path} as a guest: 500")
                    continue
                if response.status_code == 200:
                    if not guest_may_open(actor, resolve(urlsplit(path).path), method):
                        problems.append(f"{method} {path} as a guest: 200")
                elif response.status_code not in ALLOWED:
                    problems.append(f"{method} {path} as a guest: {response.status_code}")
    assert not problems, "\n".join(problems)
    own_group = guest.request("GET", reverse("groups:detail", args=[grant.group_id]))
    assert own_group.status_code == 200, "the guest cannot open the group they were let in to"

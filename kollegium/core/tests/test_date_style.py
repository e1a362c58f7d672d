"""One Swedish date style on every page (issue 16): every page the sweep reaches, opened by
the School A person who reached it, in Swedish. Long: "7 december 2026" ("måndag 7 december",
"7 december 2026, 14:00"); short: "mån 7 dec" ("mån 7 dec, 14:00"), never with a year; see
kollegium/core/dates.py. Also: no select shows Django's "---------" as its empty choice."""

import re
from html.parser import HTMLParser

import pytest

from kollegium.core.testing.sweep import persona, sweep_world

pytestmark = pytest.mark.django_db

SV_ABBR = "jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec"
EN_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
OTHER_STYLES = [
    # "26 Okt 2026", "fre 20 Nov": Django's "M" capitalises Swedish abbreviations
    (re.compile(rf"\b\d{{1,2}} (?:{SV_ABBR.title()})\b"), "a capitalised month abbreviation"),
    # "7 Dec 2026": English months on a Swedish page
    (re.compile(rf"\b\d{{1,2}} (?:{EN_MONTHS})\b"), "an English month"),
    (re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}\b"), "an English weekday"),
    # "7 dec 2026": the short style has no year; with a year the month is written out
    # ("maj" is the whole name of May)
    (
        re.compile(rf"\b\d{{1,2}} (?:{SV_ABBR.replace('maj|', '')})\.? \d{{4}}\b"),
        "a short month with a year",
    ),
    # "2026-12-07 14:00": the technical form belongs in files, not in running text
    (re.compile(r"\b\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}\b"), "a numeric date with a time"),
]


class VisibleText(HTMLParser):
    """The text a person reads, and the text of each <option>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.options: list[str] = []
        self._skip = 0
        self._option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "textarea", "pre", "code"}:
            self._skip += 1
        elif tag == "option":
            self._option = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "textarea", "pre", "code"}:
            self._skip = max(0, self._skip - 1)
        elif tag == "option" and self._option is not None:
            self.options.append("".join(self._option).strip())
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        if not self._skip:
            self.parts.append(data)


def style_problems(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    found = []
    for pattern, what in OTHER_STYLES:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"{what}: “{match.group(0)}” in “…{context}…”")
    found += [f"an empty choice shown as “{o}”" for o in parser.options if set(o) == {"-"}]
    return found


def test_the_checker_finds_the_styles_the_walkthrough_found():
    page = (
        "<p>7 Dec 2026</p><p>fre 20 Nov</p><p>26 Okt 2026</p><p>Mon 7 Dec</p>"
        "<p>7 dec 2026</p><p>2026-12-07 14:00</p>"
        '<select><option value="">---------</option></select>'
    )
    assert len(style_problems(page)) >= 7
    fine = (
        "<p>7 december 2026</p><p>mån 7 dec, 14:00</p><p>måndag 7 december</p>"
        '<select><option value="">Inget arbetslag</option></select>'
        '<input type="date" value="2026-12-07"><pre>2026-12-07 14:00</pre>'
    )
    assert style_problems(fine) == []


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker, tmp_path_factory):
    media = str(tmp_path_factory.mktemp("style-media"))
    with sweep_world(django_db_blocker, media) as (world, result):
        visitors = {key: persona(key, user) for key, user in world.crawlers}
        yield [(name, visitors[key], path) for name, (key, path) in sorted(result.pages.items())]


def test_every_page_writes_dates_in_the_one_swedish_style(pages):
    problems = []
    for name, visitor, path in pages:
        response = visitor.request("GET", path)
        if getattr(response, "status_code", 500) != 200:
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        problems += [f"{path} ({name}): {p}" for p in style_problems(response.content.decode())]
    assert len(pages) > 60, "the sweep reached too few pages"
    assert not problems, "\n".join(problems)

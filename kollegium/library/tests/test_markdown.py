import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from kollegium.library import markdown


def urls(html):
    return re.findall(r'(?:href|src)="([^"]*)"', html)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html):
    parser = _Tags()
    parser.feed(html)
    return parser.found


def assert_no_script_urls(html):
    for url in urls(html):
        assert urlsplit(url).scheme in {"", "http", "https", "mailto"}, url


def test_script_tags_are_shown_as_text_never_run():
    html = markdown.render("Hej <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_script_tags_in_raw_html_are_removed_by_the_cleaner():
    assert "<script" not in markdown.clean("<p>x<script>alert(1)</script></p>")


@pytest.mark.parametrize(
    "source",
    [
        "[klicka](javascript:alert(1))",
        "[klicka](JaVaScRiPt:alert(1))",
        "[klicka](jav&#x09;ascript:alert(1))",
        "[klicka](&#106;avascript:alert(1))",
        "[klicka](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        "[klicka][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_javascript_links_are_neutralised(source):
    html = markdown.render(source)
    assert_no_script_urls(html)
    assert 'href="javascript' not in html.lower()


def test_javascript_links_in_raw_html_are_stripped_by_the_cleaner():
    html = markdown.clean('<a href="javascript:alert(1)">x</a><a href="jav&#x09;ascript:x">y</a>')
    assert "href" not in html


@pytest.mark.parametrize(
    "source",
    ['<img src="x" onerror="alert(1)">', '<a href="#" onclick="alert(1)">x</a>'],
)
def test_event_attributes_are_removed(source):
    for html in (markdown.render(source), markdown.clean(source)):
        for _, attrs in tags(html):
            assert not any(name.startswith("on") for name in attrs)
    assert "onerror" not in markdown.clean(source) and "onclick" not in markdown.clean(source)


def test_data_urls_in_images_are_dropped():
    html = markdown.render("![bild](data:image/png;base64,iVBORw0KGgo=)")
    assert "data:" not in html
    assert "data:" not in markdown.clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">')


def test_style_attributes_are_removed():
    assert "style" not in markdown.clean('<p style="background:url(javascript:x)">x</p>')
    assert all("style" not in attrs for _, attrs in tags(markdown.render('<p style="a">x</p>')))


def test_iframes_and_objects_are_removed():
    assert "<iframe" not in markdown.clean('<iframe src="https://evil.example"></iframe>')
    assert "<object" not in markdown.clean('<object data="x.swf"></object>')
    assert "<iframe" not in markdown.render('<iframe src="https://evil.example"></iframe>')


def test_links_get_a_safe_rel_and_keep_allowed_schemes():
    html = markdown.render("[a](https://skolverket.se) [b](mailto:a@skola.se) [c](../x)")
    assert html.count('rel="noopener noreferrer nofollow"') == 3
    assert urls(html) == ["https://skolverket.se", "mailto:a@skola.se", "../x"]


def test_tables_are_rendered():
    html = markdown.render("| Vecka | Moment |\n|---|---|\n| 1 | Läsa |")
    assert "<table>" in html and "<th>Vecka</th>" in html and "<td>Läsa</td>" in html


def test_a_table_without_a_delimiter_row_is_reported_by_line():
    source = "Intro\n\n| Vecka | Moment |\n| 1 | Läsa |\n| 2 | Skriva |"
    assert markdown.broken_tables(source) == [3]


def test_a_correct_table_and_pipes_in_code_are_not_reported():
    assert markdown.broken_tables("| a | b |\n|---|---|\n| 1 | 2 |") == []
    assert markdown.broken_tables("```\n| a |\n| b |\n```") == []


def test_plain_text_drops_markup_and_keeps_words():
    assert markdown.plain_text("# Rubrik\n\n**Fet** [länk](https://x.se) & <b>x</b>") == (
        "Rubrik Fet länk & <b>x</b>"
    )

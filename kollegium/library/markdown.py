"""Markdown to safe HTML, and to plain text for the search index (pure).

markdown-it-py renders (CommonMark + tables, raw HTML *not* passed through), then nh3
(ammonia) cleans against an allow-list, so even if a renderer bug let something through,
only the tags, attributes and URL schemes listed here survive:

- links and images only with http, https, mailto or relative URLs (no ``javascript:``,
  ``data:``, ``vbscript:``; obfuscations such as ``jav&#x09;ascript:`` are decoded before
  the check);
- no event attributes, no ``style``, no ``<script>``, ``<iframe>``, ``<object>``, forms;
- every link gets ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import html
from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

#: Longer bodies are rejected by the form; this is a last guard for the renderer.
MAX_MARKDOWN_LENGTH = 200_000


@cache
def _parser() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML, with tables and strikethrough.
    return MarkdownIt("js-default", {"linkify": False, "typographer": False})


def render(source: str) -> str:
    """Safe HTML for a Markdown body."""
    raw = _parser().render((source or "")[:MAX_MARKDOWN_LENGTH])
    return clean(raw)


def clean(fragment: str) -> str:
    """Clean an HTML fragment against the allow-list."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_text(source: str) -> str:
    """The readable text of a Markdown body (for the index and the snippets)."""
    stripped = nh3.clean(_parser().render((source or "")[:MAX_MARKDOWN_LENGTH]), tags=set())
    return " ".join(html.unescape(stripped).split())


def broken_tables(source: str) -> list[int]:
    """1-based line numbers where a block of ``|`` lines did not become a table.

    A pipe table needs a header row, then a delimiter row such as ``|---|---|``; when that
    is missing or malformed Markdown silently shows the pipes as text, so the form tells
    the author instead.
    """
    lines = (source or "")[:MAX_MARKDOWN_LENGTH].splitlines()
    covered: set[int] = set()
    for token in _parser().parse("\n".join(lines)):
        if token.map and token.type in {"table_open", "fence", "code_block", "html_block"}:
            covered.update(range(token.map[0], token.map[1]))
    problems: list[int] = []
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|") and i not in covered:
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|") and j not in covered:
                j += 1
            if j - i >= 2:
                problems.append(i + 1)
            i = j
        else:
            i += 1
    return problems

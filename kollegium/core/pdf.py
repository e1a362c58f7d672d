"""Printable documents as PDF (term reports, records requests, portfolios).

One way for every app: render a Django template to HTML as for a page, then let WeasyPrint lay
it out. WeasyPrint fetches what the HTML links to (style sheets, images); here it may read only
our own static files from disk, never the network, so a document can neither be slowed by nor
leak to an outside address, and rendering never calls back into the running server.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

#: The base address relative links in a document resolve against; only its /static/ part is
#: ever read (from disk).
_BASE_URL = "https://kollegium.invalid/"


def _static_path(url: str) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.netloc != "kollegium.invalid":
        return None
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parsed.path.startswith(static_prefix):
        return None
    relative = unquote(parsed.path[len(static_prefix) :])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        if candidate.is_file():
            return candidate
    return None


def _fetch_static_only(url: str) -> dict[str, Any]:
    path = _static_path(url)
    if path is None:
        # WeasyPrint logs the refusal and leaves the resource out; the document still renders.
        raise ValueError(f"documents may only use the app's own static files, not {url}")
    mime_type, _encoding = mimetypes.guess_type(path.name)
    return {"string": path.read_bytes(), "mime_type": mime_type or "application/octet-stream"}


def _static_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = _fetch_static_only(url)
            return URLFetcherResponse(
                url, body=found["string"], headers={"Content-Type": found["mime_type"]}
            )

    return StaticOnlyFetcher()


#: Accessible PDF (PDF/UA-1): a tagged structure tree (headings, paragraphs, tables, lists in
#: reading order), the document's language from ``<html lang>`` and its title from ``<title>``
#: shown as the window title, so a screen reader reads it as it reads the page.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    """Lay out a rendered HTML document as tagged, accessible PDF bytes (PDF/UA-1).

    Give the template ``<html lang="...">`` and a ``<title>``: they become the PDF's language
    and title.
    """
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s, only PDF views need it

    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=_static_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(
    request: HttpRequest, template_name: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """A template rendered as a PDF download named ``filename`` (".pdf" is added if missing).

    The template is an ordinary Django template rendered with the request (so translations,
    dates and the person's language apply); link style sheets with ``{% static %}``.
    """
    html = render_to_string(template_name, context, request=request)
    stem = filename[:-4] if filename.lower().endswith(".pdf") else filename
    safe_name = (slugify(stem) or "document") + ".pdf"
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response

"""Printable documents: a real PDF from a template, reading only our own static files."""

import pytest
from django.test import RequestFactory

from kollegium.core.pdf import _fetch_static_only, _static_path, pdf_response, render_pdf


def test_render_pdf_lays_out_swedish_text():
    data = render_pdf("<html><body><h1>Termrapport för Björkskolan</h1></body></html>")
    assert data.startswith(b"%PDF-")
    assert len(data) > 500


def test_documents_are_tagged_with_their_language_and_title():
    """PDF/UA: a structure tree a screen reader follows, the language and the title."""
    import io

    from pypdf import PdfReader

    html = (
        '<html lang="sv"><head><title>Allmänna handlingar · Björkskolan</title></head>'
        "<body><h1>Allmänna handlingar</h1><p>Protokoll</p>"
        "<table><tr><th>Datum</th></tr><tr><td>1 dec</td></tr></table></body></html>"
    )
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == "Allmänna handlingar · Björkskolan"
    tree = root["/StructTreeRoot"].get_object()
    kinds: set[str] = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None and depth < 20:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid, depth + 1)

    walk(tree)
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= kinds


def test_static_files_are_read_from_disk():
    path = _static_path("https://kollegium.invalid/static/core/kollegium.css")
    assert path is not None and path.is_file()
    fetched = _fetch_static_only("https://kollegium.invalid/static/core/kollegium.css")
    assert fetched["mime_type"] == "text/css"
    assert fetched["string"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/core/kollegium.css",  # the running server
        "https://example.org/static/core/kollegium.css",  # another site
        "https://kollegium.invalid/media/uploads/secret.pdf",  # outside static
        "https://kollegium.invalid/static/../../config/settings.py",
        "file:///etc/passwd",
    ],
)
def test_anything_but_our_static_files_is_refused(url):
    assert _static_path(url) is None
    with pytest.raises(ValueError):
        _fetch_static_only(url)


def test_a_document_linking_outside_still_renders_without_fetching():
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><img src="file:///etc/hostname"><p>Protokoll</p></body></html>'
    )
    assert render_pdf(html).startswith(b"%PDF-")


@pytest.mark.django_db
def test_pdf_response_is_a_download_with_a_safe_name():
    request = RequestFactory().get("/")
    response = pdf_response(request, "500.html", {}, "Termrapport HT 2026 / Björkskolan")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="termrapport-ht-2026-bjorkskolan.pdf"'
    )
    assert response.content.startswith(b"%PDF-")

import io

from PIL import Image

from kollegium.library import filecheck

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_a_real_pdf_is_accepted_as_a_document():
    verdict = filecheck.check("plan.pdf", PDF, len(PDF), MB)
    assert verdict.ok and verdict.mime == "application/pdf" and verdict.kind == "document"


def test_a_png_is_accepted_as_an_image():
    data = png_bytes()
    verdict = filecheck.check("Foto.PNG", data, len(data), MB)
    assert verdict.ok and verdict.kind == "image"


def test_a_linux_executable_disguised_as_pdf_is_refused():
    verdict = filecheck.check("plan.pdf", ELF, len(ELF), MB)
    assert not verdict.ok and verdict.problem == "not_allowed"


def test_a_windows_executable_disguised_as_pdf_is_refused():
    verdict = filecheck.check("plan.pdf", PE, len(PE), MB)
    assert not verdict.ok and verdict.problem == "not_allowed"


def test_a_pdf_renamed_to_an_image_is_a_mismatch():
    verdict = filecheck.check("bild.png", PDF, len(PDF), MB)
    assert not verdict.ok and verdict.problem == "mismatch"


def test_an_oversized_file_is_refused_before_anything_else():
    verdict = filecheck.check("plan.pdf", PDF, 11 * MB, 10 * MB)
    assert not verdict.ok and verdict.problem == "too_large"


def test_an_empty_file_is_refused():
    assert filecheck.check("plan.pdf", b"", 0, MB).problem == "empty"


def test_utf8_text_with_a_text_extension_is_accepted_and_binary_is_not():
    text = "Anteckningar från mötet: läsförståelse\n".encode()
    assert filecheck.check("noter.md", text, len(text), MB).ok
    assert not filecheck.check("noter.txt", b"\x00\x01\x02bin", 5, MB).ok
    assert not filecheck.check("noter.exe", text, len(text), MB).ok

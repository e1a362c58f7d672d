"""What kind of file an upload really is, judged by its content (pure).

The name's extension is only a claim: the first bytes decide (``filetype`` reads the magic
numbers). An upload is accepted only when the content is on the allow-list *and* the
extension fits that content, so an executable renamed ``.pdf`` is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import filetype

#: mime type → (kind, extensions that may carry it)
ALLOWED: dict[str, tuple[Literal["document", "image"], frozenset[str]]] = {
    "application/pdf": ("document", frozenset({"pdf"})),
    "image/png": ("image", frozenset({"png"})),
    "image/jpeg": ("image", frozenset({"jpg", "jpeg"})),
    "image/gif": ("image", frozenset({"gif"})),
    "image/webp": ("image", frozenset({"webp"})),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "document",
        frozenset({"docx"}),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "document",
        frozenset({"xlsx"}),
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "document",
        frozenset({"pptx"}),
    ),
    "application/vnd.oasis.opendocument.text": ("document", frozenset({"odt"})),
    "application/vnd.oasis.opendocument.spreadsheet": ("document", frozenset({"ods"})),
    "application/vnd.oasis.opendocument.presentation": ("document", frozenset({"odp"})),
}
#: Plain-text formats have no magic number: accepted when the bytes are UTF-8 text.
TEXT_EXTENSIONS: dict[str, str] = {"txt": "text/plain", "md": "text/markdown", "csv": "text/csv"}
HEAD_BYTES = 8192

Problem = Literal["empty", "too_large", "not_allowed", "mismatch"]


@dataclass(frozen=True)
class FileVerdict:
    ok: bool
    mime: str = ""
    kind: str = ""
    problem: Problem | None = None


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def check(name: str, head: bytes, size: int, max_bytes: int) -> FileVerdict:
    """Judge an upload from its name, its first bytes and its size."""
    if size <= 0 or not head:
        return FileVerdict(False, problem="empty")
    if size > max_bytes:
        return FileVerdict(False, problem="too_large")
    ext = extension(name)
    detected = filetype.guess(head)
    if detected is None:
        if ext in TEXT_EXTENSIONS and _looks_like_text(head):
            return FileVerdict(True, mime=TEXT_EXTENSIONS[ext], kind="document")
        return FileVerdict(False, problem="not_allowed")
    allowed = ALLOWED.get(detected.mime)
    if allowed is None:
        return FileVerdict(False, mime=detected.mime, problem="not_allowed")
    kind, extensions = allowed
    if ext not in extensions:
        return FileVerdict(False, mime=detected.mime, problem="mismatch")
    return FileVerdict(True, mime=detected.mime, kind=kind)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True

"""Storing uploads through Django's storage API (local disk, or S3 when configured).

The content decides the type (``filecheck``); images are re-encoded with Pillow, which
drops their metadata (a phone photo's GPS position, for one) and caps their size, and a
smaller display copy is made for the item page. Files are only ever served by
``views.attachment_download``, which checks the item's visibility on every request.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kollegium.accounts.models import User
from kollegium.library import filecheck
from kollegium.library.models import Attachment, Item

MAX_UPLOAD_BYTES: int = getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_SIDE = 2000
DISPLAY_IMAGE_SIDE = 900
MAX_IMAGE_PIXELS = 40_000_000


def _messages() -> dict[str, str]:
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    return {
        "empty": _("The file is empty."),
        "too_large": _("The file is too large: at most %(mb)s MB.") % {"mb": limit_mb},
        "not_allowed": _(
            "This type of file cannot be shared. Allowed: PDF, Word, Excel, PowerPoint, "
            "OpenDocument, text, and images (JPEG, PNG, GIF, WebP)."
        ),
        "mismatch": _("The file's content does not match its name (%(name)s)."),
        "broken_image": _("The image could not be read."),
    }


def _reencode(data: bytes, side: int) -> tuple[bytes, int, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise ValueError("too many pixels")
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((side, side))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue(), image.width, image.height


@dataclass(frozen=True)
class PreparedFile:
    """An upload that passed every check, ready to store."""

    upload: Any
    name: str
    size: int
    mime: str
    kind: str
    full: bytes | None = None  # re-encoded image
    display: bytes | None = None
    width: int | None = None
    height: int | None = None


def prepare_upload(upload: Any) -> PreparedFile:
    """Check one uploaded file (size, type by content, image decodes); raise ValidationError."""
    name = (getattr(upload, "name", "") or "file").replace("/", "_")[-200:]
    size = int(getattr(upload, "size", 0) or 0)
    upload.seek(0)
    head = upload.read(filecheck.HEAD_BYTES)
    verdict = filecheck.check(name, head, size, MAX_UPLOAD_BYTES)
    messages = _messages()
    if not verdict.ok:
        message = messages[verdict.problem or "not_allowed"]
        raise ValidationError(
            {"files": message % {"name": name} if "%(name)" in message else message}
        )
    upload.seek(0)
    if verdict.kind != Attachment.Kind.IMAGE:
        return PreparedFile(upload, name, size, verdict.mime, verdict.kind)
    data = upload.read()
    try:
        full, width, height = _reencode(data, MAX_IMAGE_SIDE)
        small, _w, _h = _reencode(data, DISPLAY_IMAGE_SIDE)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise ValidationError({"files": messages["broken_image"]}) from exc
    stem = name.rsplit(".", 1)[0][:190]
    return PreparedFile(
        upload, f"{stem}.jpg", len(full), "image/jpeg", verdict.kind, full, small, width, height
    )


def store(*, item: Item, prepared: PreparedFile, actor: User, stored: list[str]) -> Attachment:
    """Write a prepared file to storage and record it. Appends the stored names to ``stored``
    so the caller can remove them if its transaction fails."""
    attachment = Attachment(
        item=item, original_name=prepared.name, mime_type=prepared.mime, kind=prepared.kind,
        size=prepared.size, width=prepared.width, height=prepared.height, uploaded_by=actor,
    )  # fmt: skip
    if prepared.full is not None:
        attachment.file.save("image.jpg", ContentFile(prepared.full), save=False)
        stored.append(attachment.file.name)
        attachment.display.save("display.jpg", ContentFile(prepared.display or b""), save=False)
        stored.append(attachment.display.name)
    else:
        prepared.upload.seek(0)
        attachment.file.save(prepared.name, prepared.upload, save=False)
        stored.append(attachment.file.name)
    attachment.save()
    return attachment


def delete_stored(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)

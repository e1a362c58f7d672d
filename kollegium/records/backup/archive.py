"""The archive format: writing it, and reading it back only when everything in it checks out."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "kollegium-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """An archive refused, or a backup or restore that could not be done (a clear message)."""


class RestoreIncomplete(BackupError):
    """A restore that failed after it had begun to replace data (run it again to finish)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Member:
    """A file to put in the archive: its name inside, and where it is now."""

    name: str
    path: Path


def write_archive(
    target: Path, manifest: dict[str, Any], members: Iterable[Member]
) -> dict[str, Any]:
    """Writes the archive: the manifest first (so a reader can refuse early), then the files.
    Each file's size and SHA-256 go into the manifest's ``files``."""
    members = list(members)
    files = {m.name: {"size": m.path.stat().st_size, "sha256": sha256_of(m.path)} for m in members}
    manifest = {**manifest, "files": files}
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    with tarfile.open(target, "w:gz") as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(data))
        for member in members:
            tar.add(member.path, arcname=member.name, recursive=False)
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_manifest(source: Path) -> dict[str, Any]:
    """The archive's manifest, if it is a Kollegium backup of a format this version reads."""
    try:
        with tarfile.open(source, "r:*") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(_("This is not a Kollegium backup (it has no manifest)."))
            handle = tar.extractfile(first)
            raw = handle.read(4 * 1024 * 1024 + 1) if handle else b""
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as error:
        raise BackupError(_("This file is not a readable backup archive.")) from error
    try:
        manifest = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError) as error:
        raise BackupError(_("The backup's manifest is damaged.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not a Kollegium backup."))
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("This backup has format version %(version)s; this Kollegium reads version %(ours)s.")
            % {"version": manifest.get("version"), "ours": VERSION}
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(name, str)
        and _safe_name(name)
        and isinstance(spec, dict)
        and isinstance(spec.get("sha256"), str)
        and isinstance(spec.get("size"), int)
        for name, spec in files.items()
    ):
        raise BackupError(_("The backup's manifest is damaged."))
    return manifest


def extract_verified(source: Path, manifest: dict[str, Any], into: Path) -> None:
    """Unpacks every file into ``into``, checking each against the manifest's size and
    checksum; refuses (BackupError) a file missing, extra, changed, or not a plain file."""
    expected: dict[str, dict[str, Any]] = manifest["files"]
    seen: set[str] = set()
    try:
        with tarfile.open(source, "r:*") as tar:
            for info in tar:
                if info.name == MANIFEST:
                    continue
                if info.name not in expected or info.name in seen or not info.isfile():
                    raise BackupError(
                        _("The backup holds a file its manifest does not list: %(name)s")
                        % {"name": info.name}
                    )
                seen.add(info.name)
                target = into / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(info)
                if handle is None:
                    raise BackupError(_("The backup is damaged."))
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                spec = expected[info.name]
                if size != spec["size"] or digest.hexdigest() != spec["sha256"]:
                    raise BackupError(
                        _("A file in the backup does not match its checksum: %(name)s")
                        % {"name": info.name}
                    )
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as error:
        raise BackupError(
            _("The backup archive is damaged (%(error)s).") % {"error": error}
        ) from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            _("Files listed in the backup's manifest are missing: %(names)s")
            % {"names": ", ".join(missing[:5])}
        )


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)

"""The uploaded files (the default storage: a folder, or an S3-compatible bucket)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from kollegium.records.backup.archive import MEDIA_PREFIX, Member


def _walk(directory: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _walk(f"{directory}/{folder}" if directory else folder)


def stored_names() -> list[str]:
    """Every stored file's name (as the models keep it)."""
    return list(_walk())


def copy_out(workdir: Path) -> list[Member]:
    """Copies every stored file into ``workdir/media/`` for the archive."""
    members = []
    for name in stored_names():
        target = workdir / MEDIA_PREFIX / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                out.write(chunk)
        members.append(Member(MEDIA_PREFIX + name, target))
    return members


def checksums() -> dict[str, str]:
    """SHA-256 of every stored file, by name."""
    result = {}
    for name in stored_names():
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as source:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
        result[name] = digest.hexdigest()
    return result


def replace_all(folder: Path, names: list[str]) -> None:
    """Makes the storage hold exactly the backup's files: each saved under its own name, then
    files the backup does not have removed."""
    wanted = set(names)
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)
        with (folder / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:  # the storage would not keep the name: a backup must be exact
            raise OSError(f"the storage saved {name} as {saved}")
    for name in stored_names():
        if name not in wanted:
            default_storage.delete(name)

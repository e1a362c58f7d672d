"""Where archives are kept: a folder, or an S3-compatible bucket (``s3://bucket/prefix``).

For S3 the usual variables apply: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for a store
other than Amazon's, BACKUP_S3_ENDPOINT_URL (or AWS_S3_ENDPOINT_URL, as for the uploads) and
AWS_S3_REGION_NAME.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kollegium.records.backup.archive import BackupError


def is_s3(location: str) -> bool:
    return location.startswith("s3://")


def _split(location: str) -> tuple[str, str]:
    bucket, _slash, key = location[len("s3://") :].partition("/")
    if not bucket:
        raise BackupError(_("An S3 address is written s3://bucket/folder."))
    return bucket, key


def _client() -> Any:
    try:
        import boto3
    except ImportError as error:  # the `s3` extra is not installed
        raise BackupError(_("Backups to S3 need the s3 extra: pip install -e '.[s3]'.")) from error
    env = os.environ
    return boto3.client(
        "s3",
        endpoint_url=env.get("BACKUP_S3_ENDPOINT_URL") or env.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=env.get("AWS_S3_REGION_NAME") or None,
        aws_access_key_id=env.get("AWS_S3_ACCESS_KEY_ID") or env.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=(
            env.get("AWS_S3_SECRET_ACCESS_KEY") or env.get("AWS_SECRET_ACCESS_KEY") or None
        ),
    )


def put(archive: Path, destination: str) -> str:
    """Stores the archive under its own name in the folder or bucket prefix; returns where."""
    if is_s3(destination):
        bucket, prefix = _split(destination)
        key = f"{prefix.rstrip('/')}/{archive.name}" if prefix.strip("/") else archive.name
        try:
            _client().upload_file(str(archive), bucket, key)
        except Exception as error:  # botocore's errors: no bucket, no access, no network
            raise BackupError(
                _("The backup could not be stored in %(where)s: %(error)s")
                % {"where": destination, "error": error}
            ) from error
        return f"s3://{bucket}/{key}"
    folder = Path(destination)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / archive.name
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(archive, partial)
    partial.replace(target)  # a reader never sees half an archive
    return str(target)


def fetch(source: str, workdir: Path) -> Path:
    """The archive as a local file (downloaded into ``workdir`` when it is in a bucket)."""
    if is_s3(source):
        bucket, key = _split(source)
        target = workdir / (Path(key).name or "backup.tar.gz")
        try:
            _client().download_file(bucket, key, str(target))
        except Exception as error:
            raise BackupError(
                _("The backup could not be read from %(where)s: %(error)s")
                % {"where": source, "error": error}
            ) from error
        return target
    path = Path(source)
    if not path.is_file():
        raise BackupError(_("There is no backup file at %(path)s.") % {"path": source})
    return path

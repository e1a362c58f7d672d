"""`kollegium backup` and `kollegium restore`: a round trip on the suite's database (SQLite or
PostgreSQL, whichever DATABASE_URL names), to a folder and to an S3-compatible store (moto's
server), and every kind of bad archive refused before anything is touched."""

from __future__ import annotations

import io
import json
import logging
import tarfile
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from moto.server import ThreadedMotoServer

from kollegium.accounts.models import User
from kollegium.core.models import AuditEvent
from kollegium.organisations.models import Team
from kollegium.records.backup.archive import MANIFEST

pytestmark = pytest.mark.django_db(transaction=True)

FILE = "library/1/planering.txt"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save(FILE, ContentFile(b"Planering v1\n"))
    return settings.MEDIA_ROOT


def _backup(destination: str) -> str:
    out = io.StringIO()
    call_command("backup", "--to", destination, "--language", "en", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def _restore(archive: str, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "restore", archive, "--noinput", "--language", "en", *extra, stdout=out, stderr=err
    )
    return out.getvalue() + err.getvalue()


def _state() -> tuple:
    return (
        sorted(User.objects.values_list("email", "full_name")),
        sorted(Team.objects.values_list("name", flat=True)),
        # Without the log's own entries about backups and restores (test_they_are_audited).
        AuditEvent.objects.exclude(
            action__in=["records.backup_made", "records.backup_restored", "records.restore_refused"]
        ).count(),
        sorted(p.name for p in Path(default_storage.location).rglob("*") if p.is_file()),
    )


def test_a_backup_restores_the_database_and_the_files_and_the_check_passes(world, media, tmp_path):
    archive = _backup(str(tmp_path / "backups"))
    assert Path(archive).is_file() and archive.endswith(".tar.gz")
    before = _state()

    # Life goes on after the backup: a person changes name, a team is made, files change.
    User.objects.filter(pk=world.bob.pk).update(full_name="Robert Ändrad", email="r@example.org")
    Team.objects.create(school=world.school_a, name="Efter säkerhetskopian")
    with default_storage.open(FILE, "wb") as handle:
        handle.write(b"changed")
    default_storage.save("library/2/new.txt", ContentFile(b"new"))

    output = _restore(archive, "--check")
    assert "Check passed" in output
    assert _state() == before
    assert User.objects.filter(email=world.bob.email).exists()
    assert not Team.objects.filter(name="Efter säkerhetskopian").exists()
    with default_storage.open(FILE, "rb") as handle:
        assert handle.read() == b"Planering v1\n"
    assert not default_storage.exists("library/2/new.txt")


def test_backups_and_restores_are_in_the_audit_log(world, media, tmp_path):
    archive = _backup(str(tmp_path / "backups"))
    made = AuditEvent.objects.get(action="records.backup_made")
    assert made.data["location"] == archive and made.data["files"] == 1
    assert made.data["rows"] > 0 and made.actor_id is None
    AuditEvent.objects.filter(pk=made.pk).update(data={"marker": "after the backup"})

    _restore(archive, "--check")

    # The restored database has no entry written after the backup, but the restore's own.
    assert not AuditEvent.objects.filter(data__marker="after the backup").exists()
    restored = AuditEvent.objects.get(action="records.backup_restored")
    assert restored.data["source"] == archive and restored.data["differences"] == 0
    assert restored.data["backup_made_at"] and restored.data["files"] == 1
    # Restoring again without the check is recorded too (the first entry went with the
    # database it was in), and a refusal as well.
    _restore(archive)
    again = AuditEvent.objects.get(action="records.backup_restored")
    assert "checked" not in again.data and again.data["source"] == archive
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not an archive")
    with pytest.raises(CommandError):
        _restore(str(broken))
    refused = AuditEvent.objects.get(action="records.restore_refused")
    assert refused.data["source"] == str(broken) and refused.data["error"]


def test_the_manifest_says_what_it_is_with_row_counts_and_checksums(world, media, tmp_path):
    archive = _backup(str(tmp_path))
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == MANIFEST
        manifest = json.load(tar.extractfile(MANIFEST))
        names = set(tar.getnames())
    assert manifest["format"] == "kollegium-backup" and manifest["version"] == 1
    assert manifest["tables"]["accounts_user"]["rows"] == User.objects.count()
    assert len(manifest["tables"]["accounts_user"]["sha256"]) == 64
    assert manifest["media"] == [FILE]
    assert set(manifest["files"]) | {MANIFEST} == names
    assert "organisations.0001_initial" in manifest["migrations"]


def test_the_check_finds_a_difference(world, media, tmp_path):
    from kollegium.records.backup.operations import restore_check

    archive = _backup(str(tmp_path))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    # The backup's own entry in the audit log is written after the dump: a real difference.
    assert ["core_auditevent" in p for p in restore_check(manifest).problems] == [True]
    AuditEvent.objects.filter(action="records.backup_made").delete()
    assert restore_check(manifest).ok
    Team.objects.create(school=world.school_a, name="Ny")
    with default_storage.open(FILE, "wb") as handle:
        handle.write(b"changed")
    problems = restore_check(manifest).problems
    assert any("organisations_team" in p for p in problems)
    assert any(FILE in p for p in problems)


def _rewrite(archive: str, target: Path, *, manifest=None, replace=None, drop=()) -> str:
    """A copy of the archive with its manifest or a file changed."""
    with tarfile.open(archive) as tar, tarfile.open(target, "w:gz") as out:
        for info in tar.getmembers():
            if info.name in drop:
                continue
            data = tar.extractfile(info).read()
            if info.name == MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif replace and info.name in replace:
                data = replace[info.name]
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return str(target)


def _refused(archive: str, message: str) -> None:
    before = _state()
    with pytest.raises(CommandError) as caught:
        _restore(archive)
    assert "Nothing was restored" in str(caught.value)
    assert message in str(caught.value)
    assert _state() == before


def test_corrupt_and_foreign_files_are_refused_before_anything_is_touched(world, media, tmp_path):
    archive = _backup(str(tmp_path / "backups"))
    # What the restore would otherwise undo: if anything were touched, it would be gone.
    Team.objects.create(school=world.school_a, name="Efter säkerhetskopian")
    default_storage.save("library/2/new.txt", ContentFile(b"new"))

    random = tmp_path / "random.tar.gz"
    random.write_bytes(uuid.uuid4().bytes * 100)
    _refused(str(random), "not a readable backup archive")

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(Path(archive).read_bytes()[: Path(archive).stat().st_size // 2])
    _refused(str(truncated), "damaged")

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        data = b"SELECT 1;"
        info = tarfile.TarInfo("dump.sql")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    _refused(str(foreign), "not a Kollegium backup")

    other_format = _rewrite(
        archive, tmp_path / "other.tar.gz", manifest=lambda m: {**m, "format": "other-app"}
    )
    _refused(other_format, "not a Kollegium backup")

    changed = _rewrite(
        archive, tmp_path / "changed.tar.gz", replace={f"media/{FILE}": b"Planering v2\n"}
    )
    _refused(changed, "does not match its checksum")

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    dump_name = manifest["database"]["file"]
    damaged_db = _rewrite(archive, tmp_path / "db.tar.gz", replace={dump_name: b"\0" * 4096})
    _refused(damaged_db, "does not match its checksum")

    missing = _rewrite(archive, tmp_path / "missing.tar.gz", drop={f"media/{FILE}"})
    _refused(missing, "missing")

    newer = _rewrite(
        archive,
        tmp_path / "newer.tar.gz",
        manifest=lambda m: {**m, "migrations": [*m["migrations"], "groups.9999_from_the_future"]},
    )
    _refused(newer, "newer version of Kollegium")

    other_engine = "postgresql" if manifest["database"]["vendor"] == "sqlite" else "sqlite"
    other = _rewrite(
        archive,
        tmp_path / "engine.tar.gz",
        manifest=lambda m: {**m, "database": {**m["database"], "vendor": other_engine}},
    )
    _refused(other, f"of a {other_engine} database")

    # The genuine archive still restores after all that.
    assert "Check passed" in _restore(archive, "--check")


def test_verify_only_changes_nothing(world, media, tmp_path):
    archive = _backup(str(tmp_path))
    Team.objects.create(school=world.school_a, name="Efter")
    before = _state()
    out = io.StringIO()
    call_command("restore", archive, "--verify-only", "--language", "en", stdout=out)
    assert "can be restored" in out.getvalue()
    assert _state() == before


@pytest.fixture(scope="module")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_a_backup_goes_to_an_s3_store_and_comes_back(
    world, media, tmp_path, s3_endpoint, monkeypatch
):
    keys = {"AWS_ACCESS_KEY_ID": "kollegium-test", "AWS_SECRET_ACCESS_KEY": "kollegium-secret"}
    for name, value in {
        **keys,
        "BACKUP_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "eu-north-1",
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"backups-{uuid.uuid4().hex[:10]}"
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-north-1",
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})

    location = _backup(f"s3://{bucket}/nightly")
    assert location.startswith(f"s3://{bucket}/nightly/kollegium-backup-")
    stored = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert stored == [location.split("/", 3)[3]]
    before = _state()
    User.objects.filter(pk=world.carol.pk).update(full_name="Karolina")
    assert "Check passed" in _restore(location, "--check")
    assert _state() == before

    with pytest.raises(CommandError, match="could not be read"):
        _restore(f"s3://{bucket}/nightly/no-such-backup.tar.gz")

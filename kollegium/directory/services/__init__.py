"""Writes of the directory sync (issue 11): connections, SS 12000 runs, files."""

from kollegium.directory.services.files import file_apply, file_preview, file_source_create
from kollegium.directory.services.sources import source_create, source_update
from kollegium.directory.services.sync import (
    client_for,
    sync_due_sources,
    sync_execute,
    sync_request,
    sync_run_start,
)

__all__ = [
    "client_for",
    "file_apply",
    "file_preview",
    "file_source_create",
    "source_create",
    "source_update",
    "sync_due_sources",
    "sync_execute",
    "sync_request",
    "sync_run_start",
]

"""Backups of a Kollegium installation: the database and the uploaded files in one archive.

An archive is a gzip-compressed tar file with ``manifest.json`` (what it is, the schema it was
made with, row counts and checksums), the database (SQLite: a copy made with SQLite's online
backup API; PostgreSQL: ``pg_dump`` in its custom format) and the media files under ``media/``.
``kollegium backup`` writes one to a folder or an S3-compatible store; ``kollegium restore``
verifies everything before it touches anything, then replaces the database and the files.
"""

"""`make run` on a fresh clone prints only what a person needs (issue 16: it printed
"Cache table 'kollegium_cache' already exists.", because migrate had made it already)."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^{target}:", line))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_run_leaves_the_cache_table_to_migrate():
    recipe = _recipe("run")
    assert any("manage.py migrate" in line for line in recipe)
    assert not any("createcachetable" in line for line in recipe)
    assert "createcachetable" not in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_database_cache_table():
    from importlib import import_module

    migration = import_module("kollegium.core.migrations.0002_cache_table")
    database_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kollegium_cache_check",
        }
    }
    with override_settings(CACHES=database_cache):
        try:
            with connection.schema_editor() as editor:
                migration.create_cache_table(None, editor)
            assert "kollegium_cache_check" in connection.introspection.table_names()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS kollegium_cache_check")

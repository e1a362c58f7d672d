"""Full-text search structures, per database vendor.

SQLite: an FTS5 table holding the Python-stemmed shadow text (``library.text``), rowid =
item id, plus a trigger that removes an item's row when the item is deleted (also on a
plain ``DELETE FROM library_item``). Prefix indexes make the prefix queries the parser
emits ("bedömning"*) cheap.

PostgreSQL: a generated tsvector column with the ``swedish`` or ``english`` configuration
by the item's language (title weighted A, body B) and a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE library_itemsearch USING fts5(
        title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '3 4 6'
    )""",
    """CREATE TRIGGER library_item_search_delete AFTER DELETE ON library_item BEGIN
        DELETE FROM library_itemsearch WHERE rowid = old.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_item_search_delete",
    "DROP TABLE IF EXISTS library_itemsearch",
]

_CONFIG = "(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'swedish'::regconfig END)"
POSTGRES_FORWARD = [
    f"""ALTER TABLE library_item ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A') ||
        setweight(to_tsvector({_CONFIG}, coalesce(body_text, '')), 'B')
    ) STORED""",
    "CREATE INDEX library_item_search_gin ON library_item USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_item_search_gin",
    "ALTER TABLE library_item DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

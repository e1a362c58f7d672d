"""Search index, third design: one text pipeline for both databases (issue 17).

Python tokenises, lower-cases, stems (pinned Snowball), decompounds (Debian's Swedish
hunspell dictionary) and normalises definite and past forms (``text.index_text``); both
databases store the result as it is. SQLite: FTS5 columns for the title's and the text's
stems, their compound parts, the title's exact words and beginnings, and the access tokens.
PostgreSQL: tsvector literals built in Python (no parser, no dictionary, no lower-casing in
the database: the database's locale cannot change them), written by ``search.index_item``
instead of the triggers of 0005 (the delete and truncate triggers stay).

Also the vocabulary (``library_searchword``: stem, a word with that stem, the stem without
diacritics, its first letter and length, number of items), for "did you mean".
"""

from django.db import migrations

SQLITE_CREATE = """CREATE VIRTUAL TABLE library_itemsearch USING fts5(
    title, body, tpart, bpart, tpre, acl,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '^='", columnsize = 0
)"""
SQLITE_TRIGGER = """CREATE TRIGGER library_item_search_delete AFTER DELETE ON library_item BEGIN
    DELETE FROM library_itemsearch WHERE rowid = old.id;
END"""
VOCABULARY = [
    """CREATE TABLE library_searchword (
        stem varchar(60) NOT NULL PRIMARY KEY,
        word varchar(60) NOT NULL,
        folded varchar(60) NOT NULL,
        lead varchar(1) NOT NULL,
        size integer NOT NULL,
        n integer NOT NULL
    )""",
    "CREATE INDEX library_searchword_folded ON library_searchword (folded)",
    "CREATE INDEX library_searchword_lead ON library_searchword (lead, size)",
]
POSTGRES_FORWARD = [
    "DROP TRIGGER IF EXISTS library_itemsearch_insert ON library_item",
    "DROP TRIGGER IF EXISTS library_itemsearch_update ON library_item",
    "DROP FUNCTION IF EXISTS library_itemsearch_sync()",
    "DROP FUNCTION IF EXISTS library_search_words(tsvector, regconfig, text, text)",
    "DROP FUNCTION IF EXISTS library_access_tokens(text)",
    "DROP FUNCTION IF EXISTS library_title_prefixes(tsvector)",
    "DROP FUNCTION IF EXISTS library_search_config(text)",
    """CREATE OR REPLACE FUNCTION library_itemsearch_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE library_itemsearch;
        TRUNCATE library_searchword;
        RETURN NULL;
    END
    $$""",
]


def forward(apps, schema_editor):
    from kollegium.library.search import rebuild_rows

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in VOCABULARY + POSTGRES_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS library_item_search_delete")
        schema_editor.execute("DROP TABLE IF EXISTS library_itemsearch")
        schema_editor.execute(SQLITE_CREATE)
        schema_editor.execute(SQLITE_TRIGGER)
        for sql in VOCABULARY:
            schema_editor.execute(sql)
    else:
        return
    with schema_editor.connection.cursor() as cursor:
        rebuild_rows(cursor, vendor)


def backward(apps, schema_editor):
    from importlib import import_module

    vendor = schema_editor.connection.vendor
    schema_editor.execute("DROP TABLE IF EXISTS library_searchword")
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS library_itemsearch_truncate ON library_item")
        schema_editor.execute("DROP TRIGGER IF EXISTS library_itemsearch_delete ON library_item")
        schema_editor.execute("DROP TABLE IF EXISTS library_itemsearch")
        schema_editor.execute("DROP FUNCTION IF EXISTS library_itemsearch_truncate()")
        schema_editor.execute("DROP FUNCTION IF EXISTS library_itemsearch_delete()")
    import_module("kollegium.library.migrations.0005_search_title_prefixes").forward(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0005_search_title_prefixes")]
    operations = [migrations.RunPython(forward, backward)]

"""Search index, second design: exact stems, title beginnings as tokens, access tokens kept
apart from the words, and no relevance scoring over every match (see ``search.py``).

Measured on 500,000 generated items (docs/notes/issue-5.md): every word used to be a prefix
query on its stem. FTS5 needed nine prefix indexes for that (inserts ~6× slower, index ~6×
larger), and PostgreSQL's GIN has no prefix index at all: ``'bedömning':*`` read the
posting lists of every lexeme starting "bedömning" (289,000 rows, 50–80 ms) before any
other condition could narrow it. Now a word matches its exact stems anywhere, and the
beginnings of title stems are indexed as tokens of their own ("^bedömning" for the title
word "bedömningsstöd"), so every lookup is exact.

SQLite: the FTS5 table gets a ``tpre`` column (title beginnings, ``^`` kept as a token
character), loses the prefix indexes and the per-row column sizes (no bm25 any more), and is
rebuilt from the items.

PostgreSQL: the generated column on ``library_item`` is replaced by a narrow table
``library_itemsearch(item_id, title, words)``: ``title`` is the title's tsvector (kept in the
row, for ranking title matches first), ``words`` holds title and text lexemes
(``swedish``/``english`` by the item's language), the title beginnings and the access tokens
(``_`` + token, from ``library_item.search_acl``), with a GIN index. No weights, so the GIN
match is exact (no recheck of every row). Triggers on ``library_item`` keep it in step in
the same transaction (insert, update of the indexed columns, delete, truncate).
"""

from django.db import migrations

SQLITE_CREATE = """CREATE VIRTUAL TABLE library_itemsearch USING fts5(
    title, body, tpre, acl,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '^'", columnsize = 0
)"""
SQLITE_TRIGGER = """CREATE TRIGGER library_item_search_delete AFTER DELETE ON library_item BEGIN
    DELETE FROM library_itemsearch WHERE rowid = old.id;
END"""
SQLITE_INSERT = (
    "INSERT INTO library_itemsearch(rowid, title, body, tpre, acl) VALUES (%s, %s, %s, %s, %s)"
)

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS library_item_search_gin",
    "ALTER TABLE library_item DROP COLUMN IF EXISTS search_vector",
    """CREATE FUNCTION library_search_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'swedish'::regconfig END
    $$""",
    # Same tokens as kollegium.library.text.title_prefix_tokens: every beginning of three
    # letters or more of each title lexeme (the lexeme itself included), marked with "^".
    """CREATE FUNCTION library_title_prefixes(title tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_tsvector(coalesce(array_agg(DISTINCT '^' || left(u.lexeme, n)), '{}'))
        FROM unnest(title) u,
             generate_series(least(3, length(u.lexeme)), length(u.lexeme)) n
    $$""",
    """CREATE FUNCTION library_access_tokens(acl text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_tsvector(ARRAY(
            SELECT '_' || t FROM unnest(string_to_array(coalesce(acl, ''), ' ')) t WHERE t <> ''
        ))
    $$""",
    """CREATE FUNCTION library_search_words(title tsvector, config regconfig, body text, acl text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT title || to_tsvector(config, coalesce(body, ''))
            || library_title_prefixes(title) || library_access_tokens(acl)
    $$""",
    """CREATE TABLE library_itemsearch (
        item_id bigint PRIMARY KEY,
        title tsvector NOT NULL,
        words tsvector NOT NULL
    )""",
    # The title stays in the row (read for every match, to rank title matches first); the
    # words go out of line when long, so the rows a search visits stay small.
    """ALTER TABLE library_itemsearch ALTER COLUMN title SET STORAGE MAIN,
        ALTER COLUMN words SET STORAGE EXTERNAL""",
    """CREATE FUNCTION library_itemsearch_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        v_config regconfig := library_search_config(NEW.language);
        v_title tsvector := to_tsvector(v_config, coalesce(NEW.title, ''));
    BEGIN
        INSERT INTO library_itemsearch (item_id, title, words)
        VALUES (
            NEW.id, v_title,
            library_search_words(v_title, v_config, NEW.body_text, NEW.search_acl)
        )
        ON CONFLICT (item_id) DO UPDATE SET title = EXCLUDED.title, words = EXCLUDED.words;
        RETURN NULL;
    END
    $$""",
    """CREATE FUNCTION library_itemsearch_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM library_itemsearch WHERE item_id = OLD.id;
        RETURN NULL;
    END
    $$""",
    """CREATE FUNCTION library_itemsearch_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE library_itemsearch;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER library_itemsearch_insert AFTER INSERT ON library_item
        FOR EACH ROW EXECUTE FUNCTION library_itemsearch_sync()""",
    """CREATE TRIGGER library_itemsearch_update AFTER UPDATE ON library_item
        FOR EACH ROW WHEN (
            OLD.title IS DISTINCT FROM NEW.title OR OLD.body_text IS DISTINCT FROM NEW.body_text
            OR OLD.language IS DISTINCT FROM NEW.language
            OR OLD.search_acl IS DISTINCT FROM NEW.search_acl
        ) EXECUTE FUNCTION library_itemsearch_sync()""",
    """CREATE TRIGGER library_itemsearch_delete AFTER DELETE ON library_item
        FOR EACH ROW EXECUTE FUNCTION library_itemsearch_delete()""",
    """CREATE TRIGGER library_itemsearch_truncate AFTER TRUNCATE ON library_item
        FOR EACH STATEMENT EXECUTE FUNCTION library_itemsearch_truncate()""",
    """INSERT INTO library_itemsearch (item_id, title, words)
        SELECT i.id, t.v, library_search_words(t.v, c.config, i.body_text, i.search_acl)
        FROM library_item i
        CROSS JOIN LATERAL (SELECT library_search_config(i.language) AS config) c
        CROSS JOIN LATERAL (SELECT to_tsvector(c.config, coalesce(i.title, '')) AS v) t""",
    "CREATE INDEX library_itemsearch_words ON library_itemsearch USING gin (words)",
]

_CONFIG = "(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'swedish'::regconfig END)"
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_itemsearch_truncate ON library_item",
    "DROP TRIGGER IF EXISTS library_itemsearch_delete ON library_item",
    "DROP TRIGGER IF EXISTS library_itemsearch_update ON library_item",
    "DROP TRIGGER IF EXISTS library_itemsearch_insert ON library_item",
    "DROP TABLE IF EXISTS library_itemsearch",
    "DROP FUNCTION IF EXISTS library_itemsearch_truncate()",
    "DROP FUNCTION IF EXISTS library_itemsearch_delete()",
    "DROP FUNCTION IF EXISTS library_itemsearch_sync()",
    "DROP FUNCTION IF EXISTS library_search_words(tsvector, regconfig, text, text)",
    "DROP FUNCTION IF EXISTS library_access_tokens(text)",
    "DROP FUNCTION IF EXISTS library_title_prefixes(tsvector)",
    "DROP FUNCTION IF EXISTS library_search_config(text)",
    f"""ALTER TABLE library_item ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A') ||
        setweight(to_tsvector({_CONFIG}, coalesce(body_text, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(search_acl, '')), 'D')
    ) STORED""",
    "CREATE INDEX library_item_search_gin ON library_item USING gin (search_vector)",
]


def sqlite_rows(title: str, body_text: str, language: str, acl: str) -> tuple[str, ...]:
    """One FTS5 row: stemmed title, stemmed text, title beginnings, access tokens."""
    from kollegium.library import text

    stems = text.fast_shadow_text([title], language)
    return (
        stems,
        text.fast_shadow_text([body_text], language),
        " ".join(text.title_prefix_tokens(stems.split())),
        acl,
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)
        return
    if vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS library_item_search_delete")
    schema_editor.execute("DROP TABLE IF EXISTS library_itemsearch")
    schema_editor.execute(SQLITE_CREATE)
    schema_editor.execute(SQLITE_TRIGGER)
    Item = apps.get_model("library", "Item")
    rows = Item.objects.values_list("pk", "title", "body_text", "language", "search_acl")
    for pk, title, body_text, language, acl in rows.iterator(chunk_size=2000):
        schema_editor.execute(SQLITE_INSERT, [pk, *sqlite_rows(title, body_text, language, acl)])


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        from importlib import import_module

        import_module("kollegium.library.migrations.0004_more_prefix_indexes").forward(
            apps, schema_editor
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0004_more_prefix_indexes")]
    operations = [migrations.RunPython(forward, backward)]

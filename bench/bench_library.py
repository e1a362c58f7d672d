"""Library: seed many items (realistic Swedish and English texts), then search p95 through the
real interface (``selectors.search_items``: visibility filter, count, page, highlighting)
against the raw full-text query run directly on the database (the limit).

Size: ``LIBRARY_BENCH_ITEMS`` (default 500,000; 5,000 with --quick).

    LIBRARY_BENCH_ITEMS=50000 .venv/bin/python -m bench.run --only library --db sqlite
"""

from __future__ import annotations

import os
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import BenchContext, percentiles, row

DATA = Path(__file__).resolve().parent.parent / "kollegium" / "library" / "data" / "bench"
FULL_SIZE = 500_000
QUICK_SIZE = 5_000
BATCH = 5_000
VISIBILITY = (["school"] * 50) + (["network"] * 20) + (["installation"] * 25) + (["private"] * 5)


def load_average() -> str:
    """The machine's 1-minute load average, noted next to each figure (others' work on a
    shared machine inflates milliseconds)."""
    return f"load {os.getloadavg()[0]:.1f}"


def load_words(language: str) -> tuple[list[str], list[str]]:
    function: list[str] = []
    content: list[str] = []
    target = content
    for line in (DATA / f"{language}.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[function]":
            target = function
        elif line == "[content]":
            target = content
        else:
            target.extend(line.split())
    return function, content


class TextMaker:
    """Texts cut from a long, pre-drawn stream of words: Zipf-distributed content words mixed
    with frequent function words, in sentences of 6–18 words. Drawing the stream once keeps
    generation cheap enough to make 500,000 texts in seconds."""

    POOL = 2_000_000

    #: Real texts have a long tail of rarer words; Swedish and English make many of them by
    #: compounding ("bedömningsmatris", "classroom"), so the tail is made of compounds.
    COMPOUNDS = 20_000

    def __init__(self, language: str, rng: random.Random) -> None:
        self.rng = rng
        function, base = load_words(language)
        rng.shuffle(base)
        compounds: set[str] = set()
        while len(compounds) < self.COMPOUNDS:
            first, second = rng.sample(base, 2)
            compounds.add(first + second)
        tail = sorted(compounds)
        rng.shuffle(tail)
        content = base + tail  # Zipf rank order: the school words first, then the tail
        self.content = content
        cum, total = [], 0.0
        for rank in range(len(content)):
            total += 1 / (rank + 1)
            cum.append(total)
        self.cum = cum
        picked = rng.choices(content, cum_weights=cum, k=self.POOL)
        small = rng.choices(function, k=self.POOL)
        flips = rng.choices((True, False), weights=(4, 6), k=self.POOL)
        words = [f if flip else c for c, f, flip in zip(picked, small, flips, strict=True)]
        position = 0
        while position < self.POOL:  # sentence ends and capitals
            words[position] = words[position].capitalize()
            position += rng.randint(6, 18)
            words[position - 1 if position <= self.POOL else -1] += "."
        self.words = words
        self.titles = [
            " ".join(rng.choices(content, cum_weights=cum, k=rng.randint(3, 7))).capitalize()
            for _ in range(20_000)
        ]

    def text(self, n: int) -> str:
        start = self.rng.randrange(0, self.POOL - n)
        return " ".join(self.words[start : start + n])

    def title(self) -> str:
        return self.rng.choice(self.titles)


def text_makers(rng: random.Random | None = None) -> dict[str, TextMaker]:
    """The generators for both languages; the same words for the same seed."""
    rng = rng or random.Random(5)
    return {"sv": TextMaker("sv", rng), "en": TextMaker("en", rng)}


_ITEM_INSERT = (
    "INSERT INTO library_item (id, school_id, title, body, body_text, item_type, language,"
    " visibility, group_id, created_by_id, licence, origin_label, origin_url, version_number,"
    " search_acl, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, 'CC-BY-4.0', '', '', 1, %s, %s, %s)"
)
_AUTHOR_INSERT = "INSERT INTO library_item_authors (item_id, user_id) VALUES (%s, %s)"
_SUBJECT_INSERT = "INSERT INTO library_item_subjects (item_id, subject_id) VALUES (%s, %s)"


def seed_items(
    total: int, schools: list[int], authors_by_school: dict[int, list[int]]
) -> tuple[float, dict[str, TextMaker]]:
    """Bulk-load ``total`` items with authors, subjects and the search index. Returns seconds.

    Ids are assigned here and rows are written in batches (the app's services do one item
    at a time with versions and checks; this measures the database, not the form):

    - SQLite: multi-row inserts, the FTS5 rows made in Python like ``search.index_item``
      does, with FTS5's bulk settings (a 16 MB term buffer, fewer merges) for the load,
      then one ``optimize`` and the default settings back;
    - PostgreSQL: ``COPY`` from two connections at once, ``library_itemsearch`` too (its
      tsvector literals made in Python, as ``search.index_item`` does), the GIN index built
      once after the load;
    - both: the vocabulary for "did you mean" (``library_searchword``) counted while the
      rows are made and written at the end.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from kollegium.library import access, search, text
    from kollegium.organisations.models import Subject

    rng = random.Random(5)
    makers = text_makers(rng)
    subjects = list(Subject.objects.values_list("pk", "code"))
    types = ["tip", "lesson_plan", "method", "proven_practice", "answer", "talk"]
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM library_item")
        next_id = cursor.fetchone()[0] + 1
        if postgres:
            cursor.execute("DROP INDEX IF EXISTS library_itemsearch_words")
        else:
            cursor.executemany(_FTS_CONFIG, [("hashsize", 16 * 1024 * 1024), ("automerge", 16)])
    writer: Any = _PostgresWriter() if postgres else _SqliteWriter()
    vendor = "postgresql" if postgres else "sqlite"
    vocabulary: dict[str, list[Any]] = {}
    now = timezone.now()
    made = 0
    while made < total:
        batch = _Batch()
        for _ in range(min(BATCH, total - made)):
            pk, next_id = next_id, next_id + 1
            language = "sv" if rng.random() < 0.7 else "en"
            school = rng.choice(schools)
            author = rng.choice(authors_by_school[school])
            body = makers[language].text(rng.randint(50, 500))
            title = makers[language].title()
            item_type, visibility = rng.choice(types), rng.choice(VISIBILITY)
            subject = rng.choice(subjects) if rng.random() < 0.6 else None
            acl = access.item_tokens(access.ItemFacts(
                visibility=visibility, school_id=school, group_id=None, author_ids=(author,),
                item_type=item_type, language=language,
                subject_codes=(subject[1],) if subject else (),
            ))  # fmt: skip
            when = now - timedelta(minutes=pk)
            batch.items.append((pk, school, title, body, body, item_type, language, visibility,
                                author, acl, when, when))  # fmt: skip
            indexed = text.index_text(title, body, language)
            batch.search.append(search._row(vendor, pk, indexed, acl))
            for stem, word in indexed.words.items():
                entry = vocabulary.setdefault(stem, [word, 0])
                entry[1] += 1
                if len(word) < len(entry[0]):
                    entry[0] = word
            batch.authors.append((pk, author))
            if subject:
                batch.tagged.append((pk, subject[0]))
        writer.write(batch)
        made += len(batch.items)
        if made % 50_000 == 0 or made == total:
            print(
                f"  library: {made}/{total} items, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    writer.close()
    with connection.cursor() as cursor:
        words = sorted(vocabulary.items())
        for start in range(0, len(words), 10_000):
            cursor.executemany(search._VOCAB_ADD, [
                (*search._vocab_key(s), w, n) for s, (w, n) in words[start : start + 10_000]
            ])  # fmt: skip
        if postgres:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('library_item', 'id'), %s)", [next_id]
            )
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(
                "CREATE INDEX library_itemsearch_words ON library_itemsearch USING gin (words)"
            )
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("VACUUM ANALYZE library_itemsearch")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("INSERT INTO library_itemsearch(library_itemsearch) VALUES ('optimize')")
            cursor.executemany(_FTS_CONFIG, [("hashsize", 1024 * 1024), ("automerge", 4)])
            cursor.execute("ANALYZE")
    return time.perf_counter() - started, makers


_FTS_CONFIG = "INSERT INTO library_itemsearch(library_itemsearch, rank) VALUES (%s, %s)"
_ITEM_COPY = (
    "COPY library_item (id, school_id, title, body, body_text, item_type, language, visibility,"
    " created_by_id, search_acl, created_at, updated_at, group_id, licence, origin_label,"
    " origin_url, version_number) FROM STDIN"
)
_ITEM_DEFAULTS = (None, "CC-BY-4.0", "", "", 1)


@dataclass
class _Batch:
    items: list[tuple[Any, ...]] = field(default_factory=list)
    authors: list[tuple[int, int]] = field(default_factory=list)
    tagged: list[tuple[int, int]] = field(default_factory=list)
    search: list[tuple[Any, ...]] = field(default_factory=list)


class _SqliteWriter:
    def write(self, batch: _Batch) -> None:
        from django.db import connection, transaction

        from kollegium.library import search

        adapt = connection.ops.adapt_datetimefield_value
        items = [(*row[:10], adapt(row[10]), adapt(row[11])) for row in batch.items]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_ITEM_INSERT, items)
            cursor.executemany(_AUTHOR_INSERT, batch.authors)
            cursor.executemany(_SUBJECT_INSERT, batch.tagged)
            cursor.executemany(search._INSERT_ROW, batch.search)

    def close(self) -> None:
        pass


class _PostgresWriter:
    """Two threads, each with its own connection, ``COPY`` batches in turn."""

    def __init__(self, threads: int = 2) -> None:
        self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=threads * 2)
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def write(self, batch: _Batch) -> None:
        if self.errors:
            raise self.errors[0]
        self.queue.put(batch)

    def close(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise self.errors[0]

    def _run(self) -> None:
        from django.db import connection, transaction

        try:
            while (batch := self.queue.get()) is not None:
                with transaction.atomic(), connection.cursor() as cursor:
                    with cursor.cursor.copy(_ITEM_COPY) as copy:
                        for row in batch.items:
                            copy.write_row((*row, *_ITEM_DEFAULTS))
                    with cursor.cursor.copy(
                        "COPY library_item_authors (item_id, user_id) FROM STDIN"
                    ) as copy:
                        for pair in batch.authors:
                            copy.write_row(pair)
                    with cursor.cursor.copy(
                        "COPY library_item_subjects (item_id, subject_id) FROM STDIN"
                    ) as copy:
                        for pair in batch.tagged:
                            copy.write_row(pair)
                    with cursor.cursor.copy(
                        "COPY library_itemsearch (item_id, title, words) FROM STDIN"
                    ) as copy:
                        for entry in batch.search:
                            copy.write_row(entry)
        except BaseException as error:  # reported by write() / close()
            self.errors.append(error)
            while self.queue.get() is not None:  # drain so the producer never blocks
                pass
        finally:
            connection.close()


def index_size_mb() -> float:
    """The search index on disk: PostgreSQL's table, TOAST and GIN index; SQLite's FTS5
    shadow tables (``dbstat``); both with the vocabulary table."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('library_itemsearch')"
                " + pg_total_relation_size('library_searchword')"
            )
        else:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'library_itemsearch%'"
                " OR name LIKE 'library_searchword%' OR name LIKE 'sqlite_autoindex_library_s%'"
            )
        return (cursor.fetchone()[0] or 0) / 1e6


def raw_search(parsed: Any) -> None:
    """The bare engine work for the same words: the very statements the backend sends
    (count, and the first page by relevance level then newest), without the access and
    filter tokens and without Django's models. The limit for our search."""
    from django.db import connection

    from kollegium.library import search

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            search.pg_page(cursor, parsed, "", limit=20, offset=0)
        else:
            search.fts5_page(cursor, parsed, "", limit=20, offset=0)


def run(ctx: BenchContext) -> list[dict]:
    from kollegium.organisations.models import Membership

    total = int(os.environ.get("LIBRARY_BENCH_ITEMS") or (QUICK_SIZE if ctx.quick else FULL_SIZE))
    ctx.seed_people(10 if ctx.quick else 100, 10)
    authors_by_school: dict[int, list[int]] = {}
    for school_id, user_id in Membership.objects.values_list("school_id", "user_id"):
        authors_by_school.setdefault(school_id, []).append(user_id)
    schools = sorted(authors_by_school)
    seconds, makers = seed_items(total, schools, authors_by_school)
    rows = [
        row(f"seed {total:,} items", seconds, "s", target="< 600 s (500k)",
            ok=seconds < 600 if total >= FULL_SIZE else None,
            note=f"{total / seconds:,.0f} items/s, {ctx.database}, {load_average()}"),
        row(f"search index size ({total:,} items)", index_size_mb(), "MB",
            note="library_itemsearch with its index (and FTS5 shadow tables), vocabulary"),
    ]  # fmt: skip
    return rows + measure(total, makers, authors_by_school, quick=ctx.quick)


def measure(
    total: int, makers: dict[str, TextMaker], authors_by_school: dict[int, list[int]],
    quick: bool = False,
) -> list[dict]:  # fmt: skip
    """Search p95 through ``selectors.search_items`` against the bare engine work, on a
    seeded database (also usable on one seeded earlier: ``text_makers()`` gives the words)."""
    from django.db import connection

    from kollegium.accounts.models import User
    from kollegium.library.query import parse
    from kollegium.library.selectors import Filters, search_items
    from kollegium.organisations.actor import as_actor
    from kollegium.organisations.models import Subject

    rows: list[dict] = []
    schools = sorted(authors_by_school)

    searcher = User.objects.get(pk=authors_by_school[schools[0]][0])

    def as_request(raw: str, filters: Any) -> None:
        # A fresh acting person per call, as per request: what decides what they may see
        # (schools, networks, groups) is read again. The stored person is not: a request's
        # sign-in middleware loads it for every page, whatever the page does.
        search_items(user=as_actor(searcher), raw=raw, filters=filters)

    subject = Subject.objects.order_by("pk").first()
    # Topical words a teacher would type: mid-frequency words of the generated texts (Zipf
    # ranks 300–3,000, in 0.5–5 % of the items), in both languages; plus, for honesty, a row
    # for a very common word (rank 3: in most items).
    ranks = [300, 450, 700, 1000, 1400, 1800, 2200, 2600, 3000, 600]
    sv, en = makers["sv"].content, makers["en"].content
    one = [(sv if i % 3 else en)[r] for i, r in enumerate(ranks)]
    two = [
        f"{(sv if i % 3 else en)[r]} {(sv if i % 3 else en)[r // 3]}" for i, r in enumerate(ranks)
    ]
    common = [sv[3], sv[4], en[3]]
    filtered = [(q, Filters(item_type="lesson_plan", subject=subject.code)) for q in one]
    cases = {
        "one-word": [(q, Filters()) for q in one],
        "two-word": [(q, Filters()) for q in two],
        "filtered": filtered,
        "very common word": [(q, Filters()) for q in common],
    }
    repeat = 3 if quick else 6
    for label, queries in cases.items():
        full_samples: list[float] = []
        raw_samples: list[float] = []
        # This process's CPU time (on SQLite the engine's too): what the search costs
        # whatever the machine's load, which the wall-clock figures include.
        cpu_samples: list[float] = []
        raw_cpu_samples: list[float] = []
        for raw, filters in queries:  # one warm-up each, then interleaved timings
            parsed = parse(raw)
            as_request(raw, filters)
            raw_search(parsed)
            for _ in range(repeat):
                started, cpu = time.perf_counter(), time.process_time()
                as_request(raw, filters)
                full_samples.append((time.perf_counter() - started) * 1000)
                cpu_samples.append((time.process_time() - cpu) * 1000)
                started, cpu = time.perf_counter(), time.process_time()
                raw_search(parsed)
                raw_samples.append((time.perf_counter() - started) * 1000)
                raw_cpu_samples.append((time.process_time() - cpu) * 1000)
        full, bare = percentiles(full_samples), percentiles(raw_samples)
        target = label != "very common word"
        words = ", ".join(q for q, _ in queries[:3])
        rows.append(
            row(f"search p95, {label} ({total:,} items)", full["p95"], "ms",
                target="< 30 ms" if target else "", ok=full["p95"] < 30 if target else None,
                note=f"p50 {full['p50']:.1f} ms, n={full['n']}, CPU p95"
                     f" {percentiles(cpu_samples)['p95']:.1f} ms, {load_average()}; e.g. {words}")
        )  # fmt: skip
        rows.append(
            row(f"raw FTS p95, {label}", bare["p95"], "ms",
                note=f"p50 {bare['p50']:.1f} ms, CPU p95 {percentiles(raw_cpu_samples)['p95']:.1f}"
                     " ms; same statements, no access/filter tokens")
        )  # fmt: skip
        rows.append(
            row(f"search / raw FTS p95, {label}", full["p95"] / max(bare["p95"], 1e-6), "ratio",
                note=f"p50 ratio {full['p50'] / max(bare['p50'], 1e-6):.2f}")
        )  # fmt: skip
        # This process's CPU: on SQLite the engine runs in it, so this ratio is the cost of
        # the work around the statement whatever the machine's load (on PostgreSQL the
        # server's CPU is not in it: there the wall-clock ratio above is the figure).
        used, raw_used = percentiles(cpu_samples), percentiles(raw_cpu_samples)
        in_process = connection.vendor == "sqlite"
        rows.append(
            row(f"search / raw FTS CPU p95, {label}", used["p95"] / max(raw_used["p95"], 1e-6),
                "ratio", target="<= 2" if target and in_process else "",
                ok=used["p95"] <= 2 * raw_used["p95"] if target and in_process else None,
                note=f"CPU p95 {used['p95']:.1f} / {raw_used['p95']:.1f} ms, p50 ratio"
                     f" {used['p50'] / max(raw_used['p50'], 1e-6):.2f}")
        )  # fmt: skip
    browse = []
    for _ in range(repeat * 3):
        started = time.perf_counter()
        as_request("", Filters())
        browse.append((time.perf_counter() - started) * 1000)
    stats = percentiles(browse)
    rows.append(
        row(f"browse p95, no words ({total:,} items)", stats["p95"], "ms",
            note=f"p50 {stats['p50']:.1f} ms, {load_average()}; newest visible items + count")
    )  # fmt: skip
    return rows

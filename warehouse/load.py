"""Bulk, idempotent loads: one batch, one transaction, through Arrow.

A batch carries the raw documents fetched, the articles derived from them, the problems met and
the cursor they prove. Everything in it commits together or not at all, so a crash (even
`kill -9`) loses at most the batch in flight and a rerun redoes exactly that batch. Rows are
keyed on stable ids; loading the same batch twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from transforms.model import ParsedArticle, Problem, RawDocument, SourceProfile, stable_id
from warehouse import provenance
from warehouse.db import transaction
from warehouse.rows import TaggedRows

_TS = pa.timestamp("us", tz="UTC")


@dataclass
class Batch:
    """What one step of a run hands to the warehouse."""

    source_id: str
    raw_documents: list[RawDocument] = field(default_factory=list)
    pending: list[tuple[ParsedArticle, SourceProfile]] = field(default_factory=list)
    """Parsed articles still to transform (all at once, on every core, before the load)."""
    tagged: list[TaggedRows] = field(default_factory=list)
    """Rows of the transformed articles (`item` = position in `pending` when it was sent)."""
    problems: list[Problem] = field(default_factory=list)
    cursor: str | None = None
    """New daily cursor for the source, committed with this batch (None: leave it)."""
    state_writes: list[Callable[[duckdb.DuckDBPyConnection], None]] = field(default_factory=list)
    """Fetch-state writes (validators, backfill checkpoints) that must commit with this batch."""

    def __len__(self) -> int:
        return len(self.raw_documents) + self.article_count + len(self.problems)

    @property
    def article_count(self) -> int:
        """Articles in the batch, transformed or not."""
        return sum(len(rows) for rows in self.tagged) + len(self.pending)


@dataclass
class LoadStats:
    """What a load changed."""

    raw_new: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    claims: int = 0
    quarantined: int = 0

    def add(self, other: LoadStats) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def _raw_table(docs: Sequence[RawDocument]) -> pa.Table:
    return pa.table(
        {
            "raw_id": [d.raw_id for d in docs],
            "source_id": [d.source_id for d in docs],
            "run_id": [d.run_id for d in docs],
            "url": [d.request.url for d in docs],
            "final_url": [d.final_url for d in docs],
            "role": [d.request.role for d in docs],
            "request_meta": [json.dumps(d.request.meta) for d in docs],
            "status": pa.array([d.status for d in docs], pa.int32()),
            "headers": [json.dumps(d.headers) for d in docs],
            "fetched_at": pa.array([d.fetched_at for d in docs], _TS),
            "sha256": [d.sha256 for d in docs],
            "body": pa.array([d.body for d in docs], pa.binary()),
            "error": pa.array([d.error for d in docs], pa.string()),
            "error_detail": pa.array([d.error_detail for d in docs], pa.string()),
        }
    )


def _problem_table(problems: Sequence[Problem], source_id: str, run_id: str) -> pa.Table:
    unique = {stable_id(source_id, p.stage, p.url, p.reason): p for p in problems}
    now = datetime.now(UTC)
    return pa.table(
        {
            "quarantine_id": list(unique),
            "source_id": [source_id] * len(unique),
            "stage": [p.stage for p in unique.values()],
            "url": [p.url for p in unique.values()],
            "reason": [p.reason for p in unique.values()],
            "detail": [p.detail for p in unique.values()],
            "raw_id": pa.array([p.raw_id for p in unique.values()], pa.string()),
            "run_id": [run_id] * len(unique),
            "first_run_id": [run_id] * len(unique),
            "first_seen_at": pa.array([now] * len(unique), _TS),
            "last_seen_at": pa.array([now] * len(unique), _TS),
            "occurrences": pa.array([1] * len(unique), pa.int32()),
        }
    )


def _load_raw(con: duckdb.DuckDBPyConnection, docs: Sequence[RawDocument]) -> int:
    unique = list({d.raw_id: d for d in docs}.values())
    if not unique:
        return 0
    con.register("batch_raw", _raw_table(unique))
    before = con.execute("SELECT count(*) FROM raw_documents").fetchall()[0][0]
    con.execute(
        "INSERT INTO raw_documents BY NAME SELECT * FROM batch_raw "
        "WHERE raw_id NOT IN (SELECT raw_id FROM raw_documents)"
    )
    con.unregister("batch_raw")
    return con.execute("SELECT count(*) FROM raw_documents").fetchall()[0][0] - before


def _load_articles(
    con: duckdb.DuckDBPyConnection,
    rows: TaggedRows,
    run_id: str,
    code_version: str,
    tagger_version: str,
    retag: bool,
) -> LoadStats:
    """Store the last version read of each article of the batch; re-tag new and changed ones
    (every one with `retag`). Runs as SQL over the batch's Arrow tables: no row passes through
    Python here."""
    stats = LoadStats()
    if not len(rows):
        return stats
    now = datetime.now(UTC)
    con.register("batch_articles", rows.articles)
    # One row per article: the last item read (pages are read oldest change first), whether
    # it was stored before, and whether its text differs from the stored version.
    latest = con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch_latest AS
        SELECT b.item, b.article_id, a.article_id IS NOT NULL AS stored,
               a.version_id IS DISTINCT FROM b.version_id AS changed
        FROM (SELECT * FROM batch_articles
              QUALIFY item = max(item) OVER (PARTITION BY article_id)) b
        LEFT JOIN articles a USING (article_id);
        SELECT item, stored, changed FROM batch_latest
        """
    ).fetchall()
    changed = [item for item, _, is_changed in latest if is_changed]
    stats.new = sum(1 for _, stored, is_changed in latest if is_changed and not stored)
    stats.updated = len(changed) - stats.new
    stats.unchanged = len(latest) - len(changed)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE kept_first_seen AS
        SELECT article_id, first_seen_at FROM articles
        WHERE article_id IN (SELECT article_id FROM batch_latest WHERE changed AND stored);
        DELETE FROM articles
        WHERE article_id IN (SELECT article_id FROM batch_latest WHERE changed AND stored)
        """
    )
    params = {"run": run_id, "code": code_version, "now": now}
    con.execute(
        """
        INSERT INTO articles BY NAME
        SELECT b.* EXCLUDE (item), $run AS run_id, $code AS code_version,
               coalesce(k.first_seen_at, $now) AS first_seen_at, $now AS updated_at
        FROM batch_articles b LEFT JOIN kept_first_seen k USING (article_id)
        WHERE b.item IN (SELECT item FROM batch_latest WHERE changed)
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO article_versions BY NAME
        SELECT article_id, version_id, raw_id, $run AS run_id, title, body_text, $now AS seen_at
        FROM batch_articles b
        WHERE b.item IN (SELECT item FROM batch_latest)
          AND NOT EXISTS (SELECT 1 FROM article_versions v
                          WHERE v.article_id = b.article_id AND v.version_id = b.version_id)
        """,
        {"run": run_id, "now": now},
    )
    con.unregister("batch_articles")
    con.register("batch_repairs", rows.repairs)
    con.execute(
        "INSERT INTO article_repairs BY NAME SELECT * EXCLUDE (item) FROM batch_repairs b "
        "WHERE b.item IN (SELECT item FROM batch_latest WHERE changed) AND NOT EXISTS "
        "(SELECT 1 FROM article_repairs r WHERE r.article_id = b.article_id "
        "AND r.version_id = b.version_id AND r.seq = b.seq)"
    )
    con.unregister("batch_repairs")
    tagged_items = [item for item, _, _ in latest] if retag else changed
    if tagged_items:
        tagged = rows.only(tagged_items)
        stored = [
            article_id
            for (article_id,) in con.execute(
                "SELECT article_id FROM batch_latest WHERE stored AND (changed OR $retag)",
                {"retag": retag},
            ).fetchall()
        ]
        replaced = _delete_old_claims(con, stored)
        con.register("batch_claims", tagged.claims)
        con.execute(
            "INSERT INTO claims BY NAME SELECT * EXCLUDE (item), "
            "? AS run_id, ? AS tagger_version FROM batch_claims",
            [run_id, tagger_version],
        )
        con.unregister("batch_claims")
        provenance.load_claim_rows(con, tagged, run_id, replaced)
        stats.claims = tagged.claims.num_rows
    return stats


def _delete_old_claims(
    con: duckdb.DuckDBPyConnection, stored: Sequence[str]
) -> provenance.Replaced:
    """Delete the stored claims of re-tagged articles stored before and say what was replaced.
    Only articles stored before can have claims, so a batch of new articles never scans
    `claims`."""
    if not stored:
        return provenance.Replaced()
    old = con.execute(
        "DELETE FROM claims WHERE article_id IN (SELECT unnest(?::VARCHAR[])) RETURNING claim_id",
        [stored],
    ).fetchall()
    return provenance.Replaced(frozenset(stored), frozenset(row[0] for row in old))


def _load_problems(
    con: duckdb.DuckDBPyConnection, problems: Sequence[Problem], source_id: str, run_id: str
) -> int:
    if not problems:
        return 0
    table = _problem_table(problems, source_id, run_id)
    con.register("batch_problems", table)
    con.execute(
        "UPDATE quarantine q SET run_id = b.run_id, detail = b.detail, raw_id = b.raw_id, "
        "last_seen_at = b.last_seen_at, occurrences = q.occurrences + 1 "
        "FROM batch_problems b WHERE q.quarantine_id = b.quarantine_id AND q.run_id <> b.run_id"
    )
    con.execute(
        "INSERT INTO quarantine BY NAME SELECT * FROM batch_problems b "
        "WHERE quarantine_id NOT IN (SELECT quarantine_id FROM quarantine)"
    )
    con.unregister("batch_problems")
    return table.num_rows


def load_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    *,
    run_id: str,
    code_version: str,
    tagger_version: str,
    retag: bool = False,
) -> LoadStats:
    """Store one batch atomically; returns what changed.

    `retag` replaces the claims of every article in the batch even when its text is unchanged
    (reprocess with a new tagger); otherwise only new and changed articles are re-tagged.
    """
    with transaction(con):
        raw_new = _load_raw(con, batch.raw_documents)
        rows = TaggedRows.concat(batch.tagged)
        stats = _load_articles(con, rows, run_id, code_version, tagger_version, retag)
        stats.raw_new = raw_new
        stats.quarantined = _load_problems(con, batch.problems, batch.source_id, run_id)
        if batch.cursor is not None:
            con.execute(
                "UPDATE sources SET daily_cursor = ?, cursor_updated_at = now() "
                "WHERE source_id = ?",
                [batch.cursor, batch.source_id],
            )
        for write in batch.state_writes:
            write(con)
    return stats

"""Bulk, idempotent loads: one batch, one transaction, through Arrow.

A batch carries the raw documents fetched, the articles derived from them, the problems met and
the cursor they prove. Everything in it commits together or not at all, so a crash (even
`kill -9`) loses at most the batch in flight and a rerun redoes exactly that batch. Rows are
keyed on stable ids; loading the same batch twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from transforms.model import ParsedArticle, Problem, RawDocument, SourceProfile, stable_id
from transforms.pipeline import ProcessedArticle
from warehouse import provenance
from warehouse.db import transaction

_TS = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())


@dataclass
class Batch:
    """What one step of a run hands to the warehouse."""

    source_id: str
    raw_documents: list[RawDocument] = field(default_factory=list)
    articles: list[ProcessedArticle] = field(default_factory=list)
    pending: list[tuple[ParsedArticle, SourceProfile]] = field(default_factory=list)
    """Parsed articles still to transform (all at once, on every core, before the load)."""
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
        return len(self.articles) + len(self.pending)


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


def _article_table(items: Sequence[ProcessedArticle], run_id: str, code_version: str) -> pa.Table:
    arts = [p.article for p in items]
    now = datetime.now(UTC)

    def as_json(values: Sequence[object]) -> list[str]:
        """JSON text; structure records are flat dataclasses of strings and tuples, so their
        `vars()` serialise as `asdict()` would, at a fraction of its deep-copying cost."""
        return [json.dumps(v, ensure_ascii=False) for v in values]

    return pa.table(
        {
            "article_id": [a.article_id for a in arts],
            "version_id": [a.version_id for a in arts],
            "source_id": [a.source_id for a in arts],
            "url": [a.url for a in arts],
            "title": [a.title for a in arts],
            "published_at": pa.array([a.published_at for a in arts], _TS),
            "modified_at": pa.array([a.modified_at for a in arts], _TS),
            "language": [a.language for a in arts],
            "body_text": [a.body_text for a in arts],
            "highlights": pa.array([a.structure.highlights for a in arts], _STRINGS),
            "disclaimers": pa.array([a.structure.disclaimers for a in arts], _STRINGS),
            "sections": as_json([[vars(s) for s in a.structure.sections] for a in arts]),
            "links": as_json([[vars(link) for link in a.structure.links] for a in arts]),
            "header": as_json([a.structure.header for a in arts]),
            "debris": pa.array([a.structure.debris for a in arts], _STRINGS),
            "removed": as_json([[vars(r) for r in a.structure.removed] for a in arts]),
            "external_id": pa.array([a.external_id for a in arts], pa.string()),
            "author": pa.array([a.author for a in arts], pa.string()),
            "extraction_method": [a.extraction_method for a in arts],
            "raw_id": [a.raw_id for a in arts],
            "run_id": [run_id] * len(arts),
            "code_version": [code_version] * len(arts),
            "first_seen_at": pa.array([now] * len(arts), _TS),
            "updated_at": pa.array([now] * len(arts), _TS),
        }
    )


def _repair_table(items: Sequence[ProcessedArticle]) -> pa.Table:
    rows = [
        (p.article.article_id, p.article.version_id, seq, c)
        for p in items
        for seq, c in enumerate(p.article.repairs)
    ]
    return pa.table(
        {
            "article_id": [r[0] for r in rows],
            "version_id": [r[1] for r in rows],
            "seq": pa.array([r[2] for r in rows], pa.int32()),
            "offset": pa.array([r[3].offset for r in rows], pa.int32()),
            "before": [r[3].before for r in rows],
            "after": [r[3].after for r in rows],
            "rule": [r[3].rule for r in rows],
            "confidence": pa.array([r[3].confidence for r in rows], pa.float64()),
        }
    )


def _claim_table(items: Sequence[ProcessedArticle], run_id: str, tagger_version: str) -> pa.Table:
    rows = [(p.article.version_id, c) for p in items for c in p.claim_set.claims]
    claims = [c for _, c in rows]
    return pa.table(
        {
            "claim_id": [c.claim_id for c in claims],
            "article_id": [c.article_id for c in claims],
            "version_id": [v for v, _ in rows],
            "seq": pa.array([c.seq for c in claims], pa.int32()),
            "section": [c.section for c in claims],
            "section_role": [c.section_role for c in claims],
            "text": [c.text for c in claims],
            "claim_type": [c.claim_type for c in claims],
            "hedged": pa.array([c.hedged for c in claims], pa.bool_()),
            "hedge_cues": pa.array([c.hedge_cues for c in claims], _STRINGS),
            "attributed_to": pa.array([c.attributed_to for c in claims], pa.string()),
            "origin_url": pa.array([c.origin_url for c in claims], pa.string()),
            "origin_class": pa.array([c.origin_class for c in claims], pa.string()),
            "verification_status": [c.verification_status for c in claims],
            "verification_reason": [c.verification_reason for c in claims],
            "entities": pa.array([c.entities for c in claims], _STRINGS),
            "run_id": [run_id] * len(claims),
            "tagger_version": [tagger_version] * len(claims),
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


def _latest_per_article(items: Sequence[ProcessedArticle]) -> list[ProcessedArticle]:
    """One entry per article id (the last one seen wins: pages are read oldest change first)."""
    return list({p.article.article_id: p for p in items}.values())


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
    items: Sequence[ProcessedArticle],
    run_id: str,
    code_version: str,
    tagger_version: str,
    retag: bool,
) -> LoadStats:
    stats = LoadStats()
    items = _latest_per_article(items)
    if not items:
        return stats
    con.register("batch_articles", _article_table(items, run_id, code_version))
    known = dict(
        con.execute(
            "SELECT a.article_id, a.version_id FROM articles a "
            "JOIN batch_articles b USING (article_id)"
        ).fetchall()
    )
    changed = [p for p in items if known.get(p.article.article_id) != p.article.version_id]
    stats.new = sum(1 for p in changed if p.article.article_id not in known)
    stats.updated = len(changed) - stats.new
    stats.unchanged = len(items) - len(changed)
    changed_ids = [p.article.article_id for p in changed]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE changed_ids AS SELECT unnest(?::VARCHAR[]) AS article_id",
        [changed_ids],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE kept_first_seen AS SELECT article_id, first_seen_at "
        "FROM articles WHERE article_id IN (SELECT article_id FROM changed_ids)"
    )
    con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM changed_ids)")
    con.execute(
        "INSERT INTO articles BY NAME "
        "SELECT b.* REPLACE (coalesce(k.first_seen_at, b.first_seen_at) AS first_seen_at) "
        "FROM batch_articles b LEFT JOIN kept_first_seen k USING (article_id) "
        "WHERE b.article_id IN (SELECT article_id FROM changed_ids)"
    )
    con.execute(
        "INSERT INTO article_versions BY NAME "
        "SELECT article_id, version_id, raw_id, run_id, title, body_text, "
        "updated_at AS seen_at FROM batch_articles b "
        "WHERE NOT EXISTS (SELECT 1 FROM article_versions v "
        "WHERE v.article_id = b.article_id AND v.version_id = b.version_id)"
    )
    con.unregister("batch_articles")
    con.register("batch_repairs", _repair_table(changed))
    con.execute(
        "INSERT INTO article_repairs BY NAME SELECT * FROM batch_repairs b WHERE NOT EXISTS "
        "(SELECT 1 FROM article_repairs r WHERE r.article_id = b.article_id "
        "AND r.version_id = b.version_id AND r.seq = b.seq)"
    )
    con.unregister("batch_repairs")
    tagged = items if retag else changed
    if tagged:
        replaced = _delete_old_claims(con, [p.article.article_id for p in tagged], known)
        con.register("batch_claims", _claim_table(tagged, run_id, tagger_version))
        con.execute("INSERT INTO claims BY NAME SELECT * FROM batch_claims")
        con.unregister("batch_claims")
        provenance.load_claim_sets(con, [p.claim_set for p in tagged], run_id, replaced)
        stats.claims = sum(len(p.claim_set.claims) for p in tagged)
    return stats


def _delete_old_claims(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], known: Collection[str]
) -> provenance.Replaced:
    """Delete the stored claims of re-tagged articles and say what was replaced. Only articles
    stored before can have claims, so a batch of new articles never scans `claims`."""
    stored = [a for a in article_ids if a in known]
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
        stats = _load_articles(con, batch.articles, run_id, code_version, tagger_version, retag)
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

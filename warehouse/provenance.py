"""Warehouse side of claims: agents, provenance edges, entities, the verification log and
corroboration clusters (tables from migrations/0002_claims_provenance.sql).

Everything is bulk-loaded through Arrow tables (never a loop of single-row INSERTs) and keyed
on stable ids, so a rerun writes nothing new. The verification log is append-only: the tagger
appends an automatic event only when its status for a claim changed, corroboration only when a
claim becomes corroborated, analysts append verdicts; the current status is derived by the
claim_status_v view (latest analyst event, else latest automatic event).
The `claims` rows themselves are written by warehouse.load, which calls `load_claim_rows` after
them in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from transforms.corroboration import ClaimForMatching, cluster, corroborations
from transforms.entities import Gazetteer, default_gazetteer
from warehouse.rows import TaggedRows

STATUSES = ("unverified", "corroborated", "disputed", "verified", "refuted", "not_checkable")
ANALYST_STATUSES = ("verified", "refuted", "disputed", "unverified", "not_checkable")
TAGGER = "claimtrail:tagger"
CORROBORATION = "claimtrail:corroboration"

_STRINGS = pa.list_(pa.string())
_TS = pa.timestamp("us", tz="UTC")


class UnknownClaim(LookupError):
    """No claim with that id is in the warehouse."""


def _entity_table(gazetteer: Gazetteer) -> pa.Table:
    rows = list(gazetteer.entities.values())
    return pa.table(
        {
            "entity_id": [e.entity_id for e in rows],
            "name": [e.name for e in rows],
            "type": [e.type for e in rows],
            "aliases": pa.array([list(e.aliases) for e in rows], _STRINGS),
            "symbols": pa.array([list(e.symbols) for e in rows], _STRINGS),
            "parent_id": pa.array([e.parent for e in rows], pa.string()),
            "origin_class": pa.array([e.origin_class for e in rows], pa.string()),
            "note": [e.note for e in rows],
        }
    )


def load_entities(con: duckdb.DuckDBPyConnection, gazetteer: Gazetteer | None = None) -> None:
    """Upsert the gazetteer into `entities` (small: the whole file every time). Only entries that
    differ are written, so the usual call (nothing changed) leaves the table untouched."""
    con.register("batch_entities", _entity_table(gazetteer or default_gazetteer()))
    con.execute(
        "INSERT OR REPLACE INTO entities BY NAME "
        "SELECT * FROM batch_entities EXCEPT SELECT * FROM entities"
    )
    con.unregister("batch_entities")


@dataclass(frozen=True)
class Replaced:
    """What a load replaced: the articles of the batch that were stored before it, and the claim
    ids it deleted from `claims` for them. Provenance rows and verification events can only
    exist for those (claim ids hash their article id), so nothing else is looked up: loading new
    articles costs what it writes, however large the warehouse."""

    articles: frozenset[str] = frozenset()
    claims: frozenset[str] = frozenset()


def load_claim_rows(
    con: duckdb.DuckDBPyConnection, rows: TaggedRows, run_id: str, replaced: Replaced
) -> None:
    """Write agents, edges, claim entities, roots and changed automatic statuses of a batch's
    re-tagged articles (`rows`, whose claims warehouse.load has just written), all in SQL over
    the batch's Arrow tables. `replaced` says which of them were stored before."""
    now = datetime.now(UTC)
    load_entities(con)
    con.register("batch_agents", rows.agents)
    con.execute(
        "INSERT OR REPLACE INTO agents BY NAME "
        "SELECT DISTINCT ON (agent_id) * EXCLUDE (item), ? AS updated_at FROM batch_agents "
        "ORDER BY agent_id, item DESC",  # the last article's wording of an agent wins
        [now],
    )
    con.register("batch_claims", rows.claims)
    con.register(
        "replaced_ids",
        pa.table(
            {
                "id": [*replaced.claims, *replaced.articles],
                "is_claim": [True] * len(replaced.claims) + [False] * len(replaced.articles),
            }
        ),
    )
    if replaced.claims or replaced.articles:
        _forget_replaced(con)
    _insert_edges(con, rows.edges, run_id)
    con.register("batch_claim_entities", rows.claim_entities)
    con.execute(
        "INSERT INTO claim_entities SELECT DISTINCT claim_id, entity_id FROM batch_claim_entities"
    )
    _write_roots(con, rows.roots, now, bool(replaced.claims))
    _append_tagger_events(con, run_id, now, replaced.articles)
    for name in ("batch_agents", "batch_claims", "replaced_ids", "batch_claim_entities"):
        con.unregister(name)


def _forget_replaced(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the rows the batch rewrites: edges and entity links of replaced claims and articles,
    and cluster rows of claims that re-tagging removed. Cluster rows of claims that survive keep
    their cluster; verification events are never deleted (the log keeps the history of claims
    that no longer exist)."""
    con.execute("DELETE FROM provenance_edges WHERE subject_id IN (SELECT id FROM replaced_ids)")
    con.execute(
        "DELETE FROM claim_entities WHERE claim_id IN (SELECT id FROM replaced_ids WHERE is_claim)"
    )
    con.execute(
        "DELETE FROM claim_clusters WHERE claim_id IN (SELECT id FROM replaced_ids "
        "WHERE is_claim AND id NOT IN (SELECT claim_id FROM batch_claims))"
    )


def _insert_edges(con: duckdb.DuckDBPyConnection, edges: pa.Table, run_id: str) -> None:
    """Append the batch's edges; edge ids are hashed in SQL (the same `stable_id` recipe: parts
    joined by U+001F, SHA-256, first 16 hex digits), which is far cheaper than in Python."""
    con.register("batch_edges", edges.drop_columns(["item"]))
    con.execute(
        """
        INSERT INTO provenance_edges BY NAME
        SELECT DISTINCT ON (edge_id) *
        FROM (
            SELECT left(sha256(concat_ws(chr(31), subject_id, position::VARCHAR, role, agent_id)),
                        16) AS edge_id,
                   *, ? AS run_id
            FROM batch_edges
        )
        """,
        [run_id],
    )
    con.unregister("batch_edges")


def _write_roots(
    con: duckdb.DuckDBPyConnection, roots: pa.Table, now: datetime, some_replaced: bool
) -> None:
    """New claims get a cluster row of their own; claims that were already stored (re-tagged)
    keep their cluster and get the new root."""
    con.register("batch_roots_in", roots)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE batch_roots AS "
        "SELECT claim_id, root, ?::TIMESTAMPTZ AS updated_at FROM batch_roots_in",
        [now],
    )
    con.unregister("batch_roots_in")
    replaced = "claim_id IN (SELECT id FROM replaced_ids WHERE is_claim)"
    if some_replaced:
        con.execute(
            f"""
            MERGE INTO claim_clusters t
            USING (SELECT * FROM batch_roots WHERE {replaced}) s ON t.claim_id = s.claim_id
            WHEN MATCHED THEN UPDATE SET root = s.root, updated_at = s.updated_at
            WHEN NOT MATCHED THEN INSERT (claim_id, cluster_id, root, updated_at)
                VALUES (s.claim_id, s.claim_id, s.root, s.updated_at)
            """
        )
    con.execute(
        "INSERT INTO claim_clusters (claim_id, cluster_id, root, updated_at) "
        f"SELECT claim_id, claim_id, root, updated_at FROM batch_roots WHERE NOT {replaced}"
    )
    con.execute("DROP TABLE batch_roots")


def _append_tagger_events(
    con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, stored_articles: frozenset[str]
) -> None:
    """Append an automatic event for each claim of `batch_claims` whose tagger status changed
    (a new claim has none). Only claims of articles stored before can have events, so only they
    are looked up; the event id (claim, status, run) is never appended twice."""
    con.register("stored_articles", pa.table({"article_id": list(stored_articles)}))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE batch_status AS "
        "SELECT claim_id, verification_status AS status, verification_reason AS note, "
        "article_id IN (SELECT article_id FROM stored_articles) AS stored FROM batch_claims"
    )
    con.unregister("stored_articles")
    insert = """
        INSERT INTO verification_events
            (event_id, claim_id, status, evidence_url, note, recorded_by, recorded_at,
             automatic, run_id)
        SELECT b.event_id, b.claim_id, b.status, NULL, b.note, $tagger, $now, true, $run
        FROM (
            SELECT *, left(sha256(concat_ws(chr(31), claim_id, status, $run)), 16) AS event_id
            FROM batch_status
        ) b"""
    params = {"run": run_id, "tagger": TAGGER, "now": now}
    if not stored_articles:
        con.execute(insert, params)
    else:
        con.execute(
            f"""
            WITH earlier AS (
                SELECT * FROM verification_events
                WHERE claim_id IN (SELECT claim_id FROM batch_status WHERE stored)
            ), last AS (
                SELECT claim_id, arg_max(status, event_seq) AS status FROM earlier
                WHERE automatic AND recorded_by = $tagger GROUP BY claim_id
            )
            {insert}
            LEFT JOIN last ON last.claim_id = b.claim_id
            WHERE last.status IS DISTINCT FROM b.status
              AND b.event_id NOT IN (SELECT event_id FROM earlier)
            """,
            params,
        )
    con.execute("DROP TABLE batch_status")


def refresh_corroboration(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> int:
    """Recluster every claim in the warehouse and append `corroborated` events for claims an
    independent root confirms; returns how many claims became corroborated."""
    rows = con.execute(
        """
        SELECT c.claim_id, c.text, c.claim_type, c.origin_class,
               coalesce(cl.root, 'claim:' || c.claim_id), a.url
        FROM claims c
        JOIN articles a ON a.article_id = c.article_id
        LEFT JOIN claim_clusters cl ON cl.claim_id = c.claim_id
        ORDER BY c.claim_id
        """
    ).fetchall()
    items = [ClaimForMatching(*row) for row in rows]
    clusters = cluster(items)
    now = datetime.now(UTC)
    roots = {item.claim_id: item.root for item in items}
    con.register(
        "batch_clusters",
        pa.table(
            {
                "claim_id": list(clusters),
                "cluster_id": list(clusters.values()),
                "root": [roots[c] for c in clusters],
                "updated_at": pa.array([now] * len(clusters), pa.timestamp("us", tz="UTC")),
            }
        ),
    )
    con.execute(
        """
        MERGE INTO claim_clusters t USING batch_clusters s ON t.claim_id = s.claim_id
        WHEN MATCHED AND t.cluster_id <> s.cluster_id
            THEN UPDATE SET cluster_id = s.cluster_id, updated_at = s.updated_at
        WHEN NOT MATCHED THEN INSERT (claim_id, cluster_id, root, updated_at)
            VALUES (s.claim_id, s.cluster_id, s.root, s.updated_at)
        """
    )
    con.unregister("batch_clusters")
    found = corroborations(items, clusters)
    con.register(
        "batch_corroborated",
        pa.table(
            {
                "event_id": [uuid.uuid4().hex for _ in found],
                "claim_id": [f.claim_id for f in found],
                "evidence_url": pa.array([f.evidence_url for f in found], pa.string()),
                "note": [f.note for f in found],
                "recorded_at": pa.array([now] * len(found), pa.timestamp("us", tz="UTC")),
            }
        ),
    )
    before = _event_count(con)
    con.execute(
        """
        INSERT INTO verification_events
            (event_id, claim_id, status, evidence_url, note, recorded_by, recorded_at,
             automatic, run_id)
        SELECT b.event_id, b.claim_id, 'corroborated', b.evidence_url, b.note, ?,
               b.recorded_at, true, ?
        FROM batch_corroborated b
        LEFT JOIN (
            SELECT claim_id, arg_max(status, event_seq) AS status
            FROM verification_events WHERE automatic GROUP BY claim_id
        ) last ON last.claim_id = b.claim_id
        WHERE last.status IS DISTINCT FROM 'corroborated'
        """,
        [CORROBORATION, run_id],
    )
    con.unregister("batch_corroborated")
    return _event_count(con) - before


def _event_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM verification_events").fetchall()[0][0]


def record_verdict(
    con: duckdb.DuckDBPyConnection,
    claim_id: str,
    status: str,
    evidence_url: str | None,
    note: str,
    by: str,
) -> None:
    """Append an analyst verdict; it wins over every automatic status from now on."""
    if status not in ANALYST_STATUSES:
        raise ValueError(
            f"bad status {status!r}: an analyst verdict is one of {', '.join(ANALYST_STATUSES)}"
        )
    if not by.strip():
        raise ValueError("a verdict needs the analyst's name (by)")
    known = con.execute("SELECT count(*) FROM claims WHERE claim_id = ?", [claim_id]).fetchall()[0]
    if not known[0]:
        raise UnknownClaim(f"no claim with id {claim_id!r} in the warehouse")
    con.execute(
        """
        INSERT INTO verification_events
            (event_id, claim_id, status, evidence_url, note, recorded_by, recorded_at, automatic)
        VALUES (?, ?, ?, ?, ?, ?, ?, false)
        """,
        [uuid.uuid4().hex, claim_id, status, evidence_url, note, by, datetime.now(UTC)],
    )


def verification_history(con: duckdb.DuckDBPyConnection, claim_id: str) -> list[dict[str, Any]]:
    """Every event of a claim, oldest first."""
    cursor = con.execute(
        """
        SELECT status, evidence_url, note, recorded_by, recorded_at, automatic
        FROM verification_events WHERE claim_id = ? ORDER BY event_seq
        """,
        [claim_id],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


LIST_COLUMNS: Sequence[str] = (
    "claim_id",
    "source_id",
    "published_at",
    "claim_type",
    "hedged",
    "attributed_to",
    "origin_class",
    "verification_status",
    "verification_reason",
    "entities",
    "attribution_chain",
    "cluster_id",
    "url",
    "text",
)


def list_claims(
    con: duckdb.DuckDBPyConnection,
    status: str | None = None,
    entity: str | None = None,
    source: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Claims from claims_v, newest first, filtered by derived status, entity (id, name or
    alias, case-insensitive) and source id."""
    where: list[str] = []
    params: list[Any] = []
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"bad status {status!r}: one of {', '.join(STATUSES)}")
        where.append("verification_status = ?")
        params.append(status)
    if source is not None:
        where.append("source_id = ?")
        params.append(source)
    if entity is not None:
        where.append(
            """claim_id IN (
                SELECT ce.claim_id FROM claim_entities ce JOIN entities e USING (entity_id)
                WHERE e.entity_id = lower(?) OR lower(e.name) = lower(?)
                   OR list_contains(list_transform(e.aliases, lambda a: lower(a)), lower(?)))"""
        )
        params.extend([entity, entity, entity])
    sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM claims_v"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY published_at DESC NULLS LAST, claim_id LIMIT ?"
    params.append(limit)
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

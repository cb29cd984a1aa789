"""Test helpers for the claim tests: synthetic articles and an in-memory warehouse."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from transforms.claims import ClaimSet, extract_claims
from transforms.model import ArticleRecord, Link, Section, SourceProfile, StructuredText, stable_id
from warehouse.db import migrate
from warehouse.provenance import load_claim_sets


def article(
    source: SourceProfile,
    url: str,
    *,
    highlights: tuple[str, ...] = (),
    sections: tuple[tuple[str, tuple[str, ...]], ...] = (),
    disclaimers: tuple[str, ...] = (),
    links: tuple[Link, ...] = (),
    header: dict[str, str] | None = None,
) -> ArticleRecord:
    structure = StructuredText(
        highlights=highlights,
        sections=tuple(Section(h, p) for h, p in sections),
        disclaimers=disclaimers,
        links=links,
        header=header or {},
    )
    return ArticleRecord(
        article_id=stable_id(source.source_id, url),
        version_id=stable_id(url, structure.body_text),
        source_id=source.source_id,
        url=url,
        title="",
        published_at=datetime(2026, 2, 3, tzinfo=UTC),
        modified_at=None,
        language="en",
        body_text=structure.body_text,
        structure=structure,
        raw_id=stable_id("raw", url),
        extraction_method="test",
    )


def warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every migration applied."""
    con = duckdb.connect()
    migrate(con)
    return con


def store(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[ArticleRecord, SourceProfile]],
    run_id: str = "run-1",
) -> list[ClaimSet]:
    """Tag the articles and store articles, claims and the claim-provenance tables, the way
    the pipeline does (claims rows as warehouse.load writes them, then load_claim_sets)."""
    sets = [extract_claims(a, s) for a, s in items]
    now = datetime.now(UTC)
    arts = [a for a, _ in items]
    con.register(
        "t_articles",
        pa.table(
            {
                "article_id": [a.article_id for a in arts],
                "version_id": [a.version_id for a in arts],
                "source_id": [a.source_id for a in arts],
                "url": [a.url for a in arts],
                "published_at": [a.published_at for a in arts],
                "raw_id": [a.raw_id for a in arts],
                "run_id": [run_id] * len(arts),
                "code_version": ["test"] * len(arts),
                "first_seen_at": [now] * len(arts),
                "updated_at": [now] * len(arts),
            }
        ),
    )
    con.execute("INSERT OR REPLACE INTO articles BY NAME SELECT * FROM t_articles")
    claims = [(a.version_id, c) for a, cs in zip(arts, sets, strict=True) for c in cs.claims]
    con.register(
        "t_claims",
        pa.table(
            {
                "claim_id": [c.claim_id for _, c in claims],
                "article_id": [c.article_id for _, c in claims],
                "version_id": [v for v, _ in claims],
                "seq": pa.array([c.seq for _, c in claims], pa.int32()),
                "section": [c.section for _, c in claims],
                "section_role": [c.section_role for _, c in claims],
                "text": [c.text for _, c in claims],
                "claim_type": [c.claim_type for _, c in claims],
                "hedged": [c.hedged for _, c in claims],
                "hedge_cues": pa.array(
                    [list(c.hedge_cues) for _, c in claims], pa.list_(pa.string())
                ),
                "attributed_to": [c.attributed_to for _, c in claims],
                "origin_url": pa.array([c.origin_url for _, c in claims], pa.string()),
                "origin_class": [c.origin_class for _, c in claims],
                "verification_status": [c.verification_status for _, c in claims],
                "verification_reason": [c.verification_reason for _, c in claims],
                "entities": pa.array([list(c.entities) for _, c in claims], pa.list_(pa.string())),
                "run_id": [run_id] * len(claims),
                "tagger_version": ["test"] * len(claims),
            }
        ),
    )
    con.execute("INSERT OR REPLACE INTO claims BY NAME SELECT * FROM t_claims")
    con.unregister("t_articles")
    con.unregister("t_claims")
    load_claim_sets(con, sets, run_id)
    return sets

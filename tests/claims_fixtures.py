"""Test helpers for the claim tests: synthetic articles and an in-memory warehouse."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from transforms.claims import ClaimSet, extract_claims
from transforms.model import ArticleRecord, Link, Section, SourceProfile, StructuredText, stable_id
from transforms.pipeline import ProcessedArticle
from warehouse.db import migrate
from warehouse.load import Batch, load_batch
from warehouse.rows import TaggedRows


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
    """Tag the articles and store them with their claims and claim-provenance rows through the
    pipeline's own loader; storing them again re-tags them, as `reprocess` does."""
    processed = [ProcessedArticle(a, extract_claims(a, s)) for a, s in items]
    rows = TaggedRows.build(list(enumerate(processed)))
    batch = Batch(items[0][0].source_id, tagged=[rows])
    load_batch(con, batch, run_id=run_id, code_version="test", tagger_version="test", retag=True)
    return [p.claim_set for p in processed]

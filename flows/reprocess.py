"""`claimtrail reprocess`: re-run every transform from stored raw documents, with no network.

Every response was archived before parsing, and every kind's `parse()` is pure, so a new parser,
repair rule or claim tagger can be applied to everything ever fetched: each stored document is
parsed again, its articles repaired, structured and tagged, and loaded with `retag=True` (claims
replaced even when the text is unchanged). Articles keep their ids; changed text becomes a new
version. Follow-up requests a parse proposes are ignored: nothing is fetched.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from rich.console import Console

from extractors.base import Window
from extractors.registry import SourceConfig, load_sources, select_sources
from flows import runlock, transform_pool
from flows.crawl import (
    BATCH_ARTICLES,
    BatchPipeline,
    CrawlContext,
    SourceResult,
    read_document,
    summarise,
)
from flows.version import code_version
from warehouse import db
from warehouse.load import Batch
from warehouse.raw import reprocessable_ids, stored_documents
from warehouse.runs import RunSummary, finish_run, new_run_id, register_sources, start_run

DOCUMENTS_PER_BATCH = 100
"""Raw documents read from the warehouse at a time (their bodies are held in memory meanwhile)."""


WARM_UP_DOCUMENTS = 10
"""Reprocessing this many documents or more starts the worker processes up front."""


def reprocess_source(
    ctx: CrawlContext, source: SourceConfig, since: datetime | None
) -> SourceResult:
    """Re-parse and reload every stored document of one source.

    Like a crawl, each batch is transformed on the worker processes while the one before it
    loads and the next documents are read; a failure or Ctrl-C still loads what was read.
    """
    result = SourceResult(source.id)
    with ctx.connection() as con:
        raw_ids = reprocessable_ids(con, source.id, since)
    if len(raw_ids) >= WARM_UP_DOCUMENTS:
        transform_pool.warm_up()
    pipeline = BatchPipeline(ctx, retag=True)
    batch = Batch(source.id)
    try:
        for start in range(0, len(raw_ids), DOCUMENTS_PER_BATCH):
            with ctx.connection() as con:
                documents = stored_documents(con, raw_ids[start : start + DOCUMENTS_PER_BATCH])
            for raw in documents:
                result.stats.add(pipeline.poll())
                read_document(source, raw, batch, Window(), ctx.timer)
                pipeline.feed(batch)
                if batch.article_count >= BATCH_ARTICLES:  # an API page alone holds 100
                    result.stats.add(pipeline.push(batch))
                    batch = Batch(source.id)
        result.stats.add(pipeline.push(batch))
        result.stats.add(pipeline.drain())
    except BaseException:
        with contextlib.suppress(Exception):
            result.stats.add(pipeline.drain())
        raise
    finally:
        ctx.writes.release()  # hand the warehouse back to readers now, not after the hold time
    return result


def run_reprocess(
    config: Path,
    db_path: Path,
    source_ids: list[str] | None = None,
    since: datetime | None = None,
    console: Console | None = None,
) -> RunSummary:
    """Reprocess the selected sources (documents fetched since `since`) as one recorded run."""
    sources = select_sources(load_sources(config), source_ids)
    summary = RunSummary(new_run_id("reprocess"), "reprocess", [s.id for s in sources])
    version = code_version()
    with runlock.hold(db_path):  # one writing run per warehouse (flows/runlock.py)
        with db.writer(db_path) as con:
            register_sources(con, sources)
            start_run(con, summary, version, {"since": since.isoformat() if since else None})
        ctx = CrawlContext(db_path, None, summary.run_id, version)
        try:
            results = []
            for source in sources:
                if console is not None:
                    console.print(f"reprocessing {source.id}…")
                results.append(reprocess_source(ctx, source, since))
            summarise(summary, results)
            summary.status = "succeeded"
        except BaseException as exc:
            summary.status, summary.error = "failed", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            with db.writer(db_path) as con:
                finish_run(con, summary)
    return summary

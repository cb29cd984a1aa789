"""Crawling one source: discover → fetch → archive → parse → transform → load, in batches.

Kept free of Prefect so the same engine serves the daily flow, backfills, tests and benchmarks;
the Prefect layer (flows/daily.py) only wraps it in coarse tasks.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from extractors.base import Window, extractor_for
from extractors.http import Fetcher
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, Problem, RawDocument
from transforms.pipeline import StageTimer, process_article
from warehouse import db
from warehouse.load import Batch, LoadStats, load_batch
from warehouse.runs import daily_cursor, known_article_urls

BATCH_ARTICLES = 250
"""Articles per load transaction: large enough for bulk loads, small enough to lose little."""

_write_lock = threading.Lock()
"""Sources crawled in parallel threads take turns at the single DuckDB writer."""


@dataclass
class CrawlContext:
    """What every source crawl of one run shares."""

    db_path: Path
    fetcher: Fetcher
    run_id: str
    code_version: str
    timer: StageTimer = field(default_factory=StageTimer)


@dataclass
class SourceResult:
    """What crawling one source did."""

    source_id: str
    requests: int = 0
    stats: LoadStats = field(default_factory=LoadStats)


def _parse(source: SourceConfig, raw: RawDocument) -> ParseResult:
    """Run the kind's parser; a parser crash becomes a quarantine row, not a failed run."""
    try:
        return extractor_for(source.kind).parse(source, raw)
    except Exception as exc:
        return ParseResult(
            problems=(
                Problem("parse", raw.final_url, "parse_error", f"{type(exc).__name__}: {exc}"),
            )
        )


def read_document(
    source: SourceConfig, raw: RawDocument, batch: Batch, window: Window, timer: StageTimer
) -> ParseResult:
    """Parse one archived document and add its articles and problems to `batch`."""
    if raw.error:
        batch.problems.append(
            Problem("fetch", raw.request.url, raw.error, raw.error_detail or "", raw.raw_id)
        )
    with timer.stage("parse"):
        result = _parse(source, raw)
    batch.problems.extend(result.problems)
    for parsed in result.articles:
        if window.is_backfill and not window.contains(parsed.published_at):
            continue
        try:
            batch.articles.append(process_article(parsed, source.profile, timer))
        except Exception as exc:
            batch.problems.append(
                Problem(
                    "transform",
                    parsed.url,
                    "transform_error",
                    f"{type(exc).__name__}: {exc}",
                    raw.raw_id,
                )
            )
    return result


def flush(ctx: CrawlContext, batch: Batch, *, retag: bool = False) -> LoadStats:
    """Load a batch in one transaction on a short-lived write connection."""
    if not len(batch) and batch.cursor is None:
        return LoadStats()
    with ctx.timer.stage("load"), _write_lock, db.writer(ctx.db_path) as con:
        return load_batch(
            con,
            batch,
            run_id=ctx.run_id,
            code_version=ctx.code_version,
            tagger_version=ctx.code_version,
            retag=retag,
        )


def crawl_source(ctx: CrawlContext, source: SourceConfig, window: Window) -> SourceResult:
    """Follow a source's requests until none are left, loading as it goes.

    Daily runs start from the stored cursor and move it with each loaded batch; backfills take
    a date range and leave the cursor alone. Article pages whose URL is already stored are not
    fetched again.
    """
    extractor = extractor_for(source.kind)
    with _write_lock, db.writer(ctx.db_path) as con:
        known = known_article_urls(con, source.id)
        if not window.is_backfill:
            window = Window(cursor=daily_cursor(con, source.id))
    result = SourceResult(source.id)
    frontier: deque[FetchRequest] = deque(extractor.start(source, window))
    requested: set[str] = set()
    batch = Batch(source.id)
    while frontier:
        request = frontier.popleft()
        if request.url in requested:
            continue
        requested.add(request.url)
        with ctx.timer.stage("fetch"):
            raw = ctx.fetcher.fetch(source, request)
        batch.raw_documents.append(raw)
        parsed = read_document(source, raw, batch, window, ctx.timer)
        for follow in parsed.follow:
            if not (follow.role == "article" and follow.url in known):
                frontier.append(follow)
        if parsed.cursor and not window.is_backfill:
            batch.cursor = max(batch.cursor or "", parsed.cursor)
        if len(batch.articles) >= BATCH_ARTICLES or not frontier:
            result.stats.add(flush(ctx, batch))
            batch = Batch(source.id)
    result.requests = len(requested)
    return result

"""Crawling one source: discover → fetch → archive → parse → transform → load, in batches.

Kept free of Prefect so the same engine serves the daily flow, backfills, tests and benchmarks;
the Prefect layer (flows/daily.py) only wraps it in coarse tasks.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from extractors.base import Window, extractor_for
from extractors.dates import implausible
from extractors.http import Fetcher
from extractors.registry import SourceConfig
from flows import transform_pool
from flows.transform_pool import PendingTransforms, Transformed
from transforms.claims import TAGGER_VERSION
from transforms.model import FetchRequest, ParsedArticle, ParseResult, Problem, RawDocument
from transforms.pipeline import StageTimer
from warehouse import db
from warehouse.fetch_state import (
    Checkpoint,
    StateWrite,
    Validators,
    backfill_id,
    due_for_recheck,
    load_checkpoint,
    load_validators,
    record_fetch,
    save_checkpoint,
)
from warehouse.load import Batch, LoadStats, load_batch
from warehouse.runs import RunSummary, daily_cursor, known_article_urls

BATCH_ARTICLES = 250
"""Articles per load transaction: large enough for bulk loads, small enough to lose little."""

INDEX_ROLES = frozenset({"feed", "sitemap", "listing", "api_page", "cdx"})
"""Roles of index documents (lists of articles): asked conditionally, checkpointed in backfills."""

_write_lock = threading.Lock()
"""Sources crawled in parallel threads take turns at the single DuckDB writer."""


class CrawlStopped(RuntimeError):
    """A crawl was asked to stop; what it loaded is committed, a backfill resumes from there."""


@dataclass
class CrawlContext:
    """What every source crawl of one run shares."""

    db_path: Path
    fetcher: Fetcher | None
    """None for runs that never fetch (reprocess)."""
    run_id: str
    code_version: str
    timer: StageTimer = field(default_factory=StageTimer)
    stop: threading.Event = field(default_factory=threading.Event)
    """Set (e.g. on Ctrl-C) to stop every source at its next document; loaded work is kept."""
    writes: db.WriteSession = field(init=False)
    """The write connection batches load through (kept across batches: a checkpoint per batch
    would cost the size of the warehouse each time)."""

    def __post_init__(self) -> None:
        self.writes = db.WriteSession(self.db_path)

    @contextlib.contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The run's write connection, taken in turn with the other sources' threads."""
        with _write_lock, self.writes.connection() as con:
            yield con


@dataclass
class SourceResult:
    """What crawling one source did."""

    source_id: str
    requests: int = 0
    unchanged_documents: int = 0
    """Index pages (and rechecked article pages) that answered 304 or with the same body as
    last time (not parsed again)."""
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


def _with_plausible_dates(parsed: ParsedArticle, raw: RawDocument, batch: Batch) -> ParsedArticle:
    """Keep the article but not an impossible date (year 2999, year 1): the date is dropped and
    the reason quarantined, so analysts never sort by a template default."""
    reason = implausible(parsed.published_at, raw.fetched_at)
    if reason is None:
        return parsed
    batch.problems.append(Problem("parse", parsed.url, "implausible_date", reason, raw.raw_id))
    return replace(parsed, published_at=None)


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
    for found in result.articles:
        parsed = _with_plausible_dates(found, raw, batch)
        if window.is_backfill and not window.contains(parsed.published_at):
            continue
        batch.pending.append((parsed, source.profile))
    return result


def _collect(batch: Batch, transformed: Transformed, timer: StageTimer) -> None:
    """Put a batch's transformed rows (and the problems that replaced failed articles) in it."""
    batch.tagged.append(transformed.rows)
    batch.problems.extend(transformed.problems)
    for stage, seconds in transformed.seconds.items():
        timer.seconds[stage] += seconds


def _load(ctx: CrawlContext, batch: Batch, retag: bool) -> LoadStats:
    if not len(batch) and batch.cursor is None and not batch.state_writes:
        return LoadStats()
    with ctx.timer.stage("load"), ctx.connection() as con:
        return load_batch(
            con,
            batch,
            run_id=ctx.run_id,
            code_version=ctx.code_version,
            tagger_version=f"{TAGGER_VERSION} ({ctx.code_version})",
            retag=retag,
        )


class BatchPipeline:
    """Loads batches in order while the next one is transformed on the worker processes.

    `feed` starts transforming a batch's articles as they are read, `push` sends the rest of it
    and loads the batch before it, `drain` loads the last.
    Each batch is still one transaction, loaded in the order it was read, so cursors and
    checkpoints commit with exactly the work they cover.
    """

    def __init__(self, ctx: CrawlContext, *, retag: bool = False) -> None:
        self.ctx, self.retag = ctx, retag
        self._in_flight: tuple[Batch, PendingTransforms] | None = None
        self._reading = PendingTransforms()
        """Transforms of the batch being read, started as its articles arrive."""

    def feed(self, batch: Batch) -> None:
        """Start transforming the articles read into `batch` so far (whole chunks)."""
        self._reading.offer(batch.pending)

    def push(self, batch: Batch) -> LoadStats:
        """The batch is complete: send the rest of it, and load the batch before it."""
        started, self._reading = self._reading, PendingTransforms()
        started.offer(batch.pending, final=True)
        batch.pending = []
        stats = self.drain()
        self._in_flight = (batch, started)
        return stats

    def poll(self) -> LoadStats:
        """Load the batch in flight if its transforms are done (commit as early as possible,
        so a crash loses as little as it can)."""
        if self._in_flight is not None and self._in_flight[1].done():
            return self.drain()
        return LoadStats()

    def drain(self) -> LoadStats:
        if self._in_flight is None:
            return LoadStats()
        batch, pending = self._in_flight
        self._in_flight = None
        _collect(batch, pending.result(), self.ctx.timer)
        return _load(self.ctx, batch, self.retag)


@dataclass
class _Plan:
    """Where a source's crawl starts: the first requests, what is done, what is known."""

    window: Window
    frontier: deque[FetchRequest]
    requested: set[str]
    known: set[str]
    """Article URLs stored and not due for a recheck: never fetched again."""
    validators: dict[str, Validators]
    checkpoint_id: str | None
    pages: int = 0
    finished: bool = False
    due: set[str] = field(default_factory=set)
    """Stored article URLs due for a recheck (`recheck_days`): asked conditionally, like
    indexes, and skipped unparsed when unchanged."""

    def watched(self, request: FetchRequest) -> bool:
        """Whether a daily run keeps validators for this request (indexes, rechecked pages)."""
        return not self.window.is_backfill and (
            request.role in INDEX_ROLES or request.url in self.due
        )


def _plan(ctx: CrawlContext, source: SourceConfig, window: Window) -> _Plan:
    """Daily runs resume from the cursor; backfills from their checkpoint, if any."""
    extractor = extractor_for(source.kind)
    with ctx.connection() as con:
        known = known_article_urls(con, source.id)
        if not window.is_backfill:
            window = Window(cursor=daily_cursor(con, source.id))
            due = set()
            if source.recheck_days is not None:
                due = due_for_recheck(con, source.id, source.recheck_days, datetime.now(UTC))
            known -= due
            return _Plan(
                window,
                deque(_not_stored(extractor.start(source, window), known)),
                set(),
                known,
                load_validators(con, source.id),
                None,
                due=due,
            )
        checkpoint_id = backfill_id(source.id, window.since, window.until)
        checkpoint = load_checkpoint(con, checkpoint_id)
    if checkpoint is None:
        first = _not_stored(extractor.start(source, window), known)
        return _Plan(window, deque(first), set(), known, {}, checkpoint_id)
    return _Plan(
        window,
        deque(checkpoint.frontier),
        set(checkpoint.requested),
        known,
        {},
        checkpoint_id,
        checkpoint.pages,
        checkpoint.done,
    )


def _not_stored(requests: Iterable[FetchRequest], known: set[str]) -> list[FetchRequest]:
    """Drop requests for article pages already stored (by canonical URL), whether an index
    proposed them or the source lists them itself (`pages`): an article is fetched once, and
    later changes come through the indexes that carry modification dates, or `reprocess`."""
    return [
        r
        for r in requests
        if not (r.role == "article" and r.meta.get("original_url", r.url) in known)
    ]


def _unchanged(plan: _Plan, raw: RawDocument) -> bool:
    """A daily run's index (or rechecked page) that the server or its hash says has not
    changed since."""
    if not plan.watched(raw.request) or raw.error:
        return False
    if raw.status == 304:
        return True
    stored = plan.validators.get(raw.request.url)
    return stored is not None and stored.body_sha256 == raw.sha256


def crawl_source(
    ctx: CrawlContext,
    source: SourceConfig,
    window: Window,
    progress: ProgressHook | None = None,
) -> SourceResult:
    """Follow a source's requests until none are left, loading as it goes.

    Daily runs start from the stored cursor and move it with each loaded batch, ask index pages
    conditionally and skip parsing an index whose body hash is unchanged. Backfills take a
    half-open date range, leave the cursor alone, and save a checkpoint with every index page's
    batch, so an interrupted range resumes where it stopped. Article pages whose URL is already
    stored are not fetched again.
    """
    fetcher = ctx.fetcher
    if fetcher is None:
        raise ValueError("crawl_source needs a fetcher (CrawlContext.fetcher is None)")
    plan = _plan(ctx, source, window)
    result = SourceResult(source.id)
    if plan.finished:
        return result
    if plan.window.is_backfill or not plan.known:  # a backfill, or the source's first run
        transform_pool.warm_up()
    requests_before = fetcher.requests[source.id]
    frontier, requested = plan.frontier, plan.requested
    batch = Batch(source.id)
    pipeline = BatchPipeline(ctx)
    daily = not plan.window.is_backfill
    deferred = _Deferred()
    finished = False
    try:
        while frontier:
            result.stats.add(pipeline.poll())
            if ctx.stop.is_set():
                raise CrawlStopped(f"{source.id}: stopped after {plan.pages} documents")
            request = frontier.popleft()
            if request.url in requested:
                continue
            requested.add(request.url)
            stored = plan.validators.get(request.url)
            conditional = stored.conditional_headers() if stored and plan.watched(request) else None
            with ctx.timer.stage("fetch"):
                raw = fetcher.fetch(source, request, conditional)
            batch.raw_documents.extend(fetcher.take_side_documents(source.id))
            batch.raw_documents.append(raw)
            plan.pages += 1
            if plan.watched(request) and raw.status in (200, 304) and not raw.error:
                deferred.writes.append(record_fetch(raw))
            if raw.error and request.role == "article" and request.url not in plan.due:
                # A new article failed: the next run must see its index again. (A recheck of
                # a stored page that now fails holds nothing back: the article is kept.)
                deferred.failed = True
            if _unchanged(plan, raw):
                result.unchanged_documents += 1
                parsed = ParseResult()
            else:
                parsed = read_document(source, raw, batch, plan.window, ctx.timer)
                pipeline.feed(batch)
            frontier.extend(_not_stored(parsed.follow, plan.known))
            if parsed.cursor and daily:
                if any(f.role == "article" for f in parsed.follow):
                    deferred.cursor = max(deferred.cursor or "", parsed.cursor)
                else:  # the index held the articles themselves: they are in this batch
                    batch.cursor = max(batch.cursor or "", parsed.cursor)
            page_done = plan.checkpoint_id is not None and request.role in INDEX_ROLES
            if page_done or batch.article_count >= BATCH_ARTICLES or not frontier:
                if plan.checkpoint_id is not None:
                    batch.state_writes.append(_checkpoint(ctx, source, plan))
                if not frontier:
                    deferred.release_into(batch)
                    finished = True
                result.stats.add(pipeline.push(batch))
                batch = Batch(source.id)
            if progress is not None:
                progress(source.id, plan.pages, len(frontier), result.stats.new)
        if not finished:  # the frontier ended on a request already made: close the run the same way
            if plan.checkpoint_id is not None:
                batch.state_writes.append(_checkpoint(ctx, source, plan))
            deferred.release_into(batch)
            result.stats.add(pipeline.push(batch))
    except BaseException:
        # Ctrl-C, a stop request or a failure: what was read is still loaded (it has its
        # checkpoint), unless loading is what failed; the cause is raised either way.
        with contextlib.suppress(Exception):
            result.stats.add(pipeline.drain())
        ctx.writes.release()  # readers need not wait for the session's hold time
        raise
    result.stats.add(pipeline.drain())
    with ctx.timer.stage("load"):  # hand the file back to readers now: closing checkpoints
        ctx.writes.release()
    result.requests = fetcher.requests[source.id] - requests_before
    return result


@dataclass
class _Deferred:
    """Daily-run state that may only be stored once every article it points to is loaded.

    An index's validators, or a cursor read from an index whose articles are fetched
    separately, would otherwise let the next run skip an article whose fetch failed: it is
    stored with the run's last batch, and not at all if any article fetch failed (the next run
    reads the index again; articles already stored are not fetched twice).
    """

    writes: list[StateWrite] = field(default_factory=list)
    cursor: str | None = None
    failed: bool = False

    def release_into(self, batch: Batch) -> None:
        """Hand the deferred state to the run's last batch (unless an article failed)."""
        if not self.failed:
            batch.state_writes.extend(self.writes)
            if self.cursor:
                batch.cursor = max(batch.cursor or "", self.cursor)
        self.writes, self.cursor = [], None


ProgressHook = Callable[[str, int, int, int], None]
"""Called after each document: (source id, documents done, requests pending, new articles)."""


def _checkpoint(ctx: CrawlContext, source: SourceConfig, plan: _Plan) -> StateWrite:
    assert plan.checkpoint_id is not None
    return save_checkpoint(
        Checkpoint(
            backfill_id=plan.checkpoint_id,
            source_id=source.id,
            since=plan.window.since,
            until=plan.window.until,
            frontier=tuple(plan.frontier),
            requested=frozenset(plan.requested),
            pages=plan.pages,
            done=not plan.frontier,
        ),
        ctx.run_id,
    )


def summarise(summary: RunSummary, results: list[SourceResult]) -> RunSummary:
    """Add what each source did to the run's summary."""
    for result in results:
        summary.requests += result.requests
        summary.fetched += result.stats.raw_new
        summary.new += result.stats.new
        summary.updated += result.stats.updated
        summary.unchanged += result.stats.unchanged
        summary.quarantined += result.stats.quarantined
        summary.claims += result.stats.claims
    return summary

"""`claimtrail backfill`: fetch a half-open date range [since, until) for some or all sources.

A backfill never moves the daily cursor, so it can run beside the daily schedule and be rerun at
will. Each source's progress is checkpointed in the warehouse with every index page's batch
(flows/crawl.py), so after a crash, a `kill -9` or Ctrl-C the same command resumes where it
stopped, with no duplicates (rows are keyed on stable ids) and no gaps (the checkpoint holds the
requests still to make). Sources run concurrently in threads; the shared client paces each
host. Prefect has no backfill command and a flow run adds ~10 s of start-up, so this is plain
Python with a rich progress bar.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from extractors.base import Window
from extractors.http import Fetcher, build_transport
from extractors.registry import SourceConfig, load_sources, select_sources
from flows import runlock
from flows.crawl import CrawlContext, ProgressHook, SourceResult, crawl_source, summarise
from flows.version import code_version
from warehouse import db
from warehouse.fetch_state import recent_robots
from warehouse.runs import RunSummary, finish_run, new_run_id, register_sources, start_run

MAX_PARALLEL_SOURCES = 8


@dataclass(frozen=True)
class BackfillRequest:
    """What to backfill."""

    config: Path
    db_path: Path
    since: datetime | None
    until: datetime | None
    source_ids: list[str] | None = None
    replay: list[Path] | None = None


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents · {task.fields[new]} new articles"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=console is None,
    )


def run_backfill(
    request: BackfillRequest,
    *,
    console: Console | None = None,
    fetcher: Fetcher | None = None,
) -> RunSummary:
    """Backfill the range for the selected sources and record it as a run.

    `console` shows a progress bar (None: quiet). `fetcher` replaces the network client (tests).
    """
    sources = select_sources(load_sources(request.config), request.source_ids)
    summary = RunSummary(new_run_id("backfill"), "backfill", [s.id for s in sources])
    version = code_version()
    params = {
        "config": str(request.config),
        "since": request.since.isoformat() if request.since else None,
        "until": request.until.isoformat() if request.until else None,
        "replay": [str(p) for p in request.replay or []],
    }
    with runlock.hold(request.db_path):  # one writing run per warehouse (flows/runlock.py)
        with db.writer(request.db_path) as con:
            register_sources(con, sources)
            start_run(con, summary, version, params)
            robots = recent_robots(con)
        return _backfill(request, sources, summary, version, fetcher, robots, console)


def _backfill(
    request: BackfillRequest,
    sources: list[SourceConfig],
    summary: RunSummary,
    version: str,
    fetcher: Fetcher | None,
    robots: dict[str, tuple[int, bytes]],
    console: Console | None,
) -> RunSummary:
    """The backfill run itself, under the run lock: crawl, summarise, record the outcome."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(
        build_transport(request.replay), summary.run_id, known_robots=robots
    )
    ctx = CrawlContext(request.db_path, fetcher, summary.run_id, version)
    window = Window(since=request.since, until=request.until)
    try:
        with _progress(console) as progress:
            tasks = {s.id: progress.add_task(s.id, total=None, new=0) for s in sources}

            def advance(source_id: str, done: int, pending: int, new: int) -> None:
                progress.update(tasks[source_id], completed=done, total=done + pending, new=new)

            results = _crawl_all(ctx, sources, window, advance)
            for task in tasks.values():
                progress.update(task, total=progress.tasks[task].completed or 1)
        summarise(summary, results)
        summary.status = "succeeded"
    except BaseException as exc:
        ctx.stop.set()
        summary.status = "failed"
        summary.error = f"{type(exc).__name__}: {exc} (rerun the same command to resume)"
        raise
    finally:
        if own_fetcher:
            fetcher.close()
        with db.writer(request.db_path) as con:
            finish_run(con, summary)
    return summary


def _crawl_all(
    ctx: CrawlContext,
    sources: list[SourceConfig],
    window: Window,
    advance: ProgressHook,
) -> list[SourceResult]:
    """Crawl every source in parallel; on the first failure (or Ctrl-C) stop the others."""
    workers = max(1, min(len(sources), MAX_PARALLEL_SOURCES))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backfill") as pool:
        futures = [pool.submit(crawl_source, ctx, s, window, advance) for s in sources]
        try:
            return [future.result() for future in futures]
        except BaseException:
            ctx.stop.set()
            raise

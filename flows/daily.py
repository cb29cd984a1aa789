"""The Prefect flows: the daily run (behind `claimtrail run`, `demo` and the schedule), the
canary (scheduled by `claimtrail serve` and prefect.yaml) and one backfill partition (for work
pools; `claimtrail backfill` itself needs no Prefect).

Tasks are coarse (one per source) because each Prefect task run costs milliseconds in the flow
and tens of milliseconds of server CPU: per-article tasks would dominate a backfill. Sources
are crawled concurrently; their loads take turns at the single DuckDB writer.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from flows import prefect_env

prefect_env.configure()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from extractors.base import Window  # noqa: E402
from extractors.http import Fetcher, build_transport  # noqa: E402
from extractors.registry import SourceConfig, load_sources, select_sources  # noqa: E402
from flows import runlock  # noqa: E402
from flows.backfill import BackfillRequest, run_backfill  # noqa: E402
from flows.canary import CanaryResult, run_canary  # noqa: E402
from flows.crawl import CrawlContext, SourceResult, crawl_source, summarise  # noqa: E402
from flows.version import code_version  # noqa: E402
from warehouse import db  # noqa: E402
from warehouse.fetch_state import recent_robots  # noqa: E402
from warehouse.provenance import refresh_corroboration  # noqa: E402
from warehouse.runs import (  # noqa: E402
    RunSummary,
    finish_run,
    new_run_id,
    register_sources,
    start_run,
)


@task(name="crawl-source", cache_policy=NONE, retries=0)
async def crawl_source_task(
    ctx: CrawlContext, source: SourceConfig, window: Window
) -> SourceResult:
    """Crawl one source in a worker thread (the engine is synchronous I/O)."""
    return await asyncio.to_thread(crawl_source, ctx, source, window)


async def run_sources(
    *,
    config: Path,
    db_path: Path,
    source_ids: list[str] | None,
    replay: list[Path] | None,
    record: Path | None,
    run_kind: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> RunSummary:
    """Crawl the selected sources once and record the run (the body of every run flow)."""
    sources = select_sources(load_sources(config), source_ids)
    summary = RunSummary(new_run_id(run_kind), run_kind, [s.id for s in sources])
    version = code_version()
    params = {
        "config": str(config),
        "replay": [str(p) for p in replay or []],
        "record": str(record) if record else None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    with runlock.hold(db_path):  # one writing run per warehouse (flows/runlock.py)
        with db.writer(db_path) as con:
            register_sources(con, sources)
            start_run(con, summary, version, params)
            robots = recent_robots(con)
        fetcher = Fetcher(build_transport(replay, record), summary.run_id, known_robots=robots)
        ctx = CrawlContext(db_path, fetcher, summary.run_id, version)
        window = Window(since=since, until=until)
        try:
            results = await asyncio.gather(*(crawl_source_task(ctx, s, window) for s in sources))
            summarise(summary, list(results))
            summary.status = "succeeded"
        except BaseException as exc:
            summary.status, summary.error = "failed", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            fetcher.close()
            with db.writer(db_path) as con:
                # Reclustering reads every claim: only worth it when this run changed some.
                if summary.status == "succeeded" and (summary.new or summary.updated):
                    refresh_corroboration(con, summary.run_id)
                finish_run(con, summary)
    return summary


@flow(name="claimtrail-daily", log_prints=False, validate_parameters=False)
async def daily_flow(
    config: Path,
    db_path: Path,
    source_ids: list[str] | None = None,
    replay: list[Path] | None = None,
    record: Path | None = None,
    run_kind: str = "daily",
) -> RunSummary:
    """Daily run: every enabled source (or those named), from each source's cursor."""
    return await run_sources(
        config=config,
        db_path=db_path,
        source_ids=source_ids,
        replay=replay,
        record=record,
        run_kind=run_kind,
    )


@flow(name="claimtrail-canary", log_prints=False, validate_parameters=False)
def canary_flow(config: Path, source_ids: list[str] | None = None) -> list[CanaryResult]:
    """One live item per source; fails (so the schedule shows red) when a source is broken."""
    sources = select_sources(load_sources(config), source_ids)
    fetcher = Fetcher(build_transport(), new_run_id("canary"))
    try:
        results = run_canary(fetcher, sources)
    finally:
        fetcher.close()
    broken = [r for r in results if r.verdict not in ("ok", "fallback")]
    if broken:
        named = ", ".join(f"{r.source_id} ({r.verdict}: {r.detail})" for r in broken)
        raise RuntimeError(f"broken sources: {named}")
    return results


@flow(name="claimtrail-backfill", log_prints=False, validate_parameters=False)
def backfill_flow(
    config: Path,
    db_path: Path,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    source_ids: list[str] | None = None,
) -> RunSummary:
    """One backfill partition (sources x [since, until)) for work pools: see docs/scaling.md.

    Deployment parameters arrive as JSON, so dates may be ISO strings; naive dates are UTC.
    Rerunning a partition resumes it from its checkpoint.
    """
    return run_backfill(
        BackfillRequest(
            config=Path(config),
            db_path=Path(db_path),
            since=_utc_datetime(since),
            until=_utc_datetime(until),
            source_ids=source_ids,
        )
    )


def _utc_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)

"""The measured workloads of `benchmarks.run`, each run in its own process.

Each workload prints one JSON object on its last line. Running them as child processes gives
every measurement a fresh interpreter, so the peak RSS (`ru_maxrss`, a high-water mark) belongs
to that workload alone, and a size's figures do not inherit caches from the previous size.

Usage (normally called by `benchmarks.run`):
    python -m benchmarks.pipeline_bench crawl ARCHIVE_DIR DB      (backfill, or daily on a full DB)
    python -m benchmarks.pipeline_bench reprocess ARCHIVE_DIR DB
    python -m benchmarks.pipeline_bench prefect-tasks ARCHIVE_DIR SAMPLE
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from datetime import UTC
from pathlib import Path

from extractors.base import Window, extractor_for
from extractors.http import Fetcher, build_transport
from extractors.registry import SourceConfig, load_sources
from flows.crawl import CrawlContext, crawl_source
from transforms.model import FetchRequest, ParsedArticle, RawDocument
from transforms.pipeline import ProcessedArticle, StageTimer, process_article
from warehouse import db
from warehouse.load import Batch, LoadStats, load_batch
from warehouse.runs import register_sources

REPROCESS_BATCH = 250
"""Articles per load transaction when re-reading stored documents (as the crawl engine)."""
RAW_CHUNK = 20
"""Raw documents read from the warehouse at a time (an API page holds 100 posts)."""


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warehouse_mib(path: Path) -> float:
    files = [path, path.with_name(path.name + ".wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


def _counts(path: Path) -> dict[str, int]:
    with db.connect(path, read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM claims), "
            "(SELECT count(*) FROM quarantine), (SELECT count(*) FROM raw_documents)"
        ).fetchall()[0]
    return dict(zip(("articles", "claims", "quarantined", "raw_documents"), row, strict=True))


def _requests(fetcher: Fetcher, results: dict[str, int]) -> dict[str, int]:
    """Requests per source: the fetcher's own count when it keeps one (robots.txt included)."""
    counted = getattr(fetcher, "requests", None)
    return dict(counted) if isinstance(counted, Counter) else results


def crawl(archive: Path, db_path: Path, run_id: str) -> dict[str, object]:
    """Every source of a generated archive through the crawl engine (no Prefect), timed."""
    sources = load_sources(archive / "sources.toml")
    with db.writer(db_path) as con:
        register_sources(con, sources)
    start = time.perf_counter()
    fetcher = Fetcher(build_transport([archive / "archive.warc.gz"]), run_id)
    ctx = CrawlContext(db_path, fetcher, run_id, "bench")
    ctx.timer.seconds["replay-open"] += time.perf_counter() - start
    stats = LoadStats()
    per_source: dict[str, int] = {}
    for source in sources:
        result = crawl_source(ctx, source, Window())
        stats.add(result.stats)
        per_source[source.id] = result.requests
    fetcher.close()
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "stages": dict(ctx.timer.seconds),
        "new": stats.new,
        "unchanged": stats.unchanged,
        "loaded_claims": stats.claims,
        "requests": _requests(fetcher, per_source),
        **_counts(db_path),
        "peak_rss_mib": peak_rss_mib(),
        "warehouse_mib": warehouse_mib(db_path),
    }


def _raw_documents(con, source_id: str, raw_ids: list[str]) -> list[RawDocument]:
    rows = con.execute(
        "SELECT raw_id, run_id, url, final_url, role, request_meta, status, headers, "
        "fetched_at, sha256, body, error, error_detail FROM raw_documents "
        "WHERE raw_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY fetched_at, raw_id",
        [raw_ids],
    ).fetchall()
    return [
        RawDocument(
            raw_id=r[0],
            source_id=source_id,
            run_id=r[1],
            request=FetchRequest(source_id, r[2], r[4], json.loads(r[5] or "{}")),
            final_url=r[3],
            status=r[6],
            headers=json.loads(r[7] or "{}"),
            fetched_at=r[8].astimezone(UTC),
            body=r[10],
            sha256=r[9],
            error=r[11],
            error_detail=r[12],
        )
        for r in rows
    ]


def reparse(
    source: SourceConfig, raw: RawDocument, timer: StageTimer
) -> tuple[list[ProcessedArticle], int]:
    """One stored document through the kind's pure parser and the transforms."""
    with timer.stage("parse"):
        parsed: tuple[ParsedArticle, ...] = extractor_for(source.kind).parse(source, raw).articles
    out = []
    failures = 0
    for article in parsed:
        try:
            out.append(process_article(article, source.profile, timer))
        except Exception:
            failures += 1
    return out, failures


def reprocess(archive: Path, db_path: Path, run_id: str) -> dict[str, object]:
    """Re-read every stored raw document with no network and re-tag all claims.

    Measured here rather than through flows/reprocess.py, which did not exist when this was
    written: parse (pure) → process_article → load_batch(retag=True), the same calls.
    """
    sources = {s.id: s for s in load_sources(archive / "sources.toml")}
    timer = StageTimer()
    stats = LoadStats()
    failures = 0
    start = time.perf_counter()
    with db.writer(db_path) as con:
        ids = con.execute(
            "SELECT source_id, raw_id FROM raw_documents WHERE error IS NULL "
            "ORDER BY source_id, fetched_at, raw_id"
        ).fetchall()
        by_source: dict[str, list[str]] = {}
        for source_id, raw_id in ids:
            by_source.setdefault(source_id, []).append(raw_id)
        for source_id, raw_ids in by_source.items():
            source = sources[source_id]
            pending: list[ProcessedArticle] = []
            for i in range(0, len(raw_ids), RAW_CHUNK):
                with timer.stage("read-raw"):
                    raws = _raw_documents(con, source_id, raw_ids[i : i + RAW_CHUNK])
                for raw in raws:
                    done, failed = reparse(source, raw, timer)
                    pending.extend(done)
                    failures += failed
                while len(pending) >= REPROCESS_BATCH:
                    chunk, pending = pending[:REPROCESS_BATCH], pending[REPROCESS_BATCH:]
                    with timer.stage("load"):
                        stats.add(_load(con, source_id, chunk, run_id))
            if pending:
                with timer.stage("load"):
                    stats.add(_load(con, source_id, pending, run_id))
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "stages": dict(timer.seconds),
        "articles_seen": stats.new + stats.updated + stats.unchanged,
        "new": stats.new,
        "updated": stats.updated,
        "unchanged": stats.unchanged,
        "loaded_claims": stats.claims,
        "transform_failures": failures,
        **_counts(db_path),
        "peak_rss_mib": peak_rss_mib(),
        "warehouse_mib": warehouse_mib(db_path),
    }


def _load(con, source_id: str, items: list[ProcessedArticle], run_id: str) -> LoadStats:
    batch = Batch(source_id, articles=items)
    return load_batch(
        con, batch, run_id=run_id, code_version="bench", tagger_version="bench-2", retag=True
    )


def prefect_tasks(archive: Path, sample: int) -> dict[str, object]:
    """The naive design: one Prefect task run per article, against one task for all of them.

    Both flows process the same `sample` articles in the same process, after a warm-up flow
    that absorbs the temporary server's start; the difference is the per-task cost.
    """
    from flows import prefect_env

    prefect_env.configure()
    from prefect import flow, task
    from prefect.cache_policies import NONE

    source = next(s for s in load_sources(archive / "sources.toml") if s.kind == "wordpress")
    fetcher = Fetcher(build_transport([archive / "archive.warc.gz"]), "bench")
    request = extractor_for(source.kind).start(source, Window())[0]
    parsed = list(extractor_for(source.kind).parse(source, fetcher.fetch(source, request)).articles)
    fetcher.close()
    while len(parsed) < sample:
        parsed = parsed + parsed
    parsed = parsed[:sample]

    @task(cache_policy=NONE)
    def one_article(article: ParsedArticle) -> int:
        return len(process_article(article, source.profile).claim_set.claims)

    @task(cache_policy=NONE)
    def all_articles(articles: list[ParsedArticle]) -> int:
        return sum(len(process_article(a, source.profile).claim_set.claims) for a in articles)

    @flow
    def per_article(articles: list[ParsedArticle]) -> int:
        return sum(one_article(a) for a in articles)

    @flow
    def coarse(articles: list[ParsedArticle]) -> int:
        return all_articles(articles)

    start = time.perf_counter()
    coarse(parsed[:1])
    warmup = time.perf_counter() - start
    timings = {}
    for name, body in (("coarse", coarse), ("per_article", per_article)):
        start = time.perf_counter()
        body(parsed)
        timings[name] = time.perf_counter() - start
    return {"sample": sample, "warmup": warmup, **timings, "peak_rss_mib": peak_rss_mib()}


def main() -> None:
    workload, archive = sys.argv[1], Path(sys.argv[2])
    run_id = f"bench-{workload}-{os.getpid()}"
    if workload == "crawl":
        result = crawl(archive, Path(sys.argv[3]), run_id)
    elif workload == "reprocess":
        result = reprocess(archive, Path(sys.argv[3]), run_id)
    elif workload == "prefect-tasks":
        result = prefect_tasks(archive, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown workload {workload!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

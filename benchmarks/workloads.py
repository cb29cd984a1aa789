"""The measured workloads of `benchmarks.run` (run through `benchmarks.pipeline_bench`).

Each returns a dict of figures that the entry point prints as one JSON object.
"""

from __future__ import annotations

import os
import resource
import time
from collections import Counter
from pathlib import Path

from extractors.base import Window, extractor_for
from extractors.http import Fetcher, build_transport
from extractors.registry import load_sources
from flows import transform_pool
from flows.crawl import CrawlContext, crawl_source
from transforms.model import ParsedArticle
from transforms.pipeline import process_article
from warehouse import db
from warehouse.load import LoadStats
from warehouse.runs import register_sources


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
    """Requests per source (sources that made none included): the fetcher's own count when it
    keeps one (robots.txt included)."""
    counted = getattr(fetcher, "requests", None)
    if not isinstance(counted, Counter):
        return results
    return {source: counted[source] for source in results}


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
        "robots_fetches": dict(fetcher.robots_fetches),
        **_counts(db_path),
        "peak_rss_mib": peak_rss_mib(),
        "warehouse_mib": warehouse_mib(db_path),
    }


def reprocess(archive: Path, db_path: Path, run_id: str) -> dict[str, object]:
    """Every stored raw document re-parsed, re-transformed and re-tagged, with no network.

    Calls the reprocess command's own per-source function (flows/reprocess.py), timed by the
    same stage timer as the crawl.
    """
    from flows.reprocess import reprocess_source

    ctx = CrawlContext(db_path, None, run_id, "bench-reprocess")  # type: ignore[arg-type]
    stats = LoadStats()
    start = time.perf_counter()
    for source in load_sources(archive / "sources.toml"):
        stats.add(reprocess_source(ctx, source, None).stats)
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "stages": dict(ctx.timer.seconds),
        "articles_seen": stats.new + stats.updated + stats.unchanged,
        "new": stats.new,
        "updated": stats.updated,
        "unchanged": stats.unchanged,
        "loaded_claims": stats.claims,
        **_counts(db_path),
        "peak_rss_mib": peak_rss_mib(),
        "warehouse_mib": warehouse_mib(db_path),
    }


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

    # The flows take no parameters: Prefect refuses flow-run parameters over 512 KB.
    @flow
    def warm_up() -> int:
        return one_article(parsed[0])

    @flow
    def per_article() -> int:
        return sum(one_article(a) for a in parsed)

    @flow
    def coarse() -> int:
        return all_articles(parsed)

    start = time.perf_counter()
    warm_up()
    warmup = time.perf_counter() - start
    timings = {}
    for name, body in (("coarse", coarse), ("per_article", per_article)):
        start = time.perf_counter()
        body()
        timings[name] = time.perf_counter() - start
    return {"sample": sample, "warmup": warmup, **timings, "peak_rss_mib": peak_rss_mib()}


def transform_parallel(archive: Path, sample: int) -> dict[str, object]:
    """What the engine's process pool gives the CPU-bound transforms, measured alone.

    The same `sample` parsed WordPress articles through flows/transform_pool.py, once with
    CLAIMTRAIL_WORKERS=1 (in this process) and once over one worker per CPU (pool start-up
    excluded: a backfill pays it once), so the gain is a measured figure, not a guess.
    """
    source = next(s for s in load_sources(archive / "sources.toml") if s.kind == "wordpress")
    fetcher = Fetcher(build_transport([archive / "archive.warc.gz"]), "bench")
    extractor = extractor_for(source.kind)
    request = extractor.start(source, Window())[0]
    parsed: list[ParsedArticle] = []
    while len(parsed) < sample:
        result = extractor.parse(source, fetcher.fetch(source, request))
        parsed.extend(result.articles)
        if not result.follow:
            break
        request = result.follow[0]
    fetcher.close()
    parsed = parsed[:sample]
    items = [(a, source.profile) for a in parsed]
    os.environ["CLAIMTRAIL_WORKERS"] = "1"
    start = time.perf_counter()
    transform_pool.start_transforms(items).result()
    serial = time.perf_counter() - start
    workers = os.cpu_count() or 1
    os.environ["CLAIMTRAIL_WORKERS"] = str(workers)
    transform_pool.start_transforms(items[: transform_pool.MIN_PARALLEL_BATCH]).result()  # warm
    start = time.perf_counter()
    transform_pool.start_transforms(items).result()
    parallel = time.perf_counter() - start
    return {"sample": len(parsed), "workers": workers, "serial": serial, "parallel": parallel}

"""The pipeline benchmark: one command, a printed table, benchmarks/results/latest.md.

    uv run python -m benchmarks.run [--sizes 1000,10000] [--daily-size 10000] [--quick]

For each size N it generates an archive of N articles (benchmarks/generate.py, cached under
--work), then measures in fresh child processes (benchmarks/pipeline_bench.py):

- backfill: the crawl engine over the whole archive into an empty warehouse, replayed (no
  network, no Prefect), with the time of each stage so the slow one is visible;
- reprocess: every stored raw document re-parsed, re-transformed and re-tagged (retag=True).

Side by side, in the same run: trafilatura's generic extraction on the same post pages, the
naive designs we avoided (one Prefect task per article; row-by-row INSERTs), and a daily run
with nothing new (`claimtrail run --replay` in a subprocess) against a trivial Prefect flow
started the same way. Targets are checked and printed with each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.generate import GeneratedArchive, generate

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "latest.md"
TARGET_RATE = 300.0
TARGET_RSS_MIB = 1024.0
TARGET_DAILY_RATIO = 1.3
STAGES = (
    "replay-open",
    "read-raw",
    "fetch",
    "parse",
    "repair",
    "structure",
    "claims",
    "rows",
    "load",
)
TRIVIAL_FLOW = (
    "from flows import prefect_env\n"
    "prefect_env.configure()\n"
    "from prefect import flow\n"
    "@flow\n"
    "def trivial():\n"
    "    return 1\n"
    "trivial()\n"
)


def child(*args: str, timeout: float = 7200) -> dict:
    """Run one workload of benchmarks.pipeline_bench in a fresh interpreter; its JSON result."""
    command = [sys.executable, "-m", "benchmarks.pipeline_bench", *args]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {last_error(done.stderr)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def last_error(stderr: str) -> str:
    """The exception line of a child's traceback (DuckDB's exit-time leak notes left out)."""
    lines = [
        line
        for line in stderr.splitlines()
        if line.strip() and "nanobind" not in line and not line.startswith(" - ")
    ]
    return (lines[-1] if lines else "no output")[:400]


def archive_for(work: Path, n: int) -> tuple[GeneratedArchive, float]:
    """A generated archive of n articles (regenerated every time: it is deterministic and fast)."""
    start = time.perf_counter()
    archive = generate(work / f"archive-{n}", n)
    return archive, time.perf_counter() - start


def timed_subprocess(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return wall


def daily_comparison(archive: GeneratedArchive, full_db: Path, work: Path) -> dict:
    """A daily run with nothing new (after a backfill) against a trivial Prefect flow.

    Both start cold in their own process with Prefect's temporary server, the way a scheduler
    or a user starts `claimtrail run`. The requests per source come from the engine run
    in-process on a copy of the same warehouse (the CLI prints totals only).
    """
    db_copy = work / "daily.duckdb"
    shutil.copyfile(full_db, db_copy)
    env = dict(os.environ, CLAIMTRAIL_LOCK_WAIT="5")
    claimtrail = shutil.which("claimtrail") or "claimtrail"
    run = [claimtrail, "run", "--config", str(archive.config), "--db", str(db_copy)]
    run += ["--replay", str(archive.warc)]
    trivial = [sys.executable, "-c", TRIVIAL_FLOW]
    walls = {"trivial_flow": timed_subprocess(trivial, env)}
    walls["claimtrail_run"] = timed_subprocess(run, env)
    walls["trivial_flow_again"] = timed_subprocess(trivial, env)
    engine_db = work / "daily-engine.duckdb"
    shutil.copyfile(full_db, engine_db)
    engine = child("crawl", str(archive.warc.parent), str(engine_db))
    return {
        **walls,
        "requests": engine["requests"],
        "robots_fetches": engine["robots_fetches"],
        "engine_wall": engine["wall"],
    }


def trafilatura_comparison(archive: GeneratedArchive) -> dict:
    """trafilatura on the sample of post pages, against our page path on the same pages."""
    import trafilatura

    from extractors.article_page import parse_article_page
    from extractors.http import Fetcher, build_transport
    from extractors.registry import parse_sources
    from transforms.model import FetchRequest
    from transforms.pipeline import StageTimer, process_article

    source = parse_sources(
        '[[source]]\nid = "bench-pages"\nname = "post pages"\nkind = "pages"\n'
        'base_url = "https://reex.bench.invalid"\norigin_class = "newsletter"\n'
        '[source.options]\nbody_selector = ".entry-content"\ntitle_selector = "h1"\n'
    )[0]
    fetcher = Fetcher(build_transport([archive.warc]), "bench")
    raws = [
        fetcher.fetch(source, FetchRequest(source.id, u, "article")) for u in archive.html_pages
    ]
    fetcher.close()
    pages = [r.body.decode("utf-8") for r in raws]
    start = time.perf_counter()
    chars = sum(len(trafilatura.extract(p) or "") for p in pages)
    traf = time.perf_counter() - start
    start = time.perf_counter()
    for p in pages:
        trafilatura.extract(p, output_format="html", include_links=True, favor_recall=True)
    traf_html = time.perf_counter() - start
    timer = StageTimer()
    start = time.perf_counter()
    ours_chars = 0
    for raw in raws:
        with timer.stage("parse"):
            parsed = parse_article_page(source, raw).articles[0]
        ours_chars += len(process_article(parsed, source.profile, timer).article.body_text)
    ours = time.perf_counter() - start
    no_claims = ours - timer.seconds["claims"]
    return {
        "pages": len(pages),
        "trafilatura_txt": traf,
        "trafilatura_html": traf_html,
        "ours_no_claims": no_claims,
        "ours_full": ours,
        "trafilatura_chars": chars,
        "ours_chars": ours_chars,
    }


def row_by_row_comparison(archive: GeneratedArchive, sample_rows: int = 600) -> dict:
    """Claims inserted one INSERT per row, against load_batch's Arrow route, same rows."""
    from extractors.base import Window, extractor_for
    from extractors.http import Fetcher, build_transport
    from extractors.registry import load_sources
    from transforms.pipeline import process_article
    from warehouse import db
    from warehouse.load import Batch, load_batch
    from warehouse.rows import TaggedRows
    from warehouse.runs import register_sources

    source = next(s for s in load_sources(archive.config) if s.kind == "wordpress")
    fetcher = Fetcher(build_transport([archive.warc]), "bench")
    raw = fetcher.fetch(source, extractor_for(source.kind).start(source, Window())[0])
    fetcher.close()
    parsed = extractor_for(source.kind).parse(source, raw).articles
    items = [process_article(a, source.profile) for a in parsed]
    claims = [c for item in items for c in item.claim_set.claims]
    rows = [
        (
            c.claim_id,
            c.article_id,
            c.seq,
            c.section,
            c.text,
            c.claim_type,
            c.hedged,
            c.attributed_to,
            c.verification_status,
            list(c.entities),
        )
        for c in claims[:sample_rows]
    ]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE claims_rowwise (claim_id VARCHAR PRIMARY KEY, article_id VARCHAR, "
        "seq INTEGER, section VARCHAR, text VARCHAR, claim_type VARCHAR, hedged BOOLEAN, "
        "attributed_to VARCHAR, verification_status VARCHAR, entities VARCHAR[])"
    )
    start = time.perf_counter()
    for row in rows:
        con.execute("INSERT INTO claims_rowwise VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    rowwise = time.perf_counter() - start
    con.close()
    target = archive.warc.parent / "rowwise.duckdb"
    target.unlink(missing_ok=True)
    with db.writer(target) as wcon:
        register_sources(wcon, [source])
        start = time.perf_counter()
        load_batch(
            wcon,
            # The rows are built inside the timing: the bulk route pays for its Arrow tables.
            Batch(
                source.id, raw_documents=[raw], tagged=[TaggedRows.build(list(enumerate(items)))]
            ),
            run_id="bench",
            code_version="bench",
            tagger_version="bench",
        )
        bulk = time.perf_counter() - start
    return {
        "rowwise_rows": len(rows),
        "rowwise_seconds": rowwise,
        "bulk_articles": len(items),
        "bulk_claims": len(claims),
        "bulk_seconds": bulk,
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")


def ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"


def render(results: dict) -> str:
    """The results as Markdown: the table, stage split, comparisons, and target checks."""
    out = [
        "# Pipeline benchmark",
        "",
        f"- date: {results['date']}",
        f"- machine: {results['machine']}",
        f"- code: {results['commit']}",
        f"- command: `{results['command']}`",
        "",
        "## Backfill and reprocess (replayed archive, crawl engine without Prefect)",
        "",
        "| N | workload | wall s | articles/s | claims/s | peak RSS MiB | warehouse MiB |"
        " articles | claims | quarantined |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        for name in ("backfill", "reprocess"):
            r = size[name]
            n = r["articles_seen"] if name == "reprocess" else r["articles"]
            out.append(
                f"| {size['n']:,} | {name} | {r['wall']:.1f} | {n / r['wall']:.0f} | "
                f"{r['loaded_claims'] / r['wall']:,.0f} | {r['peak_rss_mib']:.0f} | "
                f"{r['warehouse_mib']:.0f} | {r['articles']:,} | {r['claims']:,} | "
                f"{r['quarantined']} |"
            )
    out += ["", "### Seconds per stage", ""]
    out.append("| N | workload | " + " | ".join(STAGES) + " |")
    out.append("|---:|---|" + "---:|" * len(STAGES))
    for size in results["sizes"]:
        for name in ("backfill", "reprocess"):
            stages = size[name]["stages"]
            cells = " | ".join(f"{stages[s]:.2f}" if s in stages else "" for s in STAGES)
            out.append(f"| {size['n']:,} | {name} | {cells} |")
    out += [
        "",
        "fetch = replay transport + archive; parse = the kind's parser (JSON, or HTML with byte "
        "decoding for article pages); repair = mojibake repair; structure = HTML to sections; "
        "claims = sentence split, typing, hedges, attribution, entities, provenance; rows = "
        "the warehouse's Arrow tables built in the worker; load = those tables into DuckDB, one "
        "transaction per 250 articles. Repair, structure, claims and rows run on the worker "
        "processes and are summed over them (so together they can exceed the wall time); fetch, "
        "parse and load run in the main process.",
    ]
    checks = []
    for size in results["sizes"]:
        for name in ("backfill", "reprocess"):
            r = size[name]
            n = r["articles_seen"] if name == "reprocess" else r["articles"]
            rate = n / r["wall"]
            checks.append(
                f"| {name} {size['n']:,} articles/s >= {TARGET_RATE:.0f} | {rate:.0f} | "
                f"{ok(rate >= TARGET_RATE)} |"
            )
        rss = max(size["backfill"]["peak_rss_mib"], size["reprocess"]["peak_rss_mib"])
        if size["n"] == 10_000:
            checks.append(
                f"| peak RSS at 10k < {TARGET_RSS_MIB:.0f} MiB | {rss:.0f} | "
                f"{ok(rss < TARGET_RSS_MIB)} |"
            )
    sizes = results["sizes"]
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        per_first = first["backfill"]["wall"] / first["n"] * 1000
        per_last = last["backfill"]["wall"] / last["n"] * 1000
        checks.append(
            f"| linear growth: ms per article at {first['n']:,} vs {last['n']:,} | "
            f"{per_first:.2f} vs {per_last:.2f} | {ok(per_last <= per_first * 1.25)} |"
        )
    if "daily" in results:
        d = results["daily"]
        trivial = min(d["trivial_flow"], d["trivial_flow_again"])
        ratio = d["claimtrail_run"] / trivial
        robots = d.get("robots_fetches", {})
        content = {k: v - robots.get(k, 0) for k, v in d["requests"].items()}
        shown = ", ".join(
            f"{k}: {v}" + (f" (+{robots[k]} robots.txt)" if robots.get(k) else "")
            for k, v in content.items()
        )
        checks.append(
            "| daily, nothing new: requests per source <= 1 (robots.txt apart: RFC 9309 caps "
            f"its reuse at 24 h, so it is asked once per host per day) | {shown} | "
            f"{ok(max(content.values()) <= 1)} |"
        )
        checks.append(
            f"| daily, nothing new: wall <= {TARGET_DAILY_RATIO}x trivial flow | "
            f"{d['claimtrail_run']:.1f} s vs {trivial:.1f} s = {ratio:.2f}x | "
            f"{ok(ratio <= TARGET_DAILY_RATIO)} |"
        )
    out += ["", "## Targets", "", "| target | measured | |", "|---|---|---|", *checks]
    if "daily" in results:
        d = results["daily"]
        out += [
            "",
            "## Daily run with nothing new (cold, Prefect's temporary server)",
            "",
            f"Measured on the {d['n']:,}-article warehouse after its backfill.",
            "",
            "| process | wall s |",
            "|---|---:|",
            f"| trivial `@flow` (`python -c`, before) | {d['trivial_flow']:.1f} |",
            f"| `claimtrail run --replay ARCHIVE` | {d['claimtrail_run']:.1f} |",
            f"| trivial `@flow` (after) | {d['trivial_flow_again']:.1f} |",
            f"| the same daily crawl in the engine alone (no Prefect) | {d['engine_wall']:.1f} |",
        ]
    if "trafilatura" in results:
        t = results["trafilatura"]
        p = t["pages"]
        out += [
            "",
            f"## Generic anchor: trafilatura on the same {p} post pages",
            "",
            "| extraction | pages/s | body chars |",
            "|---|---:|---:|",
            f"| trafilatura.extract (text) | {p / t['trafilatura_txt']:.0f} | "
            f"{t['trafilatura_chars']:,} |",
            f"| trafilatura.extract (html, links, favor_recall: our fallback) | "
            f"{p / t['trafilatura_html']:.0f} | |",
            f"| ours: selectors + repair + structure | {p / t['ours_no_claims']:.0f} | "
            f"{t['ours_chars']:,} |",
            f"| ours: the same + claims | {p / t['ours_full']:.0f} | |",
        ]
    if results.get("naive"):
        nv = results["naive"]
        out += ["", "## The naive designs we avoided", ""]
        if "prefect" in nv:
            pf = nv["prefect"]
            per_task = (pf["per_article"] - pf["coarse"]) / pf["sample"]
            out += [
                f"- One Prefect task per article, {pf['sample']} articles: "
                f"{pf['per_article']:.1f} s against {pf['coarse']:.1f} s for one coarse task "
                f"= {per_task * 1000:.0f} ms extra per article on the client alone; at 10,000 "
                f"articles that is {per_task * 10_000 / 60:.0f} min more, plus ≈ 40 ms of server "
                "CPU and ≈ 19 KB of server database per task run (STACK-NOTES).",
            ]
        if "rowwise" in nv:
            rw = nv["rowwise"]
            rate = rw["rowwise_rows"] / rw["rowwise_seconds"]
            bulk_rate = rw["bulk_claims"] / rw["bulk_seconds"]
            total = results["sizes"][-1]["backfill"]["claims"]
            out += [
                f"- Row-by-row INSERT of claims: {rate:,.0f} rows/s ({rw['rowwise_rows']} "
                f"rows); `load_batch` (Arrow, one transaction) stored {rw['bulk_articles']} "
                f"articles with {rw['bulk_claims']:,} claims in {rw['bulk_seconds']:.2f} s "
                f"(≈ {bulk_rate:,.0f} claim rows/s, everything else included). The "
                f"{total:,} claims of the largest run would take {total / rate:,.0f} s "
                f"row by row against {total / bulk_rate:,.1f} s in bulk.",
            ]
    if "pool" in results:
        pl = results["pool"]
        out += [
            "",
            "## The transforms alone: in-process vs the engine's process pool",
            "",
            f"`process_article` on the same {pl['sample']} articles: "
            f"{pl['sample'] / pl['serial']:.0f} articles/s in one process, "
            f"{pl['sample'] / pl['parallel']:.0f} articles/s over {pl['workers']} worker "
            f"processes (x{pl['serial'] / pl['parallel']:.2f}).",
        ]
    if results.get("notes"):
        out += ["", "## Notes", ""]
        out += [f"- {note}" for note in results["notes"]]
    if results.get("errors"):
        out += ["", "## Measurements that failed", ""]
        out += [f"- {name}: `{message}`" for name, message in results["errors"].items()]
    return "\n".join(out) + "\n"


def rerun_side_measurements(args: argparse.Namespace) -> None:
    """Re-measure some side measurements into an existing results file and re-render it."""
    partial = args.out.with_suffix(".json")
    results = json.loads(partial.read_text())
    archive = generate(args.work / f"archive-{results['sizes'][0]['n']}", results["sizes"][0]["n"])
    wanted = {name.strip() for name in args.only.split(",")}
    errors = results.setdefault("errors", {})
    if "naive" in wanted:
        errors.pop("one Prefect task per article", None)
        sample = str(args.prefect_sample)
        results["naive"] = {
            "rowwise": row_by_row_comparison(archive),
            "prefect": child("prefect-tasks", str(archive.warc.parent), sample),
        }
    if "pool" in wanted:
        results["pool"] = child("transform-parallel", str(archive.warc.parent), "400")
    if "trafilatura" in wanted:
        results["trafilatura"] = trafilatura_comparison(archive)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results.setdefault("notes", []).append(
        f"{', '.join(sorted(wanted))} re-measured at {stamp} (`--only {args.only}`)."
    )
    results["notes"].extend(args.note)
    text = render(results)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    partial.write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimtrail-bench"))
    parser.add_argument(
        "--daily-size", type=int, default=None, help="size whose warehouse the daily run uses"
    )
    parser.add_argument("--skip-daily", action="store_true", help="no Prefect subprocesses")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--prefect-sample", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--only",
        default="",
        help="re-measure only these side measurements (naive,pool,trafilatura) into the results "
        "already in --out's JSON, keeping the rest",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for the notes")
    args = parser.parse_args()
    if args.only:
        rerun_side_measurements(args)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": commit(),
        "command": "uv run python -m benchmarks.run " + " ".join(sys.argv[1:]),
        "sizes": [],
    }
    daily_size = args.daily_size or max((s for s in sizes if s <= 10_000), default=sizes[0])
    partial = args.out.with_suffix(".json")
    partial.parent.mkdir(parents=True, exist_ok=True)

    def step(name: str, measure: Callable[..., object], *args: object) -> object | None:
        """Run one measurement; a failure is recorded in the results, not fatal to the rest."""
        print(f"{name}…", flush=True)
        try:
            return measure(*args)
        except Exception as exc:
            results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[-1500:]
            print(f"{name} FAILED: {exc}", flush=True)
            return None
        finally:
            partial.write_text(json.dumps(results, indent=2) + "\n")

    archives: dict[int, GeneratedArchive] = {}
    for n in sizes:
        archive, gen_seconds = archive_for(args.work, n)
        archives[n] = archive
        db_path = args.work / f"warehouse-{n}.duckdb"
        for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
            stale.unlink(missing_ok=True)
        print(f"[{n:,}] archive generated in {gen_seconds:.1f} s", flush=True)
        backfill = step(f"backfill {n}", child, "crawl", str(archive.warc.parent), str(db_path))
        reprocess = step(
            f"reprocess {n}", child, "reprocess", str(archive.warc.parent), str(db_path)
        )
        if backfill and reprocess:
            results["sizes"].append(
                {
                    "n": n,
                    "generate_seconds": gen_seconds,
                    "backfill": backfill,
                    "reprocess": reprocess,
                }
            )
        if n == daily_size and backfill and not args.skip_daily:
            daily = step("daily run vs trivial flow", daily_comparison, archive, db_path, args.work)
            if daily:
                results["daily"] = {"n": n, **daily}
    first = archives[sizes[0]]
    traf = step("trafilatura comparison", trafilatura_comparison, first)
    if traf:
        results["trafilatura"] = traf
    if not args.skip_naive:
        naive = {}
        rowwise = step("row-by-row inserts", row_by_row_comparison, first)
        if rowwise:
            naive["rowwise"] = rowwise
        if not args.skip_daily:
            sample = str(args.prefect_sample)
            prefect = step(
                "one Prefect task per article",
                child,
                "prefect-tasks",
                str(first.warc.parent),
                sample,
            )
            if prefect:
                naive["prefect"] = prefect
        results["naive"] = naive
    pool = step(
        "transforms over a process pool", child, "transform-parallel", str(first.warc.parent), "400"
    )
    if pool:
        results["pool"] = pool
    text = render(results)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    partial.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()

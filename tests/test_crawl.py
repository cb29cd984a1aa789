"""The crawl engine end to end on the recorded sample (no Prefect): idempotent and lossless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from extractors.replay import read_archive, write_response
from warehouse import db
from warehouse.fetch_state import due_for_recheck
from warehouse.runs import known_article_urls


def counts(db_path: Path) -> dict[str, int]:
    with db.connect(db_path, read_only=True) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in (
                "articles",
                "article_versions",
                "claims",
                "raw_documents",
                "quarantine",
                "article_repairs",
            )
        }


def test_sample_loads_five_articles_with_claims(db_path: Path, sample_archive, crawl) -> None:
    results = crawl(db_path, [sample_archive])
    assert sum(r.stats.new for r in results) == 5
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles_v").fetchall()[0][0] == 5
        no_claims = con.execute("SELECT url FROM articles_v WHERE n_claims = 0").fetchall()
        assert no_claims == []
        times = con.execute(
            "SELECT url, published_at FROM articles WHERE url LIKE '%ustb%'"
        ).fetchall()
    assert str(times[0][1].date()) == "2025-12-04"


def test_rerun_changes_no_count_and_reports_nothing_new(
    db_path: Path, sample_archive, crawl
) -> None:
    crawl(db_path, [sample_archive])
    before = counts(db_path)
    again = crawl(db_path, [sample_archive])
    after = counts(db_path)
    assert sum(r.stats.new for r in again) == 0
    assert sum(r.stats.updated for r in again) == 0
    # The only new raw document is the empty incremental API page the cursor asks for.
    assert after == {**before, "raw_documents": before["raw_documents"] + 1}
    with db.connect(db_path, read_only=True) as con:
        cursor = con.execute(
            "SELECT daily_cursor FROM sources WHERE source_id = 'rareearthexchanges'"
        ).fetchall()[0][0]
    assert cursor == "2026-02-03T14:31:09"


def _a_month_passes(db_path: Path) -> None:
    """Backdate what the crawl remembers (loads and rechecks) by 31 days."""
    with db.writer(db_path) as con:
        con.execute("UPDATE articles SET updated_at = updated_at - INTERVAL 31 DAY")
        con.execute("UPDATE fetch_state SET last_fetched_at = last_fetched_at - INTERVAL 31 DAY")


def test_changed_article_becomes_a_new_version_not_a_duplicate(
    db_path: Path, sample_archive, crawl, tmp_path: Path
) -> None:
    crawl(db_path, [sample_archive], ["cngeo"])
    url = "http://en.cngeo.com/Blog_Details/2006272288230617088.html"
    original = read_archive(sample_archive)[url]
    edited = tmp_path / "edited.warc.gz"
    body = original.body.replace(b"persisted beyond expectations", b"dragged on for years", 1)
    write_response(edited, url, 200, list(original.headers), body)
    _a_month_passes(db_path)  # cngeo sets recheck_days = 30
    result = crawl(db_path, [edited], ["cngeo"])[0]
    assert (result.stats.new, result.stats.updated) == (0, 1)
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 1
        versions = con.execute("SELECT count(*) FROM article_versions").fetchall()[0][0]
        body_text = con.execute("SELECT body_text FROM articles").fetchall()[0][0]
    assert versions == 2
    assert "The Ukraine crisis has dragged on for years" in body_text


def test_missing_url_lands_in_quarantine_and_the_run_finishes(
    db_path: Path, tmp_path: Path, crawl
) -> None:
    config = tmp_path / "sources.toml"
    config.write_text(
        """
[[source]]
id = "mirror"
name = "Mirror"
kind = "pages"
base_url = "http://en.cngeo.com"
origin_class = "state_affiliated_research"
[source.options]
urls = ["http://en.cngeo.com/Blog_Details/1.html", "http://en.cngeo.com/Blog_Details/2.html"]
""",
        encoding="utf-8",
    )
    archive = tmp_path / "a.warc.gz"
    write_response(
        archive,
        "http://en.cngeo.com/Blog_Details/1.html",
        200,
        [("Content-Type", "text/html; charset=utf-8")],
        b"<html><body><h1>Title</h1><article><p>China Minmetals signed a deal with "
        b"Guizhou province on May 14, 2025, to build a new processing plant.</p>"
        b"<p>The plant will process 20,000 tonnes of ore a year.</p></article></body></html>",
    )
    crawl(db_path, [archive], ["mirror"], config=config)
    crawl(db_path, [archive], ["mirror"], config=config)
    with db.connect(db_path, read_only=True) as con:
        rows = con.execute("SELECT stage, url, reason, occurrences FROM quarantine").fetchall()
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        raw = con.execute(
            "SELECT status, error FROM raw_documents WHERE url LIKE '%/2.html'"
        ).fetchall()
    assert rows == [("fetch", "http://en.cngeo.com/Blog_Details/2.html", "not_in_archive", 2)]
    assert articles == 1
    assert raw == [(0, "not_in_archive")]


def test_every_row_traces_to_raw_document_and_run(db_path: Path, sample_archive, crawl) -> None:
    crawl(db_path, [sample_archive])
    with db.connect(db_path, read_only=True) as con:
        orphans = con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN raw_documents r USING (raw_id) "
            "LEFT JOIN runs u ON u.run_id = a.run_id WHERE r.raw_id IS NULL OR u.run_id IS NULL"
        ).fetchall()[0][0]
        hashes = con.execute("SELECT sha256 = sha256(body) FROM raw_documents").fetchall()
    assert orphans == 0
    assert all(ok for (ok,) in hashes)


def test_warehouse_file_is_plain_duckdb(db_path: Path, sample_archive, crawl) -> None:
    crawl(db_path, [sample_archive])
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT count(*) FROM claims_v").fetchall()[0][0] > 50
    con.close()


def test_crawl_task_body_runs_without_a_prefect_server(db_path: Path, sample_archive) -> None:
    """Task bodies are unit-tested through `.fn()`: no harness, no server, same engine."""
    import asyncio

    from prefect.logging import disable_run_logger

    from extractors.base import Window
    from extractors.http import Fetcher, build_transport
    from extractors.registry import load_sources, select_sources
    from flows.crawl import CrawlContext
    from flows.daily import crawl_source_task
    from warehouse.runs import register_sources

    config = Path(__file__).resolve().parent.parent / "sources.toml"
    source = select_sources(load_sources(config), ["cngeo"])[0]
    with db.writer(db_path) as con:
        register_sources(con, [source])
    fetcher = Fetcher(build_transport([sample_archive]), "unit-run")
    ctx = CrawlContext(db_path, fetcher, "unit-run", "test")
    with disable_run_logger():
        result = asyncio.run(crawl_source_task.fn(ctx, source, Window()))
    fetcher.close()
    assert result.source_id == "cngeo"
    assert result.stats.new == 1
    assert result.stats.claims > 100


def test_a_fixed_page_list_is_fetched_once_then_rechecked_when_due(
    db_path: Path, sample_archive, crawl
) -> None:
    crawl(db_path, [sample_archive], ["cngeo"])
    # The next day: the page is stored and not due, so the run asks for nothing at all.
    [nothing] = crawl(db_path, [sample_archive], ["cngeo"])
    assert nothing.requests == 0 and nothing.stats.unchanged == 0
    # A month on it is due: fetched again (with robots.txt, a month old too), parsed, found
    # unchanged, and its validators are kept for the next recheck.
    _a_month_passes(db_path)
    [first] = crawl(db_path, [sample_archive], ["cngeo"])
    assert (first.requests, first.stats.unchanged, first.stats.updated) == (2, 1, 0)
    # The recheck after that compares hashes: same body, so it is not even parsed.
    _a_month_passes(db_path)
    [second] = crawl(db_path, [sample_archive], ["cngeo"])
    assert (second.requests, second.unchanged_documents, second.stats.unchanged) == (2, 1, 0)
    with db.connect(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM article_versions").fetchall() == [(1,)]


def test_a_page_asked_for_by_another_url_than_its_canonical_one_is_known_and_rechecked(
    db_path: Path,
) -> None:
    """A listed page that redirects (or names another canonical URL) is stored under its
    canonical URL; the crawl asks for the listed one, so both must count as stored and due."""
    listed, canonical = "http://mirror.example/p?id=7", "https://mirror.example/p/7/"
    with db.writer(db_path) as con:
        con.execute(
            "INSERT INTO raw_documents VALUES ('raw7', 'cngeo', 'run', ?, ?, 'article', '{}', "
            "200, '{}', now(), 'sha', 'body'::BLOB, NULL, NULL)",
            [listed, canonical],
        )
        con.execute(
            "INSERT INTO articles (article_id, version_id, source_id, url, raw_id, run_id, "
            "code_version, first_seen_at, updated_at) VALUES "
            "('a7', 'v7', 'cngeo', ?, 'raw7', 'run', 'test', now(), now())",
            [canonical],
        )
        assert {listed, canonical} <= known_article_urls(con, "cngeo")
        now = datetime.now(UTC)
        assert due_for_recheck(con, "cngeo", 30, now) == set()
        assert due_for_recheck(con, "cngeo", 30, now + timedelta(days=31)) == {listed, canonical}
        # A recheck is recorded under the URL asked for, and counts from then on.
        con.execute(
            "INSERT INTO fetch_state (url, source_id, role, status, last_fetched_at, run_id) "
            "VALUES (?, 'cngeo', 'article', 200, ?, 'run')",
            [listed, now + timedelta(days=31)],
        )
        assert due_for_recheck(con, "cngeo", 30, now + timedelta(days=32)) == set()

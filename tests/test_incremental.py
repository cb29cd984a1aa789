"""Daily runs fetch only what changed: conditional GET, feed hashes, cursors, known URLs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extractors.registry import SourceConfig
from tests.mockserver import (
    MockServer,
    Reply,
    crawl_once,
    fixture_text,
    loopback_source,
    mock_server,
    rss_feed,
    warehouse_path,
)
from warehouse import db

__all__ = ["mock_server", "warehouse_path"]

ITEMS = [
    ("gallium", "Gallium controls", "MOFCOM announced export controls on gallium."),
    ("antimony", "Antimony output", "China Minmetals said antimony output rose 12 percent."),
]


def _count(path: Path, sql: str) -> int:
    with db.connect(path, read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


def test_unchanged_feed_costs_one_request_and_304_means_nothing_new(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    feed = rss_feed(mock_server.base, ITEMS)
    mock_server.route(
        "/feed/",
        Reply(304, when=lambda h: h.get("if-none-match") == '"v1"'),
        Reply(200, feed, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}),
    )
    source = loopback_source(mock_server, feed_url=mock_server.url("/feed/"))
    first = crawl_once(warehouse_path, source)
    assert first.stats.new == 2
    second = crawl_once(warehouse_path, source)
    assert second.requests == 1  # the feed, answered 304 (robots.txt reused from the archive)
    assert mock_server.hits["/robots.txt"] == 1
    assert second.unchanged_documents == 1
    assert (second.stats.new, second.stats.updated, second.stats.quarantined) == (0, 0, 0)
    assert mock_server.request_headers[-1][1]["if-none-match"] == '"v1"'
    assert _count(warehouse_path, "SELECT status FROM fetch_state") == 304


def test_feed_without_validators_is_not_parsed_when_its_hash_is_unchanged(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    mock_server.route("/feed/", Reply(200, rss_feed(mock_server.base, ITEMS)))
    source = loopback_source(mock_server, feed_url=mock_server.url("/feed/"))
    crawl_once(warehouse_path, source)
    again = crawl_once(warehouse_path, source)
    assert again.unchanged_documents == 1 and again.stats.unchanged == 0


def test_changed_feed_yields_new_and_updated_articles_only(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    source = loopback_source(mock_server, feed_url=mock_server.url("/feed/"))
    changed = [
        ("tungsten", "Tungsten pact", "China Minmetals signed a tungsten supply pact."),
        ("gallium", "Gallium controls", "MOFCOM tightened export controls on gallium again."),
        ITEMS[1],
    ]
    mock_server.route(
        "/feed/",
        Reply(200, rss_feed(mock_server.base, ITEMS)),
        Reply(200, rss_feed(mock_server.base, changed)),
    )
    crawl_once(warehouse_path, source)
    second = crawl_once(warehouse_path, source)
    assert (second.stats.new, second.stats.updated, second.stats.unchanged) == (1, 1, 1)
    assert _count(warehouse_path, "SELECT count(*) FROM articles") == 3
    assert _count(warehouse_path, "SELECT count(*) FROM article_versions") == 4


def _minmetals_listing(server: MockServer, **options: object) -> SourceConfig:
    """An html_listing source reading the MINMETALS-shaped listing served at /list/."""
    return loopback_source(
        server,
        kind="html_listing",
        listing_url=server.url("/list/"),
        item_selector="ul.news_list li",
        item_date_selector="span.date",
        body_selector="div.TRS_Editor",
        **options,
    )


def test_listing_daily_run_fetches_only_new_article_pages(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    article = fixture_text("minmetals_article.html")
    listing_v1 = fixture_text("minmetals_listing_2.html")
    listing_v2 = listing_v1.replace(
        '<ul class="news_list">',
        '<ul class="news_list"><li><a href="./202501/t20250105_900001.html">New</a>'
        '<span class="date">2025-01-05</span></li>',
    )
    mock_server.route("/list/", Reply(200, listing_v1), Reply(200, listing_v2))
    for path in ("202412/t20241220_899999", "202411/t20241102_899998", "202501/t20250105_900001"):
        mock_server.route(f"/list/{path}.html", Reply(200, article.replace("tungsten", path)))
    source = _minmetals_listing(mock_server, title_selector="h1.title")
    first = crawl_once(warehouse_path, source)
    assert first.stats.new == 2
    second = crawl_once(warehouse_path, source)
    assert second.stats.new == 1
    assert second.requests == 2  # the listing and the one new article
    assert mock_server.hits["/list/202412/t20241220_899999.html"] == 1
    cursor = _count(warehouse_path, "SELECT daily_cursor FROM sources")
    assert cursor == "2025-01-05T00:00:00"


def test_article_that_failed_is_fetched_again_next_run(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    """Neither the listing's hash nor the cursor may let a run forget an article that failed."""
    mock_server.route("/list/", Reply(200, fixture_text("minmetals_listing_2.html")))
    article = fixture_text("minmetals_article.html")
    mock_server.route("/list/202412/t20241220_899999.html", Reply(200, article))
    mock_server.route(
        "/list/202411/t20241102_899998.html",
        Reply(503, "busy"),
        Reply(200, article.replace("tungsten", "antimony")),
    )
    source = _minmetals_listing(mock_server, max_retries=0)
    first = crawl_once(warehouse_path, source)
    assert (first.stats.new, first.stats.quarantined) == (1, 1)
    assert _count(warehouse_path, "SELECT count(*) FROM fetch_state") == 0
    second = crawl_once(warehouse_path, source)
    assert second.stats.new == 1 and second.unchanged_documents == 0
    assert mock_server.hits["/list/202412/t20241220_899999.html"] == 1  # not fetched twice
    assert _count(warehouse_path, "SELECT daily_cursor FROM sources") == "2024-12-20T00:00:00"
    third = crawl_once(warehouse_path, source)
    assert third.unchanged_documents == 1 and third.requests == 1


def test_a_rechecked_page_that_fails_is_quarantined_and_holds_nothing_else_back(
    mock_server: MockServer, warehouse_path: Path
) -> None:
    """A fixed page list rechecked daily: one page is gone, the other unchanged. The gone one
    is a quarantine row (its article stays); the other's validators are still kept."""
    article = fixture_text("minmetals_article.html")
    mock_server.route("/pages/a.html", Reply(200, article), Reply(404, "gone"))
    mock_server.route("/pages/b.html", Reply(200, article.replace("tungsten", "antimony")))
    source = replace(
        loopback_source(
            mock_server,
            kind="pages",
            urls=[mock_server.url("/pages/a.html"), mock_server.url("/pages/b.html")],
            body_selector="div.TRS_Editor",
            title_selector="h1.title",
            max_retries=0,
        ),
        recheck_days=0,  # every stored page is due on every run
    )
    assert crawl_once(warehouse_path, source).stats.new == 2
    again = crawl_once(warehouse_path, source)
    assert (again.stats.new, again.stats.updated, again.stats.unchanged) == (0, 0, 1)
    assert _count(warehouse_path, "SELECT reason FROM quarantine") == "http_404"
    assert _count(warehouse_path, "SELECT count(*) FROM articles") == 2
    assert _count(warehouse_path, "SELECT url FROM fetch_state") == mock_server.url("/pages/b.html")

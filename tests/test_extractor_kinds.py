"""Every extractor kind's pure `parse()` on recorded shapes (no network)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from extractors.base import Window, extractor_for
from extractors.http import Fetcher
from extractors.registry import SourceConfig
from extractors.replay import write_response
from extractors.wordpress import api_url
from tests.mockserver import fixture_text, make_raw

BASE = "https://example.com"


def _source(kind: str, **options: object) -> SourceConfig:
    return SourceConfig(
        id="src",
        name="Source",
        kind=kind,
        base_url=BASE,
        origin_class="independent_news",
        allowed_domains=("example.com", "rareearthexchanges.com", "web.archive.org"),
        rate_limit=0.0,
        options=dict(options),
    )


def _urls(result) -> list[str]:
    return [r.url for r in result.follow]


# -- sitemap -------------------------------------------------------------------------------------


def test_sitemap_index_skips_children_unchanged_since_backfill_start() -> None:
    source = _source("sitemap")
    window = Window(since=datetime(2025, 1, 1, tzinfo=UTC), until=datetime(2025, 3, 1, tzinfo=UTC))
    [start] = extractor_for("sitemap").start(source, window)
    raw = make_raw(
        source, start.url, "sitemap", fixture_text("sitemap_index.xml", BASE), meta=start.meta
    )
    result = extractor_for("sitemap").parse(source, raw)
    assert _urls(result) == [f"{BASE}/news-sitemap.xml.gz"]


def test_gzip_news_sitemap_filtered_by_publication_date_and_pattern() -> None:
    source = _source("sitemap", url_pattern="/news/")
    window = Window(since=datetime(2025, 1, 1, tzinfo=UTC), until=datetime(2025, 2, 10, tzinfo=UTC))
    body = gzip.compress(fixture_text("sitemap_news.xml", BASE).encode(), mtime=0)
    raw = make_raw(
        source,
        f"{BASE}/news-sitemap.xml.gz",
        "sitemap",
        body,
        headers={"content-type": "application/x-gzip"},
        meta=window.as_meta(),
    )
    result = extractor_for("sitemap").parse(source, raw)
    # gallium (published 2025-02-10T06:00) is outside [since, until); /about/ fails the pattern
    assert _urls(result) == [f"{BASE}/news/antimony-prices/"]


def test_sitemap_daily_run_keeps_only_pages_after_cursor() -> None:
    source = _source("sitemap", url_pattern="/news/")
    window = Window(cursor="2025-01-20T00:00:00")
    raw = make_raw(
        source,
        f"{BASE}/s.xml",
        "sitemap",
        fixture_text("sitemap_news.xml", BASE),
        meta=window.as_meta(),
    )
    result = extractor_for("sitemap").parse(source, raw)
    assert _urls(result) == [f"{BASE}/news/gallium-controls/"]
    assert result.follow[0].meta["title"] == "Gallium controls tighten"
    assert result.cursor == "2025-02-10T06:00:00"


def test_unreadable_sitemap_is_a_problem() -> None:
    source = _source("sitemap")
    result = extractor_for("sitemap").parse(source, make_raw(source, BASE, "sitemap", "<urlset"))
    assert [p.reason for p in result.problems] == ["sitemap_unreadable"]


# -- html_listing --------------------------------------------------------------------------------

LISTING = {
    "listing_url": f"{BASE}/english/news/minmetalsnews/",
    "item_selector": "ul.news_list li",
    "item_date_selector": "span.date",
    "next_selector": "a.next",
    "url_pattern": r"/t\d{8}_\d+\.html$",
    "body_selector": "div.TRS_Editor",
    "title_selector": "h1.title",
    "date_selector": "div.info",
}


def _listing(page: str, window: Window, page_no: str = "1", **extra: object):
    source = _source("html_listing", **{**LISTING, **extra})
    url = f"{BASE}/english/news/minmetalsnews/"
    raw = make_raw(
        source, url, "listing", fixture_text(page), meta={**window.as_meta(), "page": page_no}
    )
    return extractor_for("html_listing").parse(source, raw)


def test_listing_items_dates_and_next_page_in_backfill() -> None:
    result = _listing(
        "minmetals_listing_1.html",
        Window(since=datetime(2025, 1, 1, tzinfo=UTC), until=datetime(2025, 2, 1, tzinfo=UTC)),
    )
    assert _urls(result) == [
        f"{BASE}/english/news/minmetalsnews/202501/t20250120_900002.html",
        f"{BASE}/english/news/minmetalsnews/202501/t20250105_900001.html",
        f"{BASE}/english/news/minmetalsnews/index_1.html",
    ]
    assert result.follow[-1].role == "listing" and result.follow[-1].meta["page"] == "2"


def test_listing_stops_paging_once_past_the_backfill_start() -> None:
    result = _listing("minmetals_listing_1.html", Window(since=datetime(2025, 1, 10, tzinfo=UTC)))
    assert all(r.role == "article" for r in result.follow)


def test_listing_daily_run_reads_new_items_only_and_sets_cursor() -> None:
    result = _listing("minmetals_listing_1.html", Window(cursor="2025-01-20T00:00:00"))
    assert _urls(result) == [f"{BASE}/english/news/minmetalsnews/202502/t20250210_900003.html"]
    assert result.cursor == "2025-02-10T00:00:00"


def test_listing_page_template_and_url_dates() -> None:
    result = _listing(
        "minmetals_listing_2.html",
        Window(since=datetime(2024, 1, 1, tzinfo=UTC)),
        page_no="2",
        next_selector=None,
        item_date_selector=None,
        page_url_template=f"{BASE}/english/news/minmetalsnews/index_{{page}}.html",
        url_date_pattern=r"t(?P<y>\d{4})(?P<m>\d\d)(?P<d>\d\d)_",
    )
    assert _urls(result)[-1] == f"{BASE}/english/news/minmetalsnews/index_2.html"
    assert result.cursor == "2024-12-20T00:00:00"


def test_listing_layout_change_is_reported() -> None:
    result = _listing("minmetals_listing_1.html", Window(), item_selector="div.gone li")
    assert [p.reason for p in result.problems] == ["listing_empty"]


def test_listing_article_page_read_with_selectors() -> None:
    source = _source("html_listing", **LISTING)
    url = f"{BASE}/english/news/minmetalsnews/202502/t20250210_900003.html"
    raw = make_raw(source, url, "article", fixture_text("minmetals_article.html"))
    [article] = extractor_for("html_listing").parse(source, raw).articles
    assert article.title == "China Minmetals signs tungsten supply pact"
    assert article.extraction_method == "selectors"
    assert article.published_at == datetime(2025, 2, 10, tzinfo=UTC)


# -- wayback -------------------------------------------------------------------------------------


def test_cdx_query_uses_half_open_window() -> None:
    source = _source("wayback", url="rareearthexchanges.com/news/")
    window = Window(since=datetime(2024, 1, 1, tzinfo=UTC), until=datetime(2024, 4, 1, tzinfo=UTC))
    [request] = extractor_for("wayback").start(source, window)
    query = parse_qs(urlsplit(request.url).query)
    assert query["from"] == ["20240101000000"] and query["to"] == ["20240331235959"]
    assert query["collapse"] == ["digest"] and "statuscode:200" in query["filter"]


def test_cdx_latest_capture_per_url_pattern_and_resume_key() -> None:
    source = _source("wayback", url="rareearthexchanges.com/", url_pattern="/news/")
    window = Window(since=datetime(2024, 1, 1, tzinfo=UTC))
    raw = make_raw(
        source,
        "http://web.archive.org/cdx/search/cdx?x",
        "cdx",
        fixture_text("cdx.json"),
        meta=window.as_meta(),
    )
    result = extractor_for("wayback").parse(source, raw)
    articles = [r for r in result.follow if r.role == "article"]
    assert [r.url for r in articles] == [
        "http://web.archive.org/web/20240210101010id_/https://rareearthexchanges.com/news/b/",
        "http://web.archive.org/web/20240301101010id_/https://rareearthexchanges.com/news/a/",
    ]
    [resume] = [r for r in result.follow if r.role == "cdx"]
    assert "resumeKey=" in resume.url


def test_capture_canonical_is_the_original_url() -> None:
    source = _source("wayback", url="rareearthexchanges.com/news/", body_selector=".entry-content")
    capture = "http://web.archive.org/web/20240105101010id_/https://rareearthexchanges.com/news/a/"
    raw = make_raw(
        source,
        capture,
        "article",
        fixture_text("post.html"),
        meta={"original_url": "https://rareearthexchanges.com/news/a/"},
    )
    [article] = extractor_for("wayback").parse(source, raw).articles
    assert article.url == "https://rareearthexchanges.com/news/a/"
    assert article.published_at == datetime(2024, 1, 5, 4, 0, tzinfo=UTC)  # -07:00 to UTC


# -- warc_import ---------------------------------------------------------------------------------


def test_warc_import_reads_html_records_of_allowed_domains(tmp_path: Path) -> None:
    warc = tmp_path / "mine.warc.gz"
    page = fixture_text("post.html").encode()
    html = [("Content-Type", "text/html; charset=utf-8")]
    write_response(warc, "https://rareearthexchanges.com/news/a/", 200, html, page)
    write_response(
        warc,
        "https://rareearthexchanges.com/logo.png",
        200,
        [("Content-Type", "image/png")],
        b"\x89PNG",
    )
    write_response(warc, "https://elsewhere.example/x", 200, html, page)
    source = _source("warc_import", paths=[str(warc)], body_selector=".entry-content")
    requests = extractor_for("warc_import").start(source, Window())
    assert [r.url for r in requests] == ["https://rareearthexchanges.com/news/a/"]
    fetcher = Fetcher(httpx.MockTransport(lambda r: pytest.fail("network used")), "run")
    raw = fetcher.fetch(source, requests[0])
    assert raw.status == 200 and raw.body == page
    [article] = extractor_for("warc_import").parse(source, raw).articles
    assert article.url == "https://rareearthexchanges.com/news/a/"


# -- wordpress and rss ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 404])
def test_wordpress_falls_back_to_feed(status: int) -> None:
    source = _source("wordpress", feed_url=f"{BASE}/feed/")
    raw = make_raw(source, api_url(BASE), "api_page", "{}", status=status)
    result = extractor_for("wordpress").parse(source, raw)
    assert [(r.url, r.role) for r in result.follow] == [(f"{BASE}/feed/", "feed")]


def test_wordpress_window_parameters_and_pagination() -> None:
    source = _source("wordpress", per_page=100)
    window = Window(since=datetime(2024, 1, 1, tzinfo=UTC), until=datetime(2024, 2, 1, tzinfo=UTC))
    [first] = extractor_for("wordpress").start(source, window)
    query = parse_qs(urlsplit(first.url).query)
    assert query["after"] == ["2024-01-01T00:00:00"] and query["before"] == ["2024-02-01T00:00:00"]
    assert query["per_page"] == ["100"]
    posts = [
        {
            "id": 1,
            "link": f"{BASE}/news/a/",
            "title": {"rendered": "A &amp; B"},
            "content": {"rendered": "<p>x</p>"},
            "date_gmt": "2024-01-02T00:00:00",
            "modified_gmt": "2024-01-03T00:00:00",
        }
    ]
    raw = make_raw(
        source,
        first.url,
        "api_page",
        json.dumps(posts),
        headers={"x-wp-totalpages": "3"},
        meta=first.meta,
    )
    result = extractor_for("wordpress").parse(source, raw)
    assert result.articles[0].title == "A & B"
    [nxt] = result.follow
    assert parse_qs(urlsplit(nxt.url).query)["page"] == ["2"] and "after" in nxt.meta
    daily = extractor_for("wordpress").start(source, Window(cursor="2024-01-03T00:00:00"))
    assert parse_qs(urlsplit(daily[0].url).query)["modified_after"] == ["2024-01-03T00:00:00"]


def test_feed_short_links_are_fetched_to_find_the_permalink() -> None:
    source = _source("rss")
    feed = f"""<?xml version="1.0"?><rss version="2.0"
      xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
      <item><title>Short</title><link>{BASE}/?p=101</link>
        <content:encoded><![CDATA[<p>full</p>]]></content:encoded></item>
      <item><title>Long</title><link>{BASE}/news/b/</link>
        <content:encoded><![CDATA[<p>full</p>]]></content:encoded></item>
    </channel></rss>"""
    raw = make_raw(
        source, f"{BASE}/feed/", "feed", feed, headers={"content-type": "application/rss+xml"}
    )
    result = extractor_for("rss").parse(source, raw)
    assert [a.url for a in result.articles] == [f"{BASE}/news/b/"]
    assert [(r.url, r.role) for r in result.follow] == [(f"{BASE}/?p=101", "article")]
    page = make_raw(source, f"{BASE}/news/a/", "article", fixture_text("post.html"))
    [article] = extractor_for("rss").parse(source, page).articles
    assert article.url == "https://rareearthexchanges.com/news/a/"  # rel=canonical


def test_wrong_charset_declaration_is_overridden() -> None:
    source = _source("pages", body_selector="div.body", title_selector="h1")
    html = "<html><body><h1>稀土出口管制 — “rules”</h1><div class='body'><p>镓、锗</p></div>"
    raw = make_raw(
        source,
        f"{BASE}/a.html",
        "article",
        html.encode("utf-8"),
        headers={"content-type": "text/html; charset=iso-8859-1"},
    )
    [article] = extractor_for("pages").parse(source, raw).articles
    assert article.title == "稀土出口管制 — “rules”"

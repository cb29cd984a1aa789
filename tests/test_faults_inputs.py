"""Hostile inputs through the whole pipeline: each ends as a correct article or a quarantine row.

Every case is a replayed response (written with extractors.replay.write_response into a WARC in
tmp_path) crawled by the real engine (flows.crawl.crawl_source) into a real warehouse. The run
must finish; nothing may vanish silently.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.base import Window, kinds
from extractors.http import Fetcher, build_transport
from extractors.registry import SourceConfig, parse_sources
from extractors.replay import write_response
from flows.crawl import CrawlContext, crawl_source
from warehouse import db
from warehouse.runs import register_sources

HOST = "https://hostile.test"
HTML = [("Content-Type", "text/html; charset=utf-8")]
PARAGRAPH = (
    "China Northern Rare Earth said on Monday that it would raise output of praseodymium and "
    "neodymium oxide by 12 percent next year, according to a company statement."
)


def page(body_html: str, *, date: str = "2025-06-01", title: str = "A headline") -> str:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f'<span class="date">{date}</span><div class="body">{body_html}</div></body></html>'
    )


def source_config(kind: str, **options: object) -> SourceConfig:
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in options.items()]
    text = (
        f'[[source]]\nid = "hostile"\nname = "hostile"\nkind = "{kind}"\n'
        f'base_url = "{HOST}"\norigin_class = "independent_news"\nrate_limit = 0.0\n'
        "[source.options]\n" + "\n".join(lines) + "\n"
    )
    return parse_sources(text)[0]


class Site:
    """A replayed site: responses go into a WARC, then one source is crawled from it."""

    def __init__(self, tmp_path: Path) -> None:
        self.warc = tmp_path / "site.warc.gz"
        self.db_path = tmp_path / "w.duckdb"
        write_response(self.warc, f"{HOST}/robots.txt", 200, [], b"User-agent: *\nAllow: /\n")

    def serve(self, path: str, body: bytes, headers=HTML, status: int = 200) -> str:
        url = f"{HOST}{path}"
        write_response(self.warc, url, status, headers, body)
        return url

    def crawl(self, source: SourceConfig) -> dict[str, object]:
        with db.writer(self.db_path) as con:
            register_sources(con, [source])
        fetcher = Fetcher(build_transport([self.warc]), "hostile-run")
        ctx = CrawlContext(self.db_path, fetcher, "hostile-run", "test")
        try:
            crawl_source(ctx, source, Window())
        finally:
            fetcher.close()
        with db.connect(self.db_path, read_only=True) as con:
            articles = {
                r[0]: {"title": r[1], "body": r[2], "published_at": r[3]}
                for r in con.execute(
                    "SELECT url, title, body_text, published_at FROM articles"
                ).fetchall()
            }
            quarantine = {}
            for url, reason in con.execute("SELECT url, reason FROM quarantine").fetchall():
                quarantine.setdefault(url, []).append(reason)
        return {"articles": articles, "quarantine": quarantine}


def pages_source(urls: list[str]) -> SourceConfig:
    return source_config(
        "pages",
        urls=urls,
        title_selector="h1",
        body_selector=".body",
        date_selector=".date",
    )


def accounted_for(result: dict, url: str) -> bool:
    """An input is accounted for when it is an article or has a quarantine reason."""
    return url in result["articles"] or bool(result["quarantine"].get(url))


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


def test_malformed_and_truncated_html_become_articles(site: Site) -> None:
    malformed = site.serve(
        "/malformed", page(f"<p>{PARAGRAPH}<p><b>Unclosed <i>tags</div></span><p>More.").encode()
    )
    full = page(f"<p>{PARAGRAPH}</p><p>Second paragraph that is cut off half").encode()
    truncated = site.serve("/truncated", full[: full.index(b"cut off") + 7])
    result = site.crawl(pages_source([malformed, truncated]))
    for url in (malformed, truncated):
        assert url in result["articles"], result["quarantine"]
        assert "praseodymium" in result["articles"][url]["body"]


def test_fifty_megabyte_page_is_quarantined_not_parsed(site: Site) -> None:
    huge = page(f"<p>{PARAGRAPH}</p>" * 320_000).encode()
    assert len(huge) > 50 * 2**20
    url = site.serve("/huge", huge)
    small = site.serve("/small", page(f"<p>{PARAGRAPH}</p>").encode())
    result = site.crawl(pages_source([url, small]))
    assert url not in result["articles"]
    assert result["quarantine"][url] == ["body_too_large"]
    assert small in result["articles"]


def test_binary_served_as_html_is_quarantined(site: Site) -> None:
    noise = random.Random(6).randbytes(200_000)
    url = site.serve("/binary", noise)
    result = site.crawl(pages_source([url]))
    assert url not in result["articles"]
    assert result["quarantine"].get(url), "binary body must leave a quarantine reason"


def test_invalid_utf8_keeps_the_valid_text(site: Site) -> None:
    body = page(f"<p>{PARAGRAPH}</p><p>Broken \xff\xfe bytes here.</p>").encode("latin-1")
    url = site.serve("/invalid-utf8", body)
    result = site.crawl(pages_source([url]))
    assert url in result["articles"], result["quarantine"]
    assert "praseodymium" in result["articles"][url]["body"]


def test_mixed_encodings_in_one_page(site: Site) -> None:
    utf8 = f"<p>{PARAGRAPH} 稀土</p>".encode()
    gbk = "<p>中国北方稀土集团表示产量将增加。</p>".encode("gb18030")
    url = site.serve("/mixed", page("").encode().replace(b"</div>", utf8 + gbk + b"</div>"))
    result = site.crawl(pages_source([url]))
    assert url in result["articles"], result["quarantine"]
    assert "praseodymium" in result["articles"][url]["body"]


def test_zero_length_body_is_quarantined(site: Site) -> None:
    url = site.serve("/empty", b"")
    result = site.crawl(pages_source([url]))
    assert url not in result["articles"]
    assert result["quarantine"][url] == ["empty_body"]


@pytest.mark.parametrize("date", ["2999-01-01", "0001-01-01"])
def test_implausible_dates_are_not_stored_as_publication_dates(site: Site, date: str) -> None:
    url = site.serve("/dated", page(f"<p>{PARAGRAPH}</p>", date=date).encode())
    result = site.crawl(pages_source([url]))
    assert accounted_for(result, url)
    stored = result["articles"].get(url, {}).get("published_at")
    assert stored is None or datetime(1990, 1, 1, tzinfo=UTC) <= stored <= datetime.now(UTC)
    assert result["quarantine"][url] == ["implausible_date"]


def test_dates_in_the_future_or_far_past_do_not_stop_the_run(site: Site) -> None:
    future = site.serve("/future", page(f"<p>{PARAGRAPH}</p>", date="2999-01-01").encode())
    past = site.serve("/past", page(f"<p>{PARAGRAPH}</p>", date="0001-01-01").encode())
    garbage = site.serve("/garbage", page(f"<p>{PARAGRAPH}</p>", date="32/13/-5").encode())
    result = site.crawl(pages_source([future, past, garbage]))
    for url in (future, past, garbage):
        assert accounted_for(result, url)
    assert result["articles"][garbage]["published_at"] is None


BOMB_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lololololololololololol">\n'
    + "\n".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "\n]>\n"
)


def test_entity_bomb_in_a_feed_finishes_quickly_and_is_accounted_for(site: Site) -> None:
    feed = (
        BOMB_DTD + '<rss version="2.0"><channel><title>&lol9;</title>'
        f"<item><title>x</title><link>{HOST}/a</link><description>&lol9;</description></item>"
        "</channel></rss>"
    ).encode()
    url = site.serve("/feed", feed, [("Content-Type", "application/rss+xml")])
    site.serve("/a", page(f"<p>{PARAGRAPH}</p>").encode())
    started = datetime.now(UTC)
    result = site.crawl(source_config("rss", feed_url=url, body_selector=".body"))
    assert (datetime.now(UTC) - started).total_seconds() < 30
    bodies = " ".join(a["body"] for a in result["articles"].values())
    assert "lolololololololololol" * 50 not in bodies, "entities must not be expanded"
    assert result["articles"] or result["quarantine"]


@pytest.mark.skipif("sitemap" not in kinds(), reason="no sitemap kind yet")
def test_entity_bomb_in_a_sitemap_finishes_quickly(site: Site) -> None:
    sitemap = (
        BOMB_DTD + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{HOST}/a</loc><lastmod>&lol9;</lastmod></url></urlset>"
    ).encode()
    url = site.serve("/sitemap.xml", sitemap, [("Content-Type", "application/xml")])
    site.serve("/a", page(f"<p>{PARAGRAPH}</p>").encode())
    started = datetime.now(UTC)
    result = site.crawl(source_config("sitemap", sitemap_url=url, body_selector=".body"))
    assert (datetime.now(UTC) - started).total_seconds() < 30
    assert accounted_for(result, url) or result["articles"]


def test_duplicate_guids_with_different_content_give_one_article(site: Site) -> None:
    item = (
        "<item><title>{title}</title><link>{HOST}/same</link><guid>{HOST}/?p=1</guid>"
        "<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        + item.format(title="First", HOST=HOST, text=PARAGRAPH)
        + item.format(title="Second", HOST=HOST, text=PARAGRAPH.replace("12", "15"))
        + "</channel></rss>"
    ).encode()
    url = site.serve("/feed", feed, [("Content-Type", "application/rss+xml")])
    result = site.crawl(source_config("rss", feed_url=url))
    assert list(result["articles"]) == [f"{HOST}/same"]


@pytest.mark.parametrize(
    "body",
    [b"", b"[{", b'{"not": "a list"}', b"<html>maintenance</html>", b'[{"id": 1}]'],
    ids=["empty", "truncated", "object", "html", "post-without-fields"],
)
def test_broken_wordpress_api_pages_are_quarantined(site: Site, body: bytes) -> None:
    source = source_config("wordpress", per_page=100)
    from extractors.wordpress import api_url

    url = site.serve(
        api_url(HOST, page=1, per_page=100).removeprefix(HOST),
        body,
        [("Content-Type", "application/json"), ("X-WP-TotalPages", "1")],
    )
    result = site.crawl(source)
    assert not result["articles"]
    assert result["quarantine"].get(url), result

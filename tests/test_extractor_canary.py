"""The canary tells which sources broke, offline against the loopback server."""

from __future__ import annotations

import httpx

from extractors.http import Fetcher
from flows.canary import canary_rows, run_canary
from tests.mockserver import MockServer, Reply, fixture_text, loopback_source, mock_server, rss_feed

__all__ = ["mock_server"]


def test_canary_verdicts(mock_server: MockServer) -> None:
    base = mock_server.base
    mock_server.route("/ok/feed", Reply(200, rss_feed(base, [("a", "Alpha", "Text.")])))
    mock_server.route("/blocked/feed", Reply(403, "Forbidden"))
    mock_server.route("/dead/feed", Reply(404))
    mock_server.route("/list/", Reply(200, fixture_text("minmetals_listing_1.html")))
    mock_server.route(
        "/list/202502/t20250210_900003.html", Reply(200, fixture_text("minmetals_article.html"))
    )
    mock_server.route("/wp-json/wp/v2/posts", Reply(404))
    mock_server.route("/wpfeed/", Reply(200, rss_feed(base, [("w", "WP post", "Text.")])))
    listing = {
        "listing_url": mock_server.url("/list/"),
        "item_selector": "ul.news_list li",
        "body_selector": "div.TRS_Editor",
    }

    def source(name: str, kind: str = "rss", **options: object):
        config = loopback_source(mock_server, kind, **options)
        return type(config)(**{**config.__dict__, "id": name, "options": config.options})

    sources = [
        source("ok", feed_url=mock_server.url("/ok/feed")),
        source("blocked", feed_url=mock_server.url("/blocked/feed")),
        source("dead", feed_url=mock_server.url("/dead/feed"), max_retries=0),
        source("listing", "html_listing", **listing),
        source("relayout", "html_listing", **{**listing, "item_selector": "table.old td"}),
        source("selector", "html_listing", **{**listing, "body_selector": "div.gone"}),
        source("wp", "wordpress", feed_url=mock_server.url("/wpfeed/")),
    ]
    fetcher = Fetcher(httpx.HTTPTransport(), "canary", sleep=lambda _: None)
    results = run_canary(fetcher, sources)
    verdicts = {r.source_id: r.verdict for r in results}
    assert verdicts == {
        "ok": "ok",
        "blocked": "blocked",
        "dead": "dead",
        "listing": "ok",
        "relayout": "layout_changed",
        "selector": "fallback",
        "wp": "ok",
    }
    wp = next(r for r in results if r.source_id == "wp")
    assert wp.requests == 2  # API 404, then the feed
    columns, rows = canary_rows(results)
    assert columns[2] == "verdict" and len(rows) == len(sources)

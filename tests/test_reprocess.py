"""Reprocess rebuilds articles and claims from archived documents, with no network."""

from __future__ import annotations

from pathlib import Path

from flows.reprocess import run_reprocess
from tests.mockserver import (
    MockServer,
    Reply,
    crawl_once,
    fixture_text,
    loopback_source,
    mock_server,
    rss_feed,
)
from warehouse import db

__all__ = ["mock_server"]


def _snapshot(path: Path) -> tuple:
    with db.connect(path, read_only=True) as con:
        articles = con.execute("SELECT article_id, version_id FROM articles ORDER BY 1").fetchall()
        claims = con.execute("SELECT count(*) FROM claims").fetchall()[0][0]
    return articles, claims


def test_reprocess_rebuilds_everything_offline(mock_server: MockServer, tmp_path: Path) -> None:
    mock_server.route("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n"))
    mock_server.route(
        "/feed/",
        Reply(
            200,
            rss_feed(
                mock_server.base,
                [("a", "A", "China Minmetals said output rose 12 percent in 2024.")],
            ).replace(
                "</channel>",
                f"<item><title>B</title><link>{mock_server.base}/b</link></item></channel>",
            ),
        ),
    )
    mock_server.route("/b", Reply(200, fixture_text("minmetals_article.html")))
    source = loopback_source(mock_server, feed_url=mock_server.url("/feed/"))
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[[source]]\nid = "mock"\nname = "Mock"\nkind = "rss"\nbase_url = "{mock_server.base}"\n'
        'origin_class = "independent_news"\nallowed_domains = ["127.0.0.1"]\n'
        "allow_private_network = true\n[source.options]\n"
        f'feed_url = "{source.options["feed_url"]}"\n',
        encoding="utf-8",
    )
    db_path = tmp_path / "w.duckdb"
    crawl_once(db_path, source)
    before = _snapshot(db_path)
    assert len(before[0]) == 2 and before[1] > 0
    hits = sum(mock_server.hits.values())
    with db.writer(db_path) as con:
        con.execute("DELETE FROM claims")
        con.execute("DELETE FROM articles")

    summary = run_reprocess(config, db_path)

    assert sum(mock_server.hits.values()) == hits  # not one request
    assert _snapshot(db_path) == before
    assert summary.status == "succeeded" and summary.new == 2 and summary.quarantined == 0

"""Backfills: half-open ranges, the daily cursor untouched, killed midway and resumed exactly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from extractors.http import Fetcher
from extractors.wordpress import api_url
from flows.backfill import BackfillRequest, run_backfill
from tests.mockserver import MockServer, Reply, mock_server
from warehouse import db

__all__ = ["mock_server"]

SINCE = datetime(2025, 1, 1, tzinfo=UTC)
UNTIL = datetime(2025, 4, 1, tzinfo=UTC)


class KilledAfter(Fetcher):
    """A client that dies (like a crash or Ctrl-C) on its (n+1)th fetch."""

    def __init__(self, pages: int) -> None:
        super().__init__(httpx.HTTPTransport(), "run-killed", sleep=lambda _: None)
        self.pages = pages

    def fetch(self, source, request, conditional=None):
        if self.pages == 0:
            raise KeyboardInterrupt("simulated kill")
        self.pages -= 1
        return super().fetch(source, request, conditional)


def _posts(base: str, first: int) -> list[dict]:
    return [
        {
            "id": n,
            "link": f"{base}/news/post-{n}/",
            "title": {"rendered": f"Post {n}"},
            "content": {"rendered": f"<p>China Minmetals reported result number {n}.</p>"},
            "date_gmt": f"2025-0{1 + (n - 1) // 2}-1{n}T08:00:00",
            "modified_gmt": f"2025-0{1 + (n - 1) // 2}-1{n}T09:00:00",
        }
        for n in (first, first + 1)
    ]


def _serve_wordpress(server: MockServer) -> list[str]:
    paths = []
    for page in (1, 2, 3):
        url = api_url(
            server.base,
            page=page,
            per_page=2,
            after=SINCE.strftime("%Y-%m-%dT%H:%M:%S"),
            before=UNTIL.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}"
        body = json.dumps(_posts(server.base, 2 * page - 1))
        server.route(path, Reply(200, body, {"X-WP-TotalPages": "3", "X-WP-Total": "6"}))
        paths.append(path)
    return paths


def _config(tmp_path: Path, server: MockServer) -> Path:
    config = tmp_path / "sources.toml"
    config.write_text(
        f"""
[[source]]
id = "wp"
name = "WordPress on loopback"
kind = "wordpress"
base_url = "{server.base}"
origin_class = "newsletter"
allowed_domains = ["127.0.0.1"]
rate_limit = 0.0
allow_private_network = true

[source.options]
per_page = 2
backoff = 0.01
""",
        encoding="utf-8",
    )
    return config


def _state(path: Path) -> tuple:
    with db.connect(path, read_only=True) as con:
        articles = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchall()[0]
        versions = con.execute("SELECT count(*) FROM article_versions").fetchall()[0][0]
        cursor = con.execute("SELECT daily_cursor FROM sources").fetchall()[0][0]
        checkpoint = con.execute("SELECT status, pages FROM backfill_checkpoints").fetchall()
        urls = sorted(r[0] for r in con.execute("SELECT url FROM articles").fetchall())
    return articles, versions, cursor, checkpoint, urls


def test_backfill_killed_midway_resumes_without_duplicates_or_gaps(
    mock_server: MockServer, tmp_path: Path
) -> None:
    pages = _serve_wordpress(mock_server)
    request = BackfillRequest(_config(tmp_path, mock_server), tmp_path / "w.duckdb", SINCE, UNTIL)

    with pytest.raises(KeyboardInterrupt):
        run_backfill(request, fetcher=KilledAfter(pages=2))
    (count, _), _, _, checkpoint, _ = _state(request.db_path)
    assert count == 4 and checkpoint == [("running", 2)]

    resumed = run_backfill(request)
    assert [mock_server.hits[p] for p in pages] == [1, 1, 1]  # nothing fetched twice
    assert resumed.new == 2
    articles, versions, cursor, checkpoint, urls = _state(request.db_path)
    assert articles == (6, 6) and versions == 6
    assert cursor is None  # a backfill never moves the daily cursor
    assert checkpoint == [("done", 3)]

    again = run_backfill(request)
    assert again.requests == 0 and [mock_server.hits[p] for p in pages] == [1, 1, 1]

    straight = BackfillRequest(request.config, tmp_path / "straight.duckdb", SINCE, UNTIL)
    run_backfill(straight)
    assert _state(straight.db_path)[4] == urls  # same articles as an uninterrupted backfill


def test_backfill_run_is_recorded_as_failed_then_succeeded(
    mock_server: MockServer, tmp_path: Path
) -> None:
    _serve_wordpress(mock_server)
    request = BackfillRequest(_config(tmp_path, mock_server), tmp_path / "w.duckdb", SINCE, UNTIL)
    with pytest.raises(KeyboardInterrupt):
        run_backfill(request, fetcher=KilledAfter(pages=1))
    run_backfill(request)
    with db.connect(request.db_path, read_only=True) as con:
        runs = con.execute("SELECT run_kind, status FROM runs ORDER BY started_at").fetchall()
        error = con.execute("SELECT error FROM runs WHERE status = 'failed'").fetchall()[0][0]
    assert runs == [("backfill", "failed"), ("backfill", "succeeded")]
    assert "resume" in error


@pytest.mark.slow
def test_backfill_flow_partition_takes_iso_dates(
    prefect_harness: None, mock_server: MockServer, tmp_path: Path
) -> None:
    from flows.daily import backfill_flow

    pages = _serve_wordpress(mock_server)
    config, db_path = _config(tmp_path, mock_server), tmp_path / "w.duckdb"
    summary = backfill_flow(config, db_path, since="2025-01-01", until="2025-04-01T00:00:00")
    assert summary.status == "succeeded" and summary.new == 6
    assert [mock_server.hits[p] for p in pages] == [1, 1, 1]


@pytest.mark.slow
def test_backfill_killed_with_sigkill_resumes(mock_server: MockServer, tmp_path: Path) -> None:
    """A real `kill -9` while the third page is in flight: the two committed pages survive."""
    pages = _serve_wordpress(mock_server)
    third = mock_server.routes[pages[2]][0]
    mock_server.route(pages[2], Reply(third.status, third.body, third.headers, delay=30))
    request = BackfillRequest(_config(tmp_path, mock_server), tmp_path / "w.duckdb", SINCE, UNTIL)
    script = (
        "import sys; from datetime import datetime; from pathlib import Path;"
        "from flows.backfill import BackfillRequest, run_backfill;"
        "run_backfill(BackfillRequest(Path(sys.argv[1]), Path(sys.argv[2]),"
        " datetime.fromisoformat(sys.argv[3]), datetime.fromisoformat(sys.argv[4])))"
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            str(request.config),
            str(request.db_path),
            SINCE.isoformat(),
            UNTIL.isoformat(),
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 60
        while mock_server.hits[pages[2]] == 0 and time.monotonic() < deadline:
            assert child.poll() is None, "the backfill ended before it could be killed"
            time.sleep(0.05)
        assert mock_server.hits[pages[2]] == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    (count, _), _, _, checkpoint, _ = _state(request.db_path)
    assert count == 4 and checkpoint == [("running", 2)]

    mock_server.route(pages[2], third)
    run_backfill(request)
    articles, versions, cursor, checkpoint, _ = _state(request.db_path)
    assert articles == (6, 6) and versions == 6 and cursor is None
    assert checkpoint == [("done", 3)]
    assert [mock_server.hits[p] for p in pages] == [1, 1, 2]  # only the page in flight again

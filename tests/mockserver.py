"""A loopback HTTP server for the fetching tests, with scripted answers and failure modes.

Like scrapy's tests/mockserver: real sockets, so timeouts, redirects, chunked bodies and gzip
behave as on the web, but only on 127.0.0.1 and bounded in time. Each path answers from a list
of `Reply`s in turn (the last repeats), so "500 then success" is `[Reply(500), Reply(200, …)]`.
Fixtures are defined here and imported by the test modules that use them.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from extractors.base import Window
from extractors.http import Fetcher
from extractors.registry import SourceConfig
from flows.crawl import CrawlContext, SourceResult, crawl_source
from transforms.model import FetchRequest, RawDocument, stable_id
from warehouse import db
from warehouse.fetch_state import recent_robots
from warehouse.runs import register_sources


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (for timeouts)."""
    chunked: bool = False
    """Send without Content-Length (so only the streamed byte count can catch a large body)."""
    when: Callable[[dict[str, str]], bool] | None = None
    """Answer whenever this accepts the request headers (e.g. a matching If-None-Match);
    replies without it answer in turn."""


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


class MockServer:
    """Routes by path (query included); records every request path and its headers."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self._served: Counter[str] = Counter()
        self.request_headers: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.hits[path] += 1
        self.request_headers.append((path, headers))
        replies = self.routes.get(path) or self.routes.get(urlsplit(path).path)
        matching = [r for r in replies or [] if r.when is not None and r.when(headers)]
        in_turn = [r for r in replies or [] if r.when is None]
        if matching:
            reply = matching[0]
        elif in_turn:
            reply = in_turn[min(self._served[path], len(in_turn) - 1)]
            self._served[path] += 1
        else:
            reply = Reply(404, b"not found")
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.chunked:
                handler.send_header("Connection", "close")
            else:
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            if reply.chunked:
                handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            return

    def __enter__(self) -> MockServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def mock_server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


def loopback_source(server: MockServer, kind: str = "rss", **options: object) -> SourceConfig:
    """A source on the mock server: loopback allowed, no pacing, tiny retry waits."""
    return SourceConfig(
        id="mock",
        name="Mock source",
        kind=kind,
        base_url=server.base,
        origin_class="independent_news",
        allowed_domains=("127.0.0.1",),
        rate_limit=0.0,
        allow_private_network=True,
        options={"backoff": 0.01, "read_timeout": 2.0, "max_retries": 2, **options},
    )


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with db.writer(path):
        pass
    return path


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fetch"


def fixture_text(name: str, base: str = "") -> str:
    """A recorded fixture, with its `BASE` placeholder pointed at `base`."""
    return (FIXTURES / name).read_text(encoding="utf-8").replace("BASE", base)


def make_raw(
    source: SourceConfig,
    url: str,
    role: str,
    body: bytes | str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    meta: dict[str, str] | None = None,
) -> RawDocument:
    """A raw document as the fetcher would archive it (for testing pure `parse()` calls)."""
    data = body.encode() if isinstance(body, str) else body
    sha = hashlib.sha256(data).hexdigest()
    return RawDocument(
        raw_id=stable_id(url, str(status), sha),
        source_id=source.id,
        run_id="run-test",
        request=FetchRequest(source.id, url, role, meta or {}),
        final_url=url,
        status=status,
        headers=headers or {"content-type": "text/html; charset=utf-8"},
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        body=data,
        sha256=sha,
    )


def crawl_once(
    db_path: Path,
    source: SourceConfig,
    window: Window | None = None,
    fetcher: Fetcher | None = None,
    run_id: str = "run-test",
) -> SourceResult:
    """One crawl of one source, as a run would do it, without Prefect."""
    with db.writer(db_path) as con:
        register_sources(con, [source])
        robots = recent_robots(con)
    own = fetcher is None
    fetcher = fetcher or Fetcher(
        httpx.HTTPTransport(), run_id, sleep=lambda _: None, known_robots=robots
    )
    try:
        return crawl_source(
            CrawlContext(db_path, fetcher, run_id, "test"), source, window or Window()
        )
    finally:
        if own:
            fetcher.close()


def rss_feed(base: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed with full content: items are (slug, title, paragraph)."""
    entries = "".join(
        f"<item><title>{title}</title><link>{base}/news/{slug}/</link>"
        f"<pubDate>Mon, 10 Feb 2025 06:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        for slug, title, text in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Mock</title>'
        f"{entries}</channel></rss>"
    )

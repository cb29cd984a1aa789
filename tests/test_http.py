"""The polite client against a loopback server: every failure is a document with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

from extractors.http import Fetcher, retry_after_seconds
from extractors.politeness import HostThrottle, private_address
from extractors.registry import SourceConfig
from extractors.replay import RecordingTransport, ReplayTransport, read_archive, write_response
from tests.mockserver import MockServer, Reply, gzipped, loopback_source, mock_server
from transforms.model import FetchRequest

__all__ = ["mock_server"]


def _fetcher(transport: httpx.BaseTransport | None = None, **kwargs) -> tuple[Fetcher, list]:
    waits: list[float] = []
    fetcher = Fetcher(transport or httpx.HTTPTransport(), "run-test", sleep=waits.append, **kwargs)
    return fetcher, waits


def _get(server: MockServer, path: str, **options: object):
    fetcher, waits = _fetcher()
    source = loopback_source(server, **options)
    raw = fetcher.fetch(source, FetchRequest(source.id, server.url(path), "feed"))
    return raw, waits, fetcher


def test_429_honours_retry_after_then_succeeds(mock_server: MockServer) -> None:
    mock_server.route("/feed", Reply(429, headers={"Retry-After": "7"}), Reply(200, "ok"))
    raw, waits, fetcher = _get(mock_server, "/feed")
    assert (raw.status, raw.body, raw.error) == (200, b"ok", None)
    assert waits == [7.0]
    assert raw.request.meta["attempts"] == "2"
    assert fetcher.reasons["retry/http_429"] == 1


def test_retry_after_beyond_the_cap_is_not_waited_for(mock_server: MockServer) -> None:
    mock_server.route("/feed", Reply(429, headers={"Retry-After": "3600"}))
    raw, waits, _ = _get(mock_server, "/feed", max_retry_after=60)
    assert raw.error == "http_429"
    assert waits == []


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30)), now) == 30.0
    assert retry_after_seconds("soon", now) is None


def test_500_then_success_backs_off_exponentially(mock_server: MockServer) -> None:
    mock_server.route("/feed", Reply(500), Reply(503), Reply(200, "fine"))
    raw, waits, _ = _get(mock_server, "/feed", backoff=0.01)
    assert raw.status == 200 and raw.body == b"fine"
    assert waits == [0.01, 0.02]


def test_persistent_500_gives_up_with_a_reason(mock_server: MockServer) -> None:
    mock_server.route("/feed", Reply(500, "down"))
    raw, waits, _ = _get(mock_server, "/feed", max_retries=1)
    assert raw.error == "http_500" and raw.body == b"down"
    assert len(waits) == 1 and mock_server.hits["/feed"] == 2


def test_timeout_is_a_reason_code(mock_server: MockServer) -> None:
    mock_server.route("/slow", Reply(200, "late", delay=0.5))
    raw, _, _ = _get(mock_server, "/slow", read_timeout=0.1, max_retries=0)
    assert raw.status == 0 and raw.error == "timeout"


def test_redirect_loop(mock_server: MockServer) -> None:
    mock_server.route("/a", Reply(302, headers={"Location": "/b"}))
    mock_server.route("/b", Reply(301, headers={"Location": "/a"}))
    raw, _, _ = _get(mock_server, "/a")
    assert raw.error == "redirect_loop"


def test_too_many_redirects(mock_server: MockServer) -> None:
    for n in range(10):
        mock_server.route(f"/r{n}", Reply(302, headers={"Location": f"/r{n + 1}"}))
    raw, _, _ = _get(mock_server, "/r0", max_redirects=3)
    assert raw.error == "too_many_redirects"


def test_redirect_is_followed_and_final_url_kept(mock_server: MockServer) -> None:
    mock_server.route("/?p=7", Reply(301, headers={"Location": "/news/post/"}))
    mock_server.route("/news/post/", Reply(200, "post"))
    raw, _, _ = _get(mock_server, "/?p=7")
    assert raw.final_url == mock_server.url("/news/post/") and raw.body == b"post"
    assert raw.request.url == mock_server.url("/?p=7")


def test_oversized_body_declared_and_streamed(mock_server: MockServer) -> None:
    mock_server.route("/big", Reply(200, b"x" * 5000))
    mock_server.route("/big-chunked", Reply(200, b"x" * 50_000, chunked=True))
    declared, _, _ = _get(mock_server, "/big", max_body_bytes=1000)
    streamed, _, _ = _get(mock_server, "/big-chunked", max_body_bytes=1000)
    assert declared.error == streamed.error == "body_too_large"
    assert declared.body == streamed.body == b""


def test_gzip_bomb_is_stopped(mock_server: MockServer) -> None:
    bomb = gzipped(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    mock_server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    raw, _, _ = _get(mock_server, "/bomb", max_decompressed_bytes=100_000)
    assert raw.error == "decompression_bomb"


def test_gzip_body_is_stored_decompressed(mock_server: MockServer) -> None:
    mock_server.route("/z", Reply(200, gzipped(b"hello " * 100), {"Content-Encoding": "gzip"}))
    raw, _, _ = _get(mock_server, "/z")
    assert raw.body == b"hello " * 100 and "content-encoding" not in raw.headers


def test_robots_disallow_and_robots_fetched_once_and_archived(mock_server: MockServer) -> None:
    mock_server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\n"))
    mock_server.route("/private/x", Reply(200, "secret"))
    mock_server.route("/public", Reply(200, "hello"))
    fetcher, _ = _fetcher()
    source = loopback_source(mock_server)
    blocked = fetcher.fetch(source, FetchRequest(source.id, mock_server.url("/private/x"), "feed"))
    allowed = fetcher.fetch(source, FetchRequest(source.id, mock_server.url("/public"), "feed"))
    assert blocked.error == "robots_disallowed" and mock_server.hits["/private/x"] == 0
    assert allowed.body == b"hello"
    assert mock_server.hits["/robots.txt"] == 1
    side = fetcher.take_side_documents(source.id)
    assert [d.request.role for d in side] == ["robots"]
    assert fetcher.requests[source.id] == 2  # robots.txt + /public: counted honestly
    assert fetcher.robots_fetches[source.id] == 1


def test_robots_5xx_disallows_everything(mock_server: MockServer) -> None:
    mock_server.route("/robots.txt", Reply(503))
    raw, _, _ = _get(mock_server, "/feed", max_retries=0)
    assert raw.error == "robots_disallowed"


def test_redirect_to_other_domain_refused(mock_server: MockServer) -> None:
    port = mock_server.httpd.server_address[1]
    mock_server.route("/out", Reply(302, headers={"Location": f"http://localhost:{port}/x"}))
    raw, _, _ = _get(mock_server, "/out")
    assert raw.error == "domain_not_allowed"
    assert raw.final_url == f"http://localhost:{port}/x"


def test_private_address_redirect_refused() -> None:
    """A public page redirecting to the cloud metadata address is refused before connecting."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    source = SourceConfig(
        id="pub",
        name="Public",
        kind="rss",
        base_url="https://news.example",
        origin_class="independent_news",
        allowed_domains=("news.example", "169.254.169.254"),
        rate_limit=0.0,
        options={"backoff": 0.0},
    )
    fetcher, _ = _fetcher(httpx.MockTransport(handler), resolver=lambda host: ["93.184.216.34"])
    raw = fetcher.fetch(source, FetchRequest("pub", "https://news.example/feed", "feed"))
    assert raw.error == "private_address"
    assert asked == ["https://news.example/robots.txt", "https://news.example/feed"]


def test_private_names_refused_by_resolution_and_literals_always() -> None:
    assert private_address("intranet.example", lambda h: ["10.1.2.3"])
    assert private_address("127.0.0.1", None)
    assert private_address("news.example", lambda h: ["93.184.216.34"]) is None
    assert private_address("news.example", None) is None  # replay: no DNS


def test_loopback_refused_without_allow_private_network(mock_server: MockServer) -> None:
    fetcher, _ = _fetcher()
    source = loopback_source(mock_server)
    strict = SourceConfig(**{**source.__dict__, "allow_private_network": False})
    raw = fetcher.fetch(strict, FetchRequest("mock", mock_server.url("/feed"), "feed"))
    assert raw.error == "private_address" and not mock_server.hits


def test_conditional_get_sends_validators(mock_server: MockServer) -> None:
    mock_server.route(
        "/feed",
        Reply(304, when=lambda h: h.get("if-none-match") == '"v1"'),
        Reply(200, "body", {"ETag": '"v1"'}),
    )
    fetcher, _ = _fetcher()
    source = loopback_source(mock_server)
    request = FetchRequest(source.id, mock_server.url("/feed"), "feed")
    first = fetcher.fetch(source, request)
    again = fetcher.fetch(source, request, {"If-None-Match": first.headers["etag"]})
    assert (first.status, again.status, again.error, again.body) == (200, 304, None, b"")


def test_user_agent_identifies_us(mock_server: MockServer) -> None:
    mock_server.route("/feed", Reply(200, "x"))
    _get(mock_server, "/feed")
    agents = {h["user-agent"] for _, h in mock_server.request_headers}
    assert len(agents) == 1 and "claimtrail" in agents.pop()


def test_host_throttle_spaces_requests_per_host() -> None:
    throttle = HostThrottle()
    waits = [throttle.wait("a.example", 0.02) for _ in range(3)]
    assert waits[0] == 0.0
    assert 0.01 < waits[1] <= 0.02 and 0.01 < waits[2] <= 0.02
    assert throttle.wait("b.example", 5.0) == 0.0  # hosts are paced independently


def test_recording_is_capped_too(mock_server: MockServer, tmp_path) -> None:
    """A gzip bomb met while recording a live run is stopped before it is held in memory."""
    mock_server.route("/bomb", Reply(200, gzipped(b"\0" * 3_000_000), {"Content-Encoding": "gzip"}))
    mock_server.route("/ok", Reply(200, "fine"))
    archive = tmp_path / "rec.warc.gz"
    recorder = RecordingTransport(httpx.HTTPTransport(), archive, max_bytes=100_000)
    fetcher, _ = _fetcher(recorder)
    source = loopback_source(mock_server)
    bomb = fetcher.fetch(source, FetchRequest(source.id, mock_server.url("/bomb"), "feed"))
    ok = fetcher.fetch(source, FetchRequest(source.id, mock_server.url("/ok"), "feed"))
    assert bomb.error == "body_too_large" and ok.body == b"fine"
    assert mock_server.url("/ok") in read_archive(archive)
    assert mock_server.url("/bomb") not in read_archive(archive)


def test_replay_needs_no_dns(tmp_path) -> None:
    """Replaying public URLs offline must not resolve names (the private-address rule is moot)."""
    archive = tmp_path / "a.warc.gz"
    write_response(archive, "https://news.example/feed", 200, [("Content-Type", "text/xml")], b"x")
    source = SourceConfig(
        id="pub",
        name="Public",
        kind="rss",
        base_url="https://news.example",
        origin_class="independent_news",
        allowed_domains=("news.example",),
    )

    def no_dns(host: str) -> list[str]:
        raise AssertionError(f"resolved {host} while replaying")

    fetcher = Fetcher(ReplayTransport([archive]), "replay", resolver=no_dns)
    raw = fetcher.fetch(source, FetchRequest("pub", "https://news.example/feed", "feed"))
    assert (raw.status, raw.body, raw.error) == (200, b"x", None)

"""Replaying and recording WARC archives below httpx."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx

from extractors.http import Fetcher
from extractors.registry import parse_sources
from extractors.replay import (
    RecordingTransport,
    ReplayTransport,
    index_archive,
    read_archive,
    write_response,
)
from transforms.model import FetchRequest

SOURCE = parse_sources(
    """
[[source]]
id = "example"
name = "Example"
kind = "pages"
base_url = "https://example.org"
origin_class = "newsletter"
"""
)[0]


def test_written_response_replays_byte_for_byte(tmp_path: Path) -> None:
    archive = tmp_path / "a.warc.gz"
    body = "Chinaโs “quotes” stay as bytes\n".encode()
    write_response(
        archive,
        "https://example.org/news/a/",
        200,
        [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')],
        body,
    )
    with httpx.Client(transport=ReplayTransport([archive])) as client:
        response = client.get("https://example.org/news/a/")
    assert response.status_code == 200
    assert response.content == body
    assert response.headers["etag"] == '"v1"'
    assert response.extensions["recorded_at"].endswith("Z")


def test_recording_a_live_exchange_then_replaying_it(tmp_path: Path) -> None:
    archive = tmp_path / "recorded.warc.gz"
    payload = b'[{"id": 1}]'

    def site(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            content=gzip.compress(payload),
        )

    recorder = RecordingTransport(httpx.MockTransport(site), archive)
    with httpx.Client(transport=recorder) as client:
        live = client.get("https://example.org/wp-json/wp/v2/posts?page=1")
    assert live.content == payload
    recorded = read_archive(archive)
    assert set(recorded) == {"https://example.org/wp-json/wp/v2/posts?page=1"}
    assert recorded["https://example.org/wp-json/wp/v2/posts?page=1"].body == payload
    with httpx.Client(transport=ReplayTransport([archive])) as client:
        assert client.get("https://example.org/wp-json/wp/v2/posts?page=1").json() == [{"id": 1}]


def test_url_missing_from_archive_is_a_fetch_failure_not_a_crash(tmp_path: Path) -> None:
    archive = tmp_path / "empty.warc.gz"
    write_response(archive, "https://example.org/other", 200, [], b"x")
    fetcher = Fetcher(ReplayTransport([archive]), run_id="r1")
    raw = fetcher.fetch(SOURCE, FetchRequest("example", "https://example.org/missing", "article"))
    fetcher.close()
    assert raw.status == 0
    assert raw.error == "not_in_archive"
    assert "missing" in (raw.error_detail or "")
    assert raw.body == b""


def test_sample_archive_serves_seed_003_mojibake_in_its_bytes(sample_archive: Path) -> None:
    recorded = read_archive(sample_archive)
    page = next(body for url, body in recorded.items() if "ustb" in url)
    assert "Chinaโs".encode() in page.body


def test_replay_reads_bodies_from_disk_on_demand_and_the_last_record_wins(tmp_path: Path) -> None:
    archive = tmp_path / "two.warc.gz"
    write_response(archive, "https://example.org/a", 200, [("Content-Type", "text/html")], b"old")
    write_response(archive, "https://example.org/b", 404, [], b"gone")
    write_response(archive, "https://example.org/a", 200, [("Content-Type", "text/html")], b"new")
    entries = index_archive(archive)
    assert set(entries) == {"https://example.org/a", "https://example.org/b"}
    assert (entries["https://example.org/a"].status, entries["https://example.org/b"].status) == (
        200,
        404,
    )
    assert entries["https://example.org/a"].body() == b"new"
    assert entries["https://example.org/b"].body() == b"gone"
    with httpx.Client(transport=ReplayTransport([archive])) as client:
        assert client.get("https://example.org/a").content == b"new"
        assert client.get("https://example.org/b").status_code == 404

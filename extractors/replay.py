"""Answer HTTP requests from WARC archives, and record live answers into one.

Replay makes runs reproducible and offline (the shipped sample, tests, benchmarks); recording
turns a live run into such an archive. Both sit below httpx as transports, so every extractor
and the polite client behave exactly as they would on the live web.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that describe the transfer, not the document: the archive stores decoded bodies.
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class NotInArchive(httpx.TransportError):
    """The replay archives hold no response for this URL (a fetch failure like any other)."""


@dataclass(frozen=True)
class ArchivedEntry:
    """Where one recorded response is, with its status and headers but not its body."""

    path: Path
    offset: int
    """Byte offset of the record in the (record-at-a-time gzipped) WARC file."""
    status: int
    headers: tuple[tuple[str, str], ...]
    recorded_at: str

    def body(self) -> bytes:
        """The decoded body, read from the file now."""
        with open(self.path, "rb") as stream:
            stream.seek(self.offset)
            record = next(iter(ArchiveIterator(stream)))
            return record.content_stream().read()


@dataclass(frozen=True)
class ArchivedResponse:
    """One recorded response: status, headers, decoded body and the time it was recorded."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    recorded_at: str


def index_archive(path: Path | str) -> dict[str, ArchivedEntry]:
    """Every `response` record of a WARC by target URI (the last one wins), bodies left on disk.

    An archive of a large backfill decompresses to several times its size; keeping only this
    index in memory is what lets replay, `warc_import` and the benchmarks run in constant memory.
    """
    path = Path(path)
    entries: dict[str, ArchivedEntry] = {}
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            entries[uri] = ArchivedEntry(
                path=path,
                offset=records.get_record_offset(),
                status=int(record.http_headers.get_statuscode() or 0),
                headers=tuple(
                    (name, value)
                    for name, value in record.http_headers.headers
                    if name.lower() not in _TRANSFER_HEADERS
                ),
                recorded_at=record.rec_headers.get_header("WARC-Date") or "",
            )
    return entries


def read_archive(path: Path | str) -> dict[str, ArchivedResponse]:
    """Every `response` record of a WARC with its body, by target URI (small archives, tests)."""
    return {
        uri: ArchivedResponse(entry.status, entry.headers, entry.body(), entry.recorded_at)
        for uri, entry in index_archive(path).items()
    }


class ReplayTransport(httpx.BaseTransport):
    """An httpx transport that serves recorded responses from one or more WARC files, reading
    each body from disk when it is asked for."""

    def __init__(self, paths: Iterable[Path | str]) -> None:
        self.entries: dict[str, ArchivedEntry] = {}
        for path in paths:
            self.entries.update(index_archive(path))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        entry = self.entries.get(str(request.url))
        if entry is None:
            raise NotInArchive(f"{request.url} is not in the replay archive", request=request)
        response = httpx.Response(
            entry.status,
            headers=list(entry.headers),
            stream=httpx.ByteStream(entry.body()),
            request=request,
        )
        response.extensions["recorded_at"] = entry.recorded_at
        return response


MAX_RECORDED_BYTES = 50 * 1024 * 1024
"""Recording reads a body whole (decoded) before the client's own caps see it: cap it here too,
so a huge body or a gzip bomb cannot exhaust memory while recording."""


class TooLargeToRecord(httpx.TransportError):
    """A response body passed `MAX_RECORDED_BYTES` while being recorded (reason body_too_large)."""


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport and appends every response it returns to a WARC file."""

    def __init__(
        self, inner: httpx.BaseTransport, path: Path | str, max_bytes: int = MAX_RECORDED_BYTES
    ) -> None:
        self.inner = inner
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        parts, size = [], 0
        try:
            for chunk in response.iter_bytes():  # httpx undoes Content-Encoding chunk by chunk
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLargeToRecord(
                        f"{request.url}: body passed {self.max_bytes} bytes while recording",
                        request=request,
                    )
                parts.append(chunk)
        finally:
            response.close()
        decoded = b"".join(parts)
        write_response(self.path, str(request.url), response.status_code, response.headers, decoded)
        return httpx.Response(
            response.status_code,
            headers=[(k, v) for k, v in response.headers.items() if k not in _TRANSFER_HEADERS],
            stream=httpx.ByteStream(decoded),
            request=request,
        )

    def close(self) -> None:
        self.inner.close()


_write_lock = threading.Lock()


def write_response(
    path: Path,
    url: str,
    status: int,
    headers: Iterable[tuple[str, str]] | httpx.Headers,
    body: bytes,
    *,
    recorded_at: datetime | None = None,
) -> None:
    """Append one response record (with its decoded body) to a gzip WARC file."""
    items = headers.items() if isinstance(headers, httpx.Headers) else headers
    kept = [(k, v) for k, v in items if k.lower() not in _TRANSFER_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    reason = httpx.codes.get_reason_phrase(status) or "Unknown"
    http_headers = StatusAndHeaders(f"{status} {reason}", kept, protocol="HTTP/1.1")
    when = (recorded_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with _write_lock, open(path, "ab") as stream:
        writer = WARCWriter(stream, gzip=True)
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": when},
        )
        writer.write_record(record)

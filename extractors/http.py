"""The one HTTP client every extractor fetches through.

It turns every exchange, good or bad, into a `RawDocument` (never an exception, never `None`):
the flow archives it before anything parses it, and a failure carries a reason code that
becomes a quarantine row.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx

from extractors.registry import SourceConfig
from extractors.replay import NotInArchive, RecordingTransport, ReplayTransport
from transforms.model import FetchRequest, RawDocument, stable_id

USER_AGENT = "claimtrail/0.1 (+https://github.com/claimtrail/claimtrail; research crawler)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_REDIRECTS = 5


def build_transport(
    replay: list[Path] | None = None, record: Path | None = None
) -> httpx.BaseTransport:
    """Replay archives answer offline; otherwise the live network, optionally recorded."""
    if replay:
        return ReplayTransport(replay)
    live = httpx.HTTPTransport(retries=0)
    return RecordingTransport(live, record) if record else live


def _fetched_at(response: httpx.Response | None) -> datetime:
    recorded = response.extensions.get("recorded_at") if response is not None else None
    if recorded:
        return datetime.fromisoformat(recorded.replace("Z", "+00:00"))
    return datetime.now(UTC)


class Fetcher:
    """Fetches `FetchRequest`s for one run and returns `RawDocument`s."""

    def __init__(self, transport: httpx.BaseTransport, run_id: str) -> None:
        self.run_id = run_id
        self.requests = 0
        self.client = httpx.Client(
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            timeout=TIMEOUT,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        )

    def close(self) -> None:
        self.client.close()

    def _document(
        self,
        request: FetchRequest,
        response: httpx.Response | None,
        error: str | None = None,
        detail: str | None = None,
    ) -> RawDocument:
        body = response.content if response is not None else b""
        status = response.status_code if response is not None else 0
        if error is None and status >= 400:
            error, detail = f"http_{status}", f"{request.url} answered {status}"
        sha = hashlib.sha256(body).hexdigest()
        return RawDocument(
            raw_id=stable_id(request.url, str(status), sha, error or ""),
            source_id=request.source_id,
            run_id=self.run_id,
            request=request,
            final_url=str(response.url) if response is not None else request.url,
            status=status,
            headers=dict(response.headers) if response is not None else {},
            fetched_at=_fetched_at(response),
            body=body,
            sha256=sha,
            error=error,
            error_detail=detail,
        )

    def fetch(self, source: SourceConfig, request: FetchRequest) -> RawDocument:
        """One request, answered as a raw document whatever happens."""
        if not source.allows(request.url):
            return self._document(
                request, None, "domain_not_allowed", f"{request.url} is outside {source.id}"
            )
        self.requests += 1
        try:
            response = self.client.get(request.url)
        except NotInArchive as exc:
            return self._document(request, None, "not_in_archive", str(exc))
        except httpx.TooManyRedirects as exc:
            return self._document(request, None, "redirect_loop", str(exc))
        except httpx.TimeoutException as exc:
            return self._document(request, None, "timeout", f"{type(exc).__name__}: {exc}")
        except httpx.HTTPError as exc:
            return self._document(request, None, "connection_error", f"{type(exc).__name__}: {exc}")
        return self._document(request, response)

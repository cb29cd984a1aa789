"""The one HTTP client every extractor fetches through, with safe defaults.

It turns every exchange, good or bad, into a `RawDocument` (never an exception, never `None`):
the flow archives it before anything parses it, and a failure carries a reason code that becomes
a quarantine row. What it enforces, for every source (settings and defaults in `FetchPolicy`):

- an identifying User-Agent with a contact URL, connect and read timeouts;
- retries with exponential backoff on 429, 5xx, timeouts and dropped connections, honouring
  `Retry-After` (an answer asking for more than `max_retry_after` is not retried);
- one request per `rate_limit` seconds per host (raised by robots.txt `Crawl-delay`), shared by
  all threads of a run; robots.txt fetched once per host per run and archived (role `robots`),
  or reused from the archive when fetched in the last day (`known_robots`);
- redirects followed by hand, each hop checked: allowed domains (`domain_not_allowed`), no
  private, loopback or link-local address (`private_address`, unless the source sets
  `allow_private_network`), no loop (`redirect_loop`), at most `max_redirects`
  (`too_many_redirects`);
- bodies streamed and capped before (`body_too_large`) and after decompression
  (`decompression_bomb`);
- conditional GET from stored validators (`If-None-Match` / `If-Modified-Since`; 304 = nothing new).

Replaying a WARC is offline: no DNS lookups and no pacing, while robots.txt and every other rule
still apply to the recorded answers.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    Future,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
)

from extractors.base import extractor_for
from extractors.politeness import (
    ALLOW_ALL,
    HostThrottle,
    Resolver,
    RobotsRules,
    private_address,
    robots_rules,
    system_resolver,
)
from extractors.registry import SourceConfig
from extractors.replay import (
    NotInArchive,
    RecordingTransport,
    ReplayTransport,
    TooLargeToRecord,
)
from transforms.model import FetchRequest, RawDocument, stable_id

USER_AGENT = "claimtrail/0.1 (+https://github.com/claimtrail/claimtrail; research crawler)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class FetchPolicy:
    """Client settings. Defaults are for the live web; a source may override any of them in
    `[source.options]` under the same name (tests use tiny backoffs and timeouts)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_retries: int = 3
    """Further attempts after the first, for 429, 5xx, timeouts and dropped connections."""
    backoff: float = 2.0
    """First wait between attempts, doubled each time (when no Retry-After is given)."""
    max_retry_after: float = 300.0
    """Longest Retry-After honoured; a server asking for more is not retried this run."""
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024
    """Cap on bytes received (compressed)."""
    max_decompressed_bytes: int = 50 * 1024 * 1024
    """Cap on bytes after gzip/deflate decoding (a gzip bomb stops here)."""

    @classmethod
    def for_source(cls, source: SourceConfig, base: FetchPolicy | None = None) -> FetchPolicy:
        base = base or cls()
        overrides = {
            name: type(getattr(base, name))(source.options[name])
            for name in base.__dataclass_fields__
            if name in source.options
        }
        return replace(base, **overrides)


class FetchFailed(Exception):
    """Internal: an exchange ended without a usable response (turned into a RawDocument)."""

    def __init__(self, reason: str, detail: str, url: str) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.url = reason, detail, url


@dataclass(frozen=True)
class _Answer:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    recorded_at: str | None


def build_transport(
    replay: list[Path] | None = None, record: Path | None = None
) -> httpx.BaseTransport:
    """Replay archives answer offline; otherwise the live network, optionally recorded."""
    if replay:
        return ReplayTransport(replay)
    live = httpx.HTTPTransport(retries=0)
    return RecordingTransport(live, record) if record else live


def _client(transport: httpx.BaseTransport) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,
    )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds (it may be a number or an HTTP date); None when absent."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class CappedDecoder:
    """gzip/deflate decoding that stops as soon as the output passes `limit` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit, self.total = limit, 0
        self.identity = encoding in ("", "identity")
        if encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = zlib.decompressobj()
        elif not self.identity:
            raise ValueError(f"unsupported content-encoding {encoding!r}")

    def feed(self, data: bytes) -> bytes:
        if self.identity:
            return data
        out = []
        while data:
            chunk = self.inflater.decompress(data, self.limit - self.total + 1)
            self.total += len(chunk)
            if self.total > self.limit:
                raise OverflowError(f"decompressed body passed {self.limit} bytes")
            out.append(chunk)
            data = self.inflater.unconsumed_tail
        return b"".join(out)


class Fetcher:
    """Fetches `FetchRequest`s for one run and returns `RawDocument`s."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        run_id: str,
        *,
        policy: FetchPolicy | None = None,
        resolver: Resolver | None = system_resolver,
        sleep=time.sleep,
        known_robots: dict[str, tuple[int, bytes]] | None = None,
    ) -> None:
        self.run_id = run_id
        self.policy = policy or FetchPolicy()
        self.offline = isinstance(transport, ReplayTransport)
        self.resolver = None if self.offline else resolver
        self.sleep = sleep
        self.throttle = HostThrottle()
        self.client = _client(transport)
        self._own_clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        """HTTP requests sent, per source id (retries, redirects and robots.txt included)."""
        self.robots_fetches: Counter[str] = Counter()
        """robots.txt fetches per source id (part of `requests`): RFC 9309 lets a crawler reuse
        robots.txt for 24 hours at most, so a daily run asks for it once per host."""
        self.reasons: Counter[str] = Counter()
        """Failures and retries per reason code (`retry/http_429`, `timeout`…), for the summary."""
        self._robots: dict[str, RobotsRules] = {}
        self._known_robots = known_robots or {}
        """robots.txt answers archived recently (warehouse.fetch_state.recent_robots), by URL."""
        self._robots_locks: dict[str, threading.Lock] = {}
        self._side: dict[str, list[RawDocument]] = {}

    def close(self) -> None:
        self.client.close()
        for client in self._own_clients.values():
            client.close()

    def _client_for(self, source: SourceConfig) -> httpx.Client:
        """The run's client, or the source's own when its kind brings a transport (local files)."""
        own = getattr(extractor_for(source.kind), "transport", None)
        if own is None:
            return self.client
        with self._lock:
            if source.id not in self._own_clients:
                self._own_clients[source.id] = _client(own(source))
            return self._own_clients[source.id]

    def _is_offline(self, source: SourceConfig) -> bool:
        return self.offline or hasattr(extractor_for(source.kind), "transport")

    # -- bookkeeping -------------------------------------------------------------------------

    def _count(self, source_id: str, reason: str | None = None) -> None:
        with self._lock:
            if reason:
                self.reasons[reason] += 1
            else:
                self.requests[source_id] += 1

    def take_side_documents(self, source_id: str) -> list[RawDocument]:
        """Documents fetched on the side for a source (robots.txt), to archive with its batch."""
        with self._lock:
            return self._side.pop(source_id, [])

    def _document(
        self, request: FetchRequest, answer: _Answer | None, failure: FetchFailed | None = None
    ) -> RawDocument:
        body = answer.body if answer else b""
        status = answer.status if answer else 0
        error = failure.reason if failure else None
        detail = failure.detail if failure else None
        if error is None and status >= 400:
            error, detail = f"http_{status}", f"{request.url} answered {status}"
        if error:
            self._count(request.source_id, error)
        sha = hashlib.sha256(body).hexdigest()
        recorded = answer.recorded_at if answer else None
        return RawDocument(
            raw_id=stable_id(request.url, str(status), sha, error or ""),
            source_id=request.source_id,
            run_id=self.run_id,
            request=request,
            final_url=answer.url if answer else (failure.url if failure else request.url),
            status=status,
            headers=answer.headers if answer else {},
            fetched_at=(
                datetime.fromisoformat(recorded.replace("Z", "+00:00"))
                if recorded
                else datetime.now(UTC)
            ),
            body=body,
            sha256=sha,
            error=error,
            error_detail=detail,
        )

    # -- the exchange --------------------------------------------------------------------------

    def fetch(
        self,
        source: SourceConfig,
        request: FetchRequest,
        conditional: dict[str, str] | None = None,
    ) -> RawDocument:
        """One request (with its retries and redirects), answered as a raw document."""
        policy = FetchPolicy.for_source(source, self.policy)
        retrying = Retrying(
            stop=stop_after_attempt(policy.max_retries + 1),
            retry=retry_if_exception(_transient)
            | retry_if_result(lambda answer: _worth_retrying(answer, policy)),
            wait=lambda state: _wait_seconds(state, policy),
            before_sleep=lambda state: self._count(source.id, f"retry/{_reason(state)}"),
            sleep=self.sleep,
            retry_error_callback=lambda state: state.outcome,
        )
        answer: _Answer | None = None
        failure: FetchFailed | None = None
        try:
            outcome = retrying(self._follow, source, request.url, policy, conditional or {}, True)
        except FetchFailed as exc:  # not worth retrying (refused, too large…)
            failure = exc
        else:
            if isinstance(outcome, Future):  # retries ran out: keep the last attempt's result
                last = outcome.exception()
                if last is None:
                    answer = outcome.result()
                elif isinstance(last, FetchFailed):
                    failure = last
                else:
                    raise last
            else:
                answer = outcome
        attempts = retrying.statistics.get("attempt_number", 1)
        return self._document(_with_attempts(request, attempts), answer, failure)

    def _refusal(self, source: SourceConfig, url: str, check_robots: bool) -> FetchFailed | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return FetchFailed("unsupported_scheme", f"{url}: only http(s) is fetched", url)
        if not source.allows(url):
            return FetchFailed(
                "domain_not_allowed",
                f"{url} is outside the allowed domains of {source.id}: "
                f"{', '.join(source.allowed_domains)}",
                url,
            )
        host = parts.hostname or ""
        if not source.allow_private_network:
            why = private_address(host, None if self._is_offline(source) else self.resolver)
            if why:
                return FetchFailed("private_address", f"{url}: {why}", url)
        if check_robots and not self.robots_for(source, url).allows(url):
            return FetchFailed("robots_disallowed", f"robots.txt of {host} disallows {url}", url)
        return None

    def _follow(
        self,
        source: SourceConfig,
        url: str,
        policy: FetchPolicy,
        headers: dict[str, str],
        check_robots: bool,
    ) -> _Answer:
        seen = {url}
        for _hop in range(policy.max_redirects + 1):
            refusal = self._refusal(source, url, check_robots)
            if refusal:
                raise refusal
            if not self._is_offline(source):
                delay = source.rate_limit
                if check_robots:
                    delay = max(delay, self.robots_for(source, url).crawl_delay)
                self.throttle.wait(urlsplit(url).netloc.lower(), delay)
            self._count(source.id)
            answer = self._send(self._client_for(source), url, policy, headers)
            location = answer.headers.get("location")
            if answer.status in (301, 302, 303, 307, 308) and location:
                target = urljoin(url, location)
                if target in seen:
                    raise FetchFailed("redirect_loop", f"{url} redirects back to {target}", url)
                seen.add(target)
                url = target
                continue
            return answer
        raise FetchFailed(
            "too_many_redirects", f"more than {policy.max_redirects} redirects from {url}", url
        )

    def _send(
        self, client: httpx.Client, url: str, policy: FetchPolicy, headers: dict[str, str]
    ) -> _Answer:
        timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > policy.max_body_bytes:
                    raise FetchFailed(
                        "body_too_large",
                        f"{url} declares {declared} bytes (cap {policy.max_body_bytes})",
                        url,
                    )
                body = self._read_capped(url, response, policy)
                kept = {
                    k: v for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS
                }
                return _Answer(
                    url,
                    response.status_code,
                    kept,
                    body,
                    response.extensions.get("recorded_at"),
                )
        except NotInArchive as exc:
            raise FetchFailed("not_in_archive", str(exc), url) from None
        except TooLargeToRecord as exc:
            raise FetchFailed("body_too_large", str(exc), url) from None
        except httpx.TimeoutException as exc:
            raise FetchFailed("timeout", f"{type(exc).__name__}: {exc}", url) from None
        except httpx.HTTPError as exc:
            raise FetchFailed("connection_error", f"{type(exc).__name__}: {exc}", url) from None

    @staticmethod
    def _read_capped(url: str, response: httpx.Response, policy: FetchPolicy) -> bytes:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        try:
            decoder = CappedDecoder(encoding, policy.max_decompressed_bytes)
        except ValueError as exc:
            raise FetchFailed("unsupported_encoding", f"{url}: {exc}", url) from None
        received, parts = 0, []
        if response.is_stream_consumed:  # an in-memory response (tests' MockTransport)
            raw_chunks: Iterable[bytes] = [response.content]
            decoder = CappedDecoder("", policy.max_decompressed_bytes)
        else:
            raw_chunks = response.iter_raw()
        for chunk in raw_chunks:
            received += len(chunk)
            if received > policy.max_body_bytes:
                raise FetchFailed(
                    "body_too_large", f"{url} sent more than {policy.max_body_bytes} bytes", url
                )
            try:
                parts.append(decoder.feed(chunk))
            except OverflowError as exc:
                raise FetchFailed("decompression_bomb", f"{url}: {exc}", url) from None
            except zlib.error as exc:
                raise FetchFailed("bad_encoding", f"{url}: {exc}", url) from None
        return b"".join(parts)

    # -- robots.txt -----------------------------------------------------------------------------

    def robots_for(self, source: SourceConfig, url: str) -> RobotsRules:
        """The robots rules of `url`'s host, fetched (and archived) once per run."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._fetch_robots(source, origin)
            return self._robots[origin]

    def _fetch_robots(self, source: SourceConfig, origin: str) -> RobotsRules:
        request = FetchRequest(source.id, f"{origin}/robots.txt", "robots")
        if request.url in self._known_robots:
            status, body = self._known_robots[request.url]
            return robots_rules(status, body, reachable=True)
        policy = FetchPolicy.for_source(source, self.policy)
        with self._lock:
            self.robots_fetches[source.id] += 1
        try:
            answer = self._follow(source, request.url, policy, {}, False)
        except FetchFailed as failure:
            if failure.reason == "not_in_archive":
                return ALLOW_ALL  # the recording never asked for it: nothing to obey offline
            document = self._document(request, None, failure)
            rules = robots_rules(0, b"", reachable=False)
        else:
            document = self._document(request, answer)
            rules = robots_rules(answer.status, answer.body, reachable=True)
        with self._lock:
            self._side.setdefault(source.id, []).append(document)
        return rules


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, FetchFailed) and exc.reason in ("timeout", "connection_error")


def _worth_retrying(answer: _Answer, policy: FetchPolicy) -> bool:
    """429/5xx are retried, unless the server asks for a longer wait than we will give it."""
    if answer.status not in RETRY_STATUSES:
        return False
    asked = retry_after_seconds(answer.headers.get("retry-after"))
    return asked is None or asked <= policy.max_retry_after


def _wait_seconds(state: RetryCallState, policy: FetchPolicy) -> float:
    """Retry-After when the server gave one, else exponential backoff from `policy.backoff`."""
    assert state.outcome is not None
    if not state.outcome.failed:
        asked = retry_after_seconds(state.outcome.result().headers.get("retry-after"))
        if asked is not None:
            return asked
    return policy.backoff * 2 ** (state.attempt_number - 1)


def _reason(state: RetryCallState) -> str:
    assert state.outcome is not None
    if state.outcome.failed:
        failure = state.outcome.exception()
        return failure.reason if isinstance(failure, FetchFailed) else "error"
    return f"http_{state.outcome.result().status}"


def _with_attempts(request: FetchRequest, attempts: int) -> FetchRequest:
    """The request as archived: how many attempts it took is part of its provenance."""
    if attempts == 1:
        return request
    return replace(request, meta={**request.meta, "attempts": str(attempts)})

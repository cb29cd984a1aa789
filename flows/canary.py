"""`claimtrail canary`: one live item per source, to learn which sources broke.

Sites change layout, block crawlers and retire feeds without notice; the daily run would only
show it as a quiet drop in articles. The canary walks each source from its first request to the
first article (at most `MAX_STEPS` requests, politely, through the same client) and says what it
found, in words an operator can act on. It writes nothing to the warehouse.

Verdicts: `ok`; `fallback` (an article, but generic extraction had to stand in for the source's
body selector: the page layout probably changed); `layout_changed` (the index was read but held
no items, or the page no body); `blocked` (401, 403, 429, robots.txt); `dead` (404, 410, an
unreadable or empty feed); `unreachable` (timeouts, connection errors, 5xx); `refused`
(our own safety rules: domain, private address, size caps).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from extractors.base import Window, extractor_for
from extractors.http import Fetcher
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, RawDocument

MAX_STEPS = 4
"""Requests a source may use to reach one article (API → feed fallback → page…)."""

_BLOCKED = ("http_401", "http_403", "http_429", "robots_disallowed")
_DEAD = ("http_404", "http_410", "feed_unreadable", "sitemap_unreadable", "cdx_unreadable")
_LAYOUT = ("listing_empty", "no_article_body", "empty_body")
_REFUSED = (
    "domain_not_allowed",
    "private_address",
    "body_too_large",
    "decompression_bomb",
    "redirect_loop",
    "too_many_redirects",
)


@dataclass(frozen=True)
class CanaryResult:
    """What one source's canary found."""

    source_id: str
    kind: str
    verdict: str
    detail: str
    requests: int
    article_url: str = ""


def _verdict(reason: str) -> str:
    if reason in _BLOCKED:
        return "blocked"
    if reason in _DEAD:
        return "dead"
    if reason in _LAYOUT:
        return "layout_changed"
    if reason in _REFUSED:
        return "refused"
    return "unreachable"


def _parse(source: SourceConfig, raw: RawDocument) -> ParseResult:
    return extractor_for(source.kind).parse(source, raw)


def check_source(fetcher: Fetcher, source: SourceConfig) -> CanaryResult:
    """Walk a source to its first article and judge it."""
    frontier: deque[FetchRequest] = deque(extractor_for(source.kind).start(source, Window()))
    steps, last_reason, last_detail = 0, "", "no requests to make"
    while frontier and steps < MAX_STEPS:
        request = frontier.popleft()
        steps += 1
        raw = fetcher.fetch(source, request)
        result = _parse(source, raw)
        if result.articles:
            article = result.articles[0]
            selector = source.options.get("body_selector")
            if selector and article.extraction_method == "trafilatura":
                return CanaryResult(
                    source.id,
                    source.kind,
                    "fallback",
                    f"body_selector {selector!r} found nothing; generic extraction used",
                    steps,
                    article.url,
                )
            return CanaryResult(
                source.id, source.kind, "ok", article.title[:60], steps, article.url
            )
        if raw.error and not result.follow:
            last_reason, last_detail = raw.error, raw.error_detail or raw.error
        elif result.problems:
            last_reason, last_detail = result.problems[0].reason, result.problems[0].detail
        elif not result.follow:
            last_reason, last_detail = "listing_empty", f"{request.url} listed no items"
        # articles first: one is all the canary needs
        follow = sorted(result.follow, key=lambda r: r.role != "article")
        frontier.extendleft(reversed(follow))
    if not last_reason:
        last_reason, last_detail = "listing_empty", f"no article within {MAX_STEPS} requests"
    return CanaryResult(source.id, source.kind, _verdict(last_reason), last_detail, steps)


def run_canary(fetcher: Fetcher, sources: list[SourceConfig]) -> list[CanaryResult]:
    """Check each source in turn (sequential: the canary is small and must stay polite)."""
    return [check_source(fetcher, source) for source in sources]


def canary_rows(results: list[CanaryResult]) -> tuple[list[str], list[list[object]]]:
    """Columns and rows for `flows.output.render_rows`."""
    columns = ["source", "kind", "verdict", "requests", "detail"]
    return columns, [[r.source_id, r.kind, r.verdict, r.requests, r.detail] for r in results]

"""Web-archive backfill: history of a site from the Wayback Machine's CDX index.

For sites whose own listings only reach back a few pages, the Internet Archive often holds the
older articles. The CDX API lists captures of a URL prefix in a date range
(`/cdx/search/cdx?url=…&output=json&from=…&to=…&filter=statuscode:200&collapse=digest`); each
capture is then fetched raw, as the site served it, from `/web/<timestamp>id_/<original>`. The
article's canonical URL is the original, never the archive's, so a page read from the archive
and later from the live site is one article.

Options: `url` (the prefix to list, e.g. `rareearthexchanges.com/news/`), `match_type`
(default `prefix`), `url_pattern` (regex an original URL must match), `cdx_limit` (rows per CDX
page, default 5000; further pages through the resume key), plus the article-page selectors.
`allowed_domains` must include `web.archive.org`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, Problem, RawDocument

ARCHIVE = "http://web.archive.org"
CDX_ENDPOINT = f"{ARCHIVE}/cdx/search/cdx"


def _timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def cdx_url(source: SourceConfig, window: Window, resume_key: str | None = None) -> str:
    """The CDX query for a source's prefix in a window (`to` is inclusive, so until - 1 s)."""
    params = [
        ("url", source.options["url"]),
        ("matchType", source.options.get("match_type", "prefix")),
        ("output", "json"),
        ("filter", "statuscode:200"),
        ("filter", "mimetype:text/html"),
        ("collapse", "digest"),
        ("limit", str(source.options.get("cdx_limit", 5000))),
        ("showResumeKey", "true"),
    ]
    if window.since is not None:
        params.append(("from", _timestamp(window.since)))
    elif window.cursor:
        params.append(("from", window.cursor))
    if window.until is not None:
        params.append(("to", _timestamp(window.until - timedelta(seconds=1))))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{CDX_ENDPOINT}?{urlencode(params)}"


def capture_url(timestamp: str, original: str) -> str:
    """The raw capture (`id_`: the bytes as archived, without the archive's toolbar)."""
    return f"{ARCHIVE}/web/{timestamp}id_/{original}"


class WaybackExtractor:
    """Backfill from the Internet Archive: CDX listing, then raw captures."""

    kind = "wayback"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        return [FetchRequest(source.id, cdx_url(source, window), "cdx", window.as_meta())]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        if raw.request.role == "article":
            return parse_article_page(source, raw, original_url=raw.request.meta["original_url"])
        if raw.error:
            return ParseResult()
        try:
            rows = json.loads(raw.body or b"[]")
        except ValueError as exc:
            problem = Problem("parse", raw.final_url, "cdx_unreadable", str(exc), raw.raw_id)
            return ParseResult(problems=(problem,))
        if not rows:
            return ParseResult()
        header, entries = rows[0], rows[1:]
        resume_key = None
        if len(entries) >= 2 and entries[-2] == [] and len(entries[-1]) == 1:
            resume_key, entries = entries[-1][0], entries[:-2]
        window = Window.from_meta(raw.request.meta)
        pattern = source.options.get("url_pattern")
        latest: dict[str, str] = {}
        for entry in entries:
            row = dict(zip(header, entry, strict=False))
            original, timestamp = row.get("original"), row.get("timestamp")
            if not original or not timestamp or (pattern and not re.search(pattern, original)):
                continue
            if window.cursor and not window.is_backfill and timestamp <= window.cursor:
                continue
            latest[original] = max(latest.get(original, ""), timestamp)
        follow = [
            FetchRequest(
                source.id,
                capture_url(timestamp, original),
                "article",
                {"original_url": original, "capture": timestamp},
            )
            for original, timestamp in sorted(latest.items(), key=lambda kv: kv[1])
        ]
        if resume_key:
            follow.append(
                FetchRequest(
                    source.id, cdx_url(source, window, resume_key), "cdx", raw.request.meta
                )
            )
        cursor = max(latest.values(), default=None)
        return ParseResult(follow=tuple(follow), cursor=cursor)


extractor = WaybackExtractor()

"""RSS 2.0 and Atom feeds, read with feedparser.

Items that carry the full text (`content:encoded`, Atom `content`) become articles directly;
items with only a summary lead to their article page, read with the source's selectors. A daily
run asks for the feed conditionally (ETag / Last-Modified) and skips parsing a feed whose body
hash is unchanged (flows/crawl.py), so an unchanged feed costs one request.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import feedparser

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParsedArticle, ParseResult, Problem, RawDocument

_SHORT_LINK = re.compile(r"[?&](?:p|page_id)=\d+(?:&|$)")


def is_short_link(url: str) -> bool:
    """A WordPress short link (`/?p=123`): its page is fetched so the redirect and rel=canonical
    give the permalink, the URL the same post has everywhere else."""
    return bool(_SHORT_LINK.search(url))


def _entry_time(entry: feedparser.FeedParserDict, key: str) -> datetime | None:
    # keys() rather than get(): feedparser maps a missing updated_parsed to published_parsed
    # with a DeprecationWarning, and a post never updated has no modification time.
    parsed = entry[f"{key}_parsed"] if f"{key}_parsed" in entry.keys() else None  # noqa: SIM118
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


class FeedExtractor:
    """A source whose index is an RSS or Atom feed (`options.feed_url`)."""

    kind = "rss"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        return [FetchRequest(source.id, source.options.get("feed_url", source.base_url), "feed")]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        if raw.request.role == "article":
            return parse_article_page(source, raw)
        if raw.error:
            return ParseResult()
        feed = feedparser.parse(raw.body, response_headers=raw.headers)
        if feed.bozo and not feed.entries:
            return ParseResult(
                problems=(
                    Problem(
                        "parse",
                        raw.final_url,
                        "feed_unreadable",
                        f"{type(feed.bozo_exception).__name__}: {feed.bozo_exception}",
                        raw.raw_id,
                    ),
                )
            )
        articles: list[ParsedArticle] = []
        follow: list[FetchRequest] = []
        for entry in feed.entries:
            link = entry.get("link")
            if not link:
                continue
            content = entry.get("content")
            published = _entry_time(entry, "published")
            if content and source.options.get("use_feed_content", True) and not is_short_link(link):
                articles.append(
                    ParsedArticle(
                        source_id=source.id,
                        url=link,
                        title=entry.get("title", ""),
                        content_html=content[0].get("value", ""),
                        raw_id=raw.raw_id,
                        extraction_method="feed",
                        published_at=published,
                        modified_at=_entry_time(entry, "updated"),
                        language=source.language,
                        external_id=entry.get("id"),
                        author=entry.get("author"),
                    )
                )
            else:
                follow.append(
                    FetchRequest(source.id, link, "article", {"title": entry.get("title", "")})
                )
        return ParseResult(articles=tuple(articles), follow=tuple(follow))


extractor = FeedExtractor()

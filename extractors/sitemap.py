"""XML sitemaps: sitemap indexes, gzip sitemaps and Google News tags, filtered by date.

Many news sites with no usable feed still publish sitemaps. An index lists sitemaps (each with
a `lastmod`); a urlset lists pages with `lastmod` and, in Google News sitemaps,
`news:publication_date`. Both dates let a run skip what it does not need: a backfill follows
only child sitemaps changed since the range began and pages published inside it; a daily run
only pages dated after its cursor.

Options: `sitemap_url` (default `<base_url>/sitemap.xml`), `url_pattern` (regex an article URL
must match, e.g. `/news/`), plus the article-page selectors of `extractors/article_page.py`.
"""

from __future__ import annotations

import re

from lxml import etree

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.dates import cursor_text, parse_datetime
from extractors.http import CappedDecoder
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, Problem, RawDocument

MAX_SITEMAP_BYTES = 200 * 1024 * 1024
"""Cap on a decompressed .xml.gz sitemap (the protocol allows 50 MB; 4x headroom)."""


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *path: str) -> str | None:
    """Text of the first descendant along `path` of local names (namespaces ignored)."""
    current = [node]
    for name in path:
        current = [c for parent in current for c in parent if _local(c.tag) == name]
    return current[0].text.strip() if current and current[0].text else None


def sitemap_xml(body: bytes) -> bytes:
    """The XML of a sitemap body, gunzipped (with a cap) when it is a .xml.gz file."""
    if body[:2] == b"\x1f\x8b":
        return CappedDecoder("gzip", MAX_SITEMAP_BYTES).feed(body)
    return body


class SitemapExtractor:
    """A source read through its sitemap (or sitemap index)."""

    kind = "sitemap"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        url = source.options.get("sitemap_url", f"{source.base_url}/sitemap.xml")
        return [FetchRequest(source.id, url, "sitemap", window.as_meta())]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        if raw.request.role == "article":
            return parse_article_page(source, raw)
        if raw.error or not raw.body:
            return ParseResult()
        try:
            root = etree.fromstring(
                sitemap_xml(raw.body), etree.XMLParser(resolve_entities=False, no_network=True)
            )
        except (etree.XMLSyntaxError, OverflowError) as exc:
            problem = Problem("parse", raw.final_url, "sitemap_unreadable", str(exc), raw.raw_id)
            return ParseResult(problems=(problem,))
        window = Window.from_meta(raw.request.meta)
        if _local(root.tag) == "sitemapindex":
            return ParseResult(follow=tuple(self._children(source, root, window, raw)))
        return self._pages(source, root, window, raw)

    def _children(
        self, source: SourceConfig, root: etree._Element, window: Window, raw: RawDocument
    ) -> list[FetchRequest]:
        follow = []
        for node in root:
            loc = _child_text(node, "loc")
            if _local(node.tag) != "sitemap" or not loc:
                continue
            changed = parse_datetime(_child_text(node, "lastmod"))
            floor = window.since if window.is_backfill else parse_datetime(window.cursor)
            if changed is not None and floor is not None and changed < floor:
                continue  # nothing in it changed since the range (or the cursor) began
            follow.append(FetchRequest(source.id, loc, "sitemap", raw.request.meta))
        return follow

    def _pages(
        self, source: SourceConfig, root: etree._Element, window: Window, raw: RawDocument
    ) -> ParseResult:
        pattern = source.options.get("url_pattern")
        cursor = parse_datetime(window.cursor)
        follow, newest = [], None
        for node in root:
            loc = _child_text(node, "loc")
            if _local(node.tag) != "url" or not loc or (pattern and not re.search(pattern, loc)):
                continue
            when = parse_datetime(_child_text(node, "news", "publication_date")) or parse_datetime(
                _child_text(node, "lastmod")
            )
            if when is not None:
                newest = max(newest or when, when)
            if window.is_backfill and not window.contains(when):
                continue
            if not window.is_backfill and cursor and when is not None and when <= cursor:
                continue
            meta = {"title": _child_text(node, "news", "title") or ""}
            if when is not None:
                meta["listed_date"] = when.isoformat()
            follow.append(FetchRequest(source.id, loc, "article", meta))
        return ParseResult(
            follow=tuple(follow), cursor=cursor_text(newest) if newest is not None else None
        )


extractor = SitemapExtractor()

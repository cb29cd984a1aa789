"""HTML listing pages, for sites with no feed and no sitemap (ministries, SOEs).

A listing page is read with CSS selectors: `item_selector` picks each entry, `link_selector`
(default: the entry itself if it is a link, else its first link) its article URL, and
`item_date_selector` its date (`item_date_format` for strptime, else any Y-M-D in the text;
`url_date_pattern`, a regex with groups y, m, d, reads dates from URLs such as Minmetals'
`tYYYYMMDD_`). Further pages come from `next_selector` (a "next page" link) or
`page_url_template` (e.g. `https://…/index_{page}.html`, pages `template_start`…`max_pages`).

Paging stops early when a page holds something older than the daily cursor, or older than a
backfill's start; a daily run with no dates to go by reads `daily_pages` pages (default 1), and
`max_pages` bounds every run. Article pages are read by
`extractors/article_page.py` with the source's selectors.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.dates import cursor_text, date_from_match, parse_datetime, parse_listed_date
from extractors.registry import SourceConfig
from transforms.decoding import decode_body
from transforms.model import FetchRequest, ParseResult, Problem, RawDocument

DEFAULT_MAX_PAGES = 50


def _listing_urls(source: SourceConfig) -> list[str]:
    urls = source.options.get("listing_urls") or [source.options.get("listing_url")]
    return [u for u in urls if u] or [source.base_url + "/"]


def _item_link(item: Tag, link_selector: str | None) -> Tag | None:
    if link_selector:
        return item.select_one(link_selector)
    return item if item.name == "a" else item.find("a", href=True)


class HtmlListingExtractor:
    """A source indexed by paginated HTML listing pages."""

    kind = "html_listing"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        return [
            FetchRequest(source.id, url, "listing", {**window.as_meta(), "page": "1"})
            for url in _listing_urls(source)
        ]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        if raw.request.role == "article":
            return parse_article_page(source, raw)
        if raw.error or not raw.body:
            return ParseResult()
        options = source.options
        decoded = decode_body(raw.body, raw.headers.get("content-type"))
        soup = BeautifulSoup(decoded.text, "lxml")
        items = soup.select(options.get("item_selector", "a[href]"))
        if not items:
            problem = Problem(
                "parse",
                raw.final_url,
                "listing_empty",
                f"item_selector {options.get('item_selector')!r} matched nothing: layout change?",
                raw.raw_id,
            )
            return ParseResult(problems=(problem,))
        window = Window.from_meta(raw.request.meta)
        cursor = parse_datetime(window.cursor)
        url_pattern = options.get("url_pattern")
        follow: list[FetchRequest] = []
        dates: list[datetime] = []
        for item in items:
            link = _item_link(item, options.get("link_selector"))
            href = link.get("href") if link is not None else None
            if not href:
                continue
            url = urljoin(raw.final_url, str(href).strip())
            if url_pattern and not re.search(url_pattern, url):
                continue
            when = self._item_date(item, url, options)
            if when is not None:
                dates.append(when)
            if window.is_backfill and not window.contains(when):
                continue
            if not window.is_backfill and cursor and when is not None and when <= cursor:
                continue
            title = link.get_text(" ", strip=True) if link is not None else ""
            meta = {"title": title}
            if when is not None:
                meta["listed_date"] = when.isoformat()  # the page's own date, if any, wins
            follow.append(FetchRequest(source.id, url, "article", meta))
        next_page = self._next_page(source, soup, raw, window, dates, cursor)
        if next_page is not None:
            follow.append(next_page)
        return ParseResult(follow=tuple(follow), cursor=cursor_text(max(dates)) if dates else None)

    @staticmethod
    def _item_date(item: Tag, url: str, options: dict) -> datetime | None:
        selector = options.get("item_date_selector")
        if selector:
            node = item.select_one(selector)
            when = parse_listed_date(
                node.get_text(" ", strip=True) if node else None, options.get("item_date_format")
            )
            if when is not None:
                return when
        pattern = options.get("url_date_pattern")
        return date_from_match(re.search(pattern, url)) if pattern else None

    def _next_page(
        self,
        source: SourceConfig,
        soup: BeautifulSoup,
        raw: RawDocument,
        window: Window,
        dates: list[datetime],
        cursor: datetime | None,
    ) -> FetchRequest | None:
        options = source.options
        page = int(raw.request.meta.get("page", "1"))
        if page >= int(options.get("max_pages", DEFAULT_MAX_PAGES)):
            return None
        oldest = min(dates) if dates else None
        undated_daily = not window.is_backfill and (oldest is None or cursor is None)
        if undated_daily and page >= int(options.get("daily_pages", 1)):
            return None  # a daily run without dates to go by reads the newest pages only
        if oldest is not None:
            floor = window.since if window.is_backfill else cursor
            if floor is not None and oldest < floor:
                return None  # older pages hold only what is before the range or cursor
        if options.get("next_selector"):
            node = soup.select_one(options["next_selector"])
            href = node.get("href") if node is not None else None
            if not href:
                return None
            url = urljoin(raw.final_url, str(href))
        elif options.get("page_url_template"):
            number = page - 1 + int(options.get("template_start", 1))
            url = options["page_url_template"].format(page=number)
        else:
            return None
        return FetchRequest(source.id, url, "listing", {**raw.request.meta, "page": str(page + 1)})


extractor = HtmlListingExtractor()

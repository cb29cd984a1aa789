"""A fixed list of article pages (`options.urls`): for single documents and mirrors with no feed."""

from __future__ import annotations

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, RawDocument


class PagesExtractor:
    """Reads each listed URL as an article page; the crawl fetches a page once (one already
    stored is not asked for again, so a daily run of a fixed list costs no request)."""

    kind = "pages"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        return [FetchRequest(source.id, url, "article") for url in source.options.get("urls", [])]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        return parse_article_page(source, raw)


extractor = PagesExtractor()

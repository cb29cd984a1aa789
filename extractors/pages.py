"""A fixed list of article pages (`options.urls`): for single documents and mirrors with no feed."""

from __future__ import annotations

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.registry import SourceConfig
from transforms.model import FetchRequest, ParseResult, RawDocument


class PagesExtractor:
    """Fetches each listed URL once per run and reads it as an article page."""

    kind = "pages"

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        return [FetchRequest(source.id, url, "article") for url in source.options.get("urls", [])]

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        return parse_article_page(source, raw)


extractor = PagesExtractor()

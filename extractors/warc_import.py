"""A user's own WARC files as a source: articles from their response records, no network.

For material collected by other tools (a browser extension, Heritrix, wget --warc-file): each
HTML response record on one of the source's `allowed_domains` is read as an article page with
the source's selectors. The files answer through the same client as the web does (a replay
transport), so every record is archived as a raw document and every failure quarantined, exactly
as for a crawled site.

Options: `paths` (WARC or .warc.gz files; relative paths are relative to the working
directory), plus the article-page selectors.
"""

from __future__ import annotations

from pathlib import Path

from extractors.article_page import parse_article_page
from extractors.base import Window
from extractors.registry import SourceConfig
from extractors.replay import ReplayTransport, index_archive
from transforms.model import FetchRequest, ParseResult, RawDocument


def _paths(source: SourceConfig) -> list[Path]:
    return [Path(p).expanduser() for p in source.options.get("paths", [])]


class WarcImportExtractor:
    """Reads article pages out of WARC files named in `options.paths`."""

    kind = "warc_import"

    def transport(self, source: SourceConfig) -> ReplayTransport:
        """The source's own answers: its WARC files, never the network."""
        return ReplayTransport(_paths(source))

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        requests = []
        for path in _paths(source):
            for url, entry in index_archive(path).items():
                content_type = dict((k.lower(), v) for k, v in entry.headers).get(
                    "content-type", ""
                )
                if entry.status == 200 and "html" in content_type and source.allows(url):
                    requests.append(FetchRequest(source.id, url, "article", {"warc": str(path)}))
        return requests

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        return parse_article_page(source, raw)


extractor = WarcImportExtractor()

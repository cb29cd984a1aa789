"""Reading one article page: per-source selectors first, generic extraction as the fallback.

Shared by every kind that ends on article pages (feeds without full content, HTML listings,
explicit page lists, web archives). The method that found the body is recorded on the article,
so an analyst can tell a selector-parsed page from a trafilatura guess.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import trafilatura
from bs4 import BeautifulSoup, Tag

from extractors.dates import parse_datetime, parse_listed_date
from extractors.registry import SourceConfig
from transforms.decoding import decode_body
from transforms.model import ParsedArticle, ParseResult, Problem, RawDocument

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
)


def _meta_date(soup: BeautifulSoup) -> str | None:
    """The content of the first `_DATE_META` a meta tag states (by property=, then by name=).

    The same answer as a `soup.find` per name and attribute, from one pass over the meta tags:
    on a page without any of them those finds were twenty walks of the whole tree.
    """
    first: dict[tuple[str, str], Tag] = {}
    for tag in soup.find_all("meta"):
        for attribute in ("property", "name"):
            value = tag.get(attribute)
            if isinstance(value, str):
                first.setdefault((attribute, value), tag)
    for name in _DATE_META:
        tag = first.get(("property", name)) or first.get(("name", name))
        content = tag.get("content") if tag else None
        if content:
            return str(content)
    return None


def _select_text(soup: BeautifulSoup, selector: str | None) -> str | None:
    if not selector:
        return None
    node = soup.select_one(selector)
    return node.get_text(" ", strip=True) if node else None


def canonical_url(soup: BeautifulSoup, fallback: str) -> str:
    """rel=canonical when the page states one, else the URL that answered."""
    link = soup.find("link", rel="canonical")
    href = link.get("href") if link else None
    return str(href).strip() if href else fallback


def _article_url(soup: BeautifulSoup, final_url: str, original_url: str | None) -> str:
    if original_url is None:
        return canonical_url(soup, final_url)
    stated = canonical_url(soup, original_url)
    same_site = urlsplit(stated).hostname == urlsplit(original_url).hostname
    return stated if same_site else original_url


def parse_article_page(
    source: SourceConfig, raw: RawDocument, original_url: str | None = None
) -> ParseResult:
    """One article from an HTML page, or a problem saying why there is none.

    `original_url` is where the page really lives when it was read from somewhere else (a web
    archive capture): it is the fallback canonical URL, and a canonical link pointing back into
    the archive is ignored.
    """
    if raw.error:
        return ParseResult()
    if not raw.body.strip():
        return ParseResult(
            problems=(
                Problem("parse", raw.final_url, "empty_body", "zero-length body", raw.raw_id),
            )
        )
    decoded = decode_body(raw.body, raw.headers.get("content-type"))
    soup = BeautifulSoup(decoded.text, "lxml")
    options = source.options
    body_node = soup.select_one(options["body_selector"]) if options.get("body_selector") else None
    if body_node is not None:
        content_html, method = str(body_node), "selectors"
    else:
        extracted = trafilatura.extract(
            decoded.text, output_format="html", include_links=True, favor_recall=True
        )
        if not extracted:
            return ParseResult(
                problems=(
                    Problem(
                        "parse",
                        raw.final_url,
                        "no_article_body",
                        "neither the source's selectors nor generic extraction found a body",
                        raw.raw_id,
                    ),
                )
            )
        content_html, method = extracted, "trafilatura"
    title = _select_text(soup, options.get("title_selector", "h1")) or (
        soup.title.get_text(strip=True) if soup.title else ""
    )
    date_text = _select_text(soup, options.get("date_selector")) or _meta_date(soup)
    article = ParsedArticle(
        source_id=source.id,
        url=_article_url(soup, raw.final_url, original_url),
        title=title,
        content_html=content_html,
        raw_id=raw.raw_id,
        extraction_method=method,
        published_at=parse_listed_date(date_text, options.get("date_format"))
        or parse_datetime(raw.request.meta.get("listed_date")),
        language=source.language,
        meta={"charset": decoded.encoding, "charset_path": decoded.path},
    )
    return ParseResult(articles=(article,))

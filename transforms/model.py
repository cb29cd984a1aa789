"""The plain, frozen records that flow between claimtrail's stages.

Every stage speaks in these types so that each one can be tested with a string or a byte
literal: extractors turn HTTP exchanges into `RawDocument`s and `ParsedArticle`s, transforms
turn a `ParsedArticle` into an `ArticleRecord` with its `Claim`s, and the warehouse stores them.
Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


def stable_id(*parts: str, length: int = 16) -> str:
    """A short, deterministic id from its defining parts (the same inputs give the same id)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True)
class FetchRequest:
    """One URL a source wants fetched, and why.

    `role` tells the source's extractor how to read the answer (an API page, a feed, an article
    page…); `meta` carries hints from the page that led here (page number, listing date, post id).
    Both are stored with the raw document so that `reprocess` can re-read it with no network.
    """

    source_id: str
    url: str
    role: str
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class RawDocument:
    """One HTTP exchange, good or bad, exactly as received (archived before any parsing)."""

    raw_id: str
    source_id: str
    run_id: str
    request: FetchRequest
    final_url: str
    status: int
    headers: dict[str, str] = field(hash=False, compare=False)
    fetched_at: datetime
    body: bytes
    sha256: str
    error: str | None = None
    """Reason code when the exchange failed (e.g. `not_in_archive`, `timeout`, `http_404`)."""
    error_detail: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something that went wrong for one input; becomes a `quarantine` row, never a silent drop."""

    stage: str
    url: str
    reason: str
    detail: str = ""
    raw_id: str | None = None


@dataclass(frozen=True)
class ParsedArticle:
    """An article as a source's extractor found it, before any text repair."""

    source_id: str
    url: str
    """Canonical URL (rel=canonical, feed link, or the permalink the API reports)."""
    title: str
    content_html: str
    """The article body as HTML (a WordPress `content.rendered`, or the page's article node)."""
    raw_id: str
    extraction_method: str
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str = "en"
    external_id: str | None = None
    author: str | None = None
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ParseResult:
    """What an extractor read from one raw document: articles, further URLs, and problems."""

    articles: tuple[ParsedArticle, ...] = ()
    follow: tuple[FetchRequest, ...] = ()
    problems: tuple[Problem, ...] = ()
    cursor: str | None = None
    """The newest position this document proves (e.g. latest `modified_gmt`), for daily runs."""


@dataclass(frozen=True)
class TextChange:
    """One edit made by text repair, so an analyst can see what was altered and why."""

    offset: int
    before: str
    after: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class Repair:
    """Repaired text with every change that produced it."""

    text: str
    changes: tuple[TextChange, ...] = ()


@dataclass(frozen=True)
class Link:
    """An outbound link with its anchor text (links to original releases are provenance)."""

    url: str
    text: str


@dataclass(frozen=True)
class Section:
    """A heading and the paragraphs under it (heading is empty for the lead)."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Removal:
    """Boilerplate taken out of an article, and the rule that took it."""

    rule: str
    text: str


@dataclass(frozen=True)
class StructuredText:
    """An article body with boilerplate removed and its structure kept as fields."""

    highlights: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    disclaimers: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    header: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """Page-header metadata of CMS mirrors: release_time, source, citation, guide."""
    removed: tuple[Removal, ...] = ()
    debris: tuple[str, ...] = ()
    """Machine-translation debris that was flagged (kept in the text, listed here)."""

    @property
    def body_text(self) -> str:
        """Headings and paragraphs as plain text, one block per line."""
        lines: list[str] = []
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines.extend(section.paragraphs)
        return "\n".join(lines)


@dataclass(frozen=True)
class Claim:
    """One checkable statement of an article, with its provenance and verification status."""

    claim_id: str
    article_id: str
    seq: int
    section: str
    section_role: str
    text: str
    claim_type: str
    hedged: bool = False
    hedge_cues: tuple[str, ...] = ()
    attributed_to: str | None = None
    origin_url: str | None = None
    origin_class: str | None = None
    verification_status: str = "unverified"
    verification_reason: str = ""
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleRecord:
    """A repaired, structured article ready for the warehouse."""

    article_id: str
    version_id: str
    source_id: str
    url: str
    title: str
    published_at: datetime | None
    modified_at: datetime | None
    language: str
    body_text: str
    structure: StructuredText
    raw_id: str
    extraction_method: str
    external_id: str | None = None
    author: str | None = None
    repairs: tuple[TextChange, ...] = ()


@dataclass(frozen=True)
class SourceProfile:
    """Who a source is, as the claim tagger needs it (a slice of its `sources.toml` entry)."""

    source_id: str
    name: str
    origin_class: str
    """official_primary | soe_corporate | state_media | state_affiliated_research | newsletter |
    independent_news | price_agency"""
    owner: str = ""
    country: str = ""
    language: str = "en"

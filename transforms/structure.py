"""Boilerplate removal with the article's structure kept as fields.

An article body arrives as HTML (a WordPress `content.rendered`, a whole post page, a Chinese-CMS
mirror page) or as plain text (the seed copies). Both are first turned into the same flat list of
blocks (heading, paragraph, list item, table row), and one assembly pass then applies the rule
tables of `transforms.boilerplate_rules`: boilerplate is dropped and listed in `removed`, the
Highlights list, disclaimers, CMS header fields and outbound links become fields, and
machine-translation debris is flagged but kept. Sharing the assembly is what makes the HTML and
the plain-text reading of one article agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from transforms.boilerplate_rules import (
    BLOCK_RULES,
    DEBRIS_RULES,
    DISCLAIMER,
    ELEMENT_RULES,
    HEADER_LABELS,
    HIGHLIGHTS,
    INLINE_RULES,
    TOC_ENTRY,
    first_match,
)
from transforms.model import Link, Removal, Section, StructuredText

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKISH = frozenset(
    {"p", "div", "ul", "ol", "li", "table", "tr", "section", "article", "figure", "blockquote"}
    | {"pre", "dl", "dt", "dd", "header", "footer", "nav", "aside", "main", "form"}
    | _HEADING_TAGS
)
_ROOT_XPATHS = tuple(
    etree.XPath(path)
    for path in (
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' blog_details ')]",
        "//article",
        "//main",
        "//body",
    )
)
"""Where the article lives, most specific first: WordPress, the cngeo CMS, then generic HTML."""

_ELEMENT_XPATHS = {
    name: etree.XPath(" | ".join("." + part.strip() for part in path.split("|")))
    for name, path in ELEMENT_RULES.items()
}
_WHOLE_PAGE = re.compile(r"<(?:!doctype|html|body)\b", re.IGNORECASE)
_SHARE_URL = re.compile(r"/intent/tweet|/sharer|/shareArticle|[?&]share=")
_BULLET = re.compile(r"^(?:[-•*]\s+)")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z“\"‘'(]")
_HEADING_MAX_WORDS = 20
_NUMBERED_HEADING_MAX_CHARS = 300
_KNOWN_SUBHEADS = frozenset(
    {
        "highlights",
        "why relevant?",
        "what's news?",
        "implications for the west/usa",
        "what to watch next",
        "why this matters for the u.s. and europe",
        "company profiles",
    }
)
"""Recurring newsletter subheads (SOURCES.md), headings whatever their shape."""


@dataclass(frozen=True)
class _Block:
    """One unit of reading order: kind is heading, para, item (list item) or row (table row)."""

    kind: str
    text: str
    links: tuple[Link, ...] = ()


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- HTML to blocks --------------------------------------------------------------------------


def structure_html(html: str, *, base_url: str = "") -> StructuredText:
    """Split an article's HTML into fields, dropping boilerplate (a fragment or a whole page)."""
    if not html.strip():
        return StructuredText()
    if _WHOLE_PAGE.search(html, 0, 2048):
        root = _article_root(lxml.html.document_fromstring(html))
    else:  # a fragment such as content.rendered: keep its leading comments inside the root
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    removed: list[Removal] = []
    _drop_comments(root, removed)
    _drop_elements(root, removed)
    blocks: list[_Block] = []
    _walk(root, blocks, base_url)
    return _assemble(blocks, removed)


def _article_root(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in _ROOT_XPATHS:
        found = xpath(document)
        if found:
            return found[0]
    return document


def _drop_comments(root: lxml.html.HtmlElement, removed: list[Removal]) -> None:
    """HTML comments carry no text; Gutenberg block delimiters are recorded as debris."""
    for comment in root.xpath(".//comment()"):
        text = comment.text or ""
        if re.match(r"\s*/?wp:", text):
            removed.append(Removal("block_comment", f"<!--{text}-->"))
        else:
            removed.append(Removal("html_comment", _squash(text)))
        comment.drop_tree()


def _drop_elements(root: lxml.html.HtmlElement, removed: list[Removal]) -> None:
    for name, xpath in _ELEMENT_XPATHS.items():
        dropped: set[lxml.html.HtmlElement] = set()
        for element in xpath(root):
            if any(ancestor in dropped for ancestor in element.iterancestors()):
                continue
            dropped.add(element)
            text = _squash(element.text_content())
            if text:
                removed.append(Removal(name, text))
            element.drop_tree()


def _walk(element: lxml.html.HtmlElement, out: list[_Block], base_url: str) -> None:
    """Emit the blocks under `element` in reading order; containers of blocks are descended."""
    if element.text and element.text.strip():
        out.append(_Block("para", _squash(element.text)))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HEADING_TAGS:
            out.append(_leaf(child, "heading", base_url))
        elif tag == "p":
            out.append(_leaf(child, "heading" if _bold_only(child) else "para", base_url))
        elif tag == "li":
            nested = [c for c in child if c.tag in ("ul", "ol")]
            for sub in nested:
                child.remove(sub)
            out.append(_leaf(child, "item", base_url))
            for sub in nested:
                _walk(sub, out, base_url)
        elif tag == "tr":
            cells = [_squash(cell.text_content()) for cell in child if cell.tag in ("td", "th")]
            out.append(_Block("row", " | ".join(cells), _links(child, base_url)))
        elif tag and any(d.tag in _BLOCKISH for d in child.iterdescendants()):
            _walk(child, out, base_url)
        elif tag:
            out.append(_leaf(child, "para", base_url))
        if child.tail and child.tail.strip():
            out.append(_Block("para", _squash(child.tail)))


def _leaf(element: lxml.html.HtmlElement, kind: str, base_url: str) -> _Block:
    return _Block(kind, _squash(element.text_content()), _links(element, base_url))


def _bold_only(paragraph: lxml.html.HtmlElement) -> bool:
    """`<p><strong>Why Relevant?</strong></p>`: a subhead typed as a bold paragraph."""
    if len(paragraph) != 1 or paragraph[0].tag not in ("strong", "b"):
        return False
    if (paragraph.text or "").strip() or (paragraph[0].tail or "").strip():
        return False
    text = _squash(paragraph.text_content())
    return bool(text) and len(text.split()) <= _HEADING_MAX_WORDS and not text.endswith(".")


def _links(element: lxml.html.HtmlElement, base_url: str) -> tuple[Link, ...]:
    """Outbound links of a block: absolute, http(s), off-site, not share buttons."""
    own_host = urlsplit(base_url).hostname or ""
    found = []
    for anchor in element.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or _SHARE_URL.search(url):
            continue
        if own_host and (host == own_host or host.endswith("." + own_host)):
            continue
        found.append(Link(url=url, text=_squash(anchor.text_content())))
    return tuple(found)


# --- plain text to blocks --------------------------------------------------------------------


def structure_text(text: str) -> StructuredText:
    """Split a plain-text article (one block per line) into fields, dropping boilerplate.

    Headings are recognised by shape, since plain text has no markup: known subheads, numbered
    section titles, and short lines without closing punctuation; "- " lines are list items and
    "A | B |" lines are flattened table rows.
    """
    blocks = [_line_block(line) for line in text.splitlines() if line.strip()]
    removed: list[Removal] = []
    if len(blocks) > 1 and first_match(HEADER_LABELS, blocks[1].text):
        removed.append(Removal("title", blocks[0].text))
        blocks = blocks[1:]
    return _assemble(blocks, removed)


def _line_block(line: str) -> _Block:
    line = _squash(line)
    bullet = _BULLET.match(line)
    if bullet:
        return _Block("item", line[bullet.end() :])
    if " | " in line and line.endswith("|"):
        return _Block("row", line.rstrip("| ").strip())
    return _Block("heading" if _heading_shaped(line) else "para", line)


def _heading_shaped(line: str) -> bool:
    if line.lower().replace("’", "'") in _KNOWN_SUBHEADS:
        return True
    if _SECTION_NUMBER.match(line):
        return len(line) <= _NUMBERED_HEADING_MAX_CHARS
    return len(line.split()) <= _HEADING_MAX_WORDS and not line.endswith((".", ",", ";", ":"))


# --- blocks to fields ------------------------------------------------------------------------


def _assemble(blocks: list[_Block], removed: list[Removal]) -> StructuredText:
    """Apply the rule tables to blocks in reading order and gather the fields."""
    highlights: list[str] = []
    disclaimers: list[str] = []
    sections: list[Section] = []
    links: dict[tuple[str, str], Link] = {}
    header: dict[str, str] = {}
    debris: list[str] = []
    heading, paragraphs = "", []
    in_highlights = in_toc = False
    pending_label: str | None = None

    for block in blocks:
        text = _cut_inline(block.text, removed)
        if not text:
            continue
        rule = first_match(BLOCK_RULES, text)
        if rule:
            removed.append(Removal(rule, text))
            in_toc = rule == "table_of_contents"
            continue
        if in_toc and TOC_ENTRY.match(text) and len(text) <= _NUMBERED_HEADING_MAX_CHARS:
            removed.append(Removal("table_of_contents", text))
            continue
        in_toc = False
        at_top = not sections and not heading and not paragraphs and not highlights
        if pending_label:
            header[pending_label] = text
            pending_label = None
            continue
        label = first_match(HEADER_LABELS, text) if at_top else None
        if label:
            value = HEADER_LABELS[label].match(text).group(1).strip()
            if value:
                header[label] = value
            else:
                pending_label = label
            continue
        if block.kind in ("heading", "para") and HIGHLIGHTS.match(text):
            in_highlights = True
            continue
        if in_highlights and block.kind == "item":
            highlights.append(text)
        elif DISCLAIMER.match(text):
            disclaimers.append(text)
        elif block.kind == "heading":
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
            if any(matcher(text) for matcher in DEBRIS_RULES.values()):
                debris.append(text)
        else:
            paragraphs.append(text)
        in_highlights = in_highlights and block.kind == "item"
        links.update(((link.url, link.text), link) for link in block.links)

    if heading or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return StructuredText(
        highlights=tuple(highlights),
        sections=tuple(sections),
        disclaimers=tuple(disclaimers),
        links=tuple(links.values()),
        header=header,
        removed=tuple(removed),
        debris=tuple(debris),
    )


def _cut_inline(text: str, removed: list[Removal]) -> str:
    for name, pattern in INLINE_RULES.items():
        if pattern.search(text):
            removed.extend(Removal(name, match.group().strip()) for match in pattern.finditer(text))
            text = pattern.sub("", text)
    return _squash(text)

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

import functools
import re
from typing import NamedTuple
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
    INLINE_MARK,
    INLINE_RULES,
    TOC_ENTRY,
    anchored_union,
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

_BLOCK_RULE = anchored_union(BLOCK_RULES)
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


class _Block(NamedTuple):
    """One unit of reading order: kind is heading, para, item (list item) or row (table row).

    Its text is squashed (`_squash`) already."""

    kind: str
    text: str
    links: tuple[Link, ...] = ()


def _squash(text: str) -> str:
    """`text` with every whitespace run made one space and none at either end."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already so: ' ' is the only whitespace character that is printable
    return " ".join(text.split())


# --- HTML to blocks --------------------------------------------------------------------------

_PARSER = etree.HTMLParser()
"""lxml's HTML parser without `lxml.html`'s element classes: that per-node class lookup is a
Python call for every element touched, and nothing here needs the `HtmlElement` methods."""

_serialised_text = functools.partial(
    etree.tostring, method="text", encoding="unicode", with_tail=False
)


def _text_of(element: etree._Element) -> str:
    """An element's text content (its XPath string value), the fastest ways lxml offers: a
    childless element's own text, else the text serialiser."""
    if len(element):
        return _serialised_text(element)
    return element.text or ""


def structure_html(html: str, *, base_url: str = "") -> StructuredText:
    """Split an article's HTML into fields, dropping boilerplate (a fragment or a whole page)."""
    if not html.strip():
        return StructuredText()
    if _WHOLE_PAGE.search(html, 0, 2048):
        root = _article_root(lxml.html.document_fromstring(html, parser=_PARSER))
    else:  # a fragment such as content.rendered: keep its leading comments inside the root
        root = _fragment_root(html)
    removed: list[Removal] = []
    _drop_boilerplate(root, removed)
    blocks: list[_Block] = []
    _walk(root, blocks, _OutboundLinks(root, base_url))
    return _assemble(blocks, removed)


def _fragment_root(html: str) -> etree._Element:
    """The fragment's parent: the body of a document wrapped around it, as
    `lxml.html.fragment_fromstring(html, create_parent=True)` parses it (that function then
    moves the body's children into a new element, which the walk does not need)."""
    return etree.fromstring(f"<html><body>{html}</body></html>", _PARSER).find("body")


def _article_root(document: etree._Element) -> etree._Element:
    for xpath in _ROOT_XPATHS:
        found = xpath(document)
        if found:
            return found[0]
    return document


def _drop_boilerplate(root: etree._Element, removed: list[Removal]) -> None:
    """Drop the comments, then the elements of each `ELEMENT_RULES` rule in turn.

    One pass over the elements finds every rule's candidates; the drops then
    happen in the order rule-by-rule XPath queries would give (comments first, each rule's
    elements in document order), skipping what an earlier drop already took away. HTML
    comments carry no text; Gutenberg block delimiters are recorded as debris.
    """
    comments = list(root.iter(etree.Comment))
    candidates: dict[str, list[etree._Element]] = {name: [] for name in ELEMENT_RULES}
    for node in root.iterdescendants(etree.Element):
        tag = node.tag
        names = _RULES_BY_TAG.get(tag, ())
        classes, id_ = node.get("class"), node.get("id")
        if classes or id_:
            names = [*names, *_attribute_rules(tag, classes, id_)]
        for name in names:
            if not candidates[name] or candidates[name][-1] is not node:
                candidates[name].append(node)
    for comment in comments:
        text = comment.text or ""
        if _WP_DELIMITER.match(text):
            removed.append(Removal("block_comment", f"<!--{text}-->"))
        else:
            removed.append(Removal("html_comment", _squash(text)))
    if comments:  # each comment's tail stays, joined to the text before it
        etree.strip_elements(root, etree.Comment, with_tail=False)
    dropped: set[etree._Element] = set()
    for name, rule in ELEMENT_RULES.items():
        for element in candidates[name]:
            if element in dropped or any(a in dropped for a in element.iterancestors()):
                continue
            text = _text_of(element)
            if rule.containing and rule.containing not in text:
                continue
            dropped.add(element)
            text = _squash(text)
            if text:
                removed.append(Removal(name, text))
            _drop_tree(element)


_WP_DELIMITER = re.compile(r"\s*/?wp:")
_RULES_BY_TAG: dict[str, tuple[str, ...]] = {}
_RULES_BY_CLASS: dict[str, tuple[str, ...]] = {}
_RULES_BY_ID: dict[str, tuple[str, ...]] = {}
for _name, _rule in ELEMENT_RULES.items():
    for _index, _keys in ((_RULES_BY_TAG, _rule.tags), (_RULES_BY_CLASS, _rule.classes)):
        for _key in _keys:
            _index[_key] = (*_index.get(_key, ()), _name)
    for _key in _rule.ids:
        _RULES_BY_ID[_key] = (*_RULES_BY_ID.get(_key, ()), _name)
_XML_SPACE = re.compile(r"[ \t\r\n]+")
"""What XPath's normalize-space and CSS class lists split on (not Python's wider whitespace)."""


def _attribute_rules(tag: str, classes: str | None, id_: str | None) -> list[str]:
    """The rules an element's class tokens or id select it for."""
    names = [*_RULES_BY_ID.get(id_, ())] if id_ else []
    if classes:
        for token in _XML_SPACE.split(classes):
            names.extend(_RULES_BY_CLASS.get(token, ()))
    return [name for name in names if ELEMENT_RULES[name].only_tag in ("", tag)]


def _drop_tree(element: etree._Element) -> None:
    """Remove `element` with its content; its tail joins the previous sibling or the parent."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _walk(element: etree._Element, out: list[_Block], links: _OutboundLinks) -> None:
    """Emit the blocks under `element` in reading order; containers of blocks are descended."""
    text = element.text
    if text and not text.isspace():
        out.append(_Block("para", _squash(text)))
    for child in element:
        tag = child.tag
        if tag in _HEADING_TAGS:
            out.append(_Block("heading", _squash(_text_of(child)), links.of(child)))
        elif tag == "p":
            kind = "heading" if _bold_only(child) else "para"
            out.append(_Block(kind, _squash(_text_of(child)), links.of(child)))
        elif tag == "li":
            nested = [c for c in child if c.tag in ("ul", "ol")]
            for sub in nested:
                child.remove(sub)
            out.append(_Block("item", _squash(_text_of(child)), links.of(child)))
            for sub in nested:
                _walk(sub, out, links)
        elif tag == "tr":
            cells = [_squash(_text_of(cell)) for cell in child if cell.tag in ("td", "th")]
            out.append(_Block("row", _squash(" | ".join(cells)), links.of(child)))
        elif not isinstance(tag, str):
            pass  # a processing instruction or entity: no block of its own
        elif next(child.iterdescendants(*_BLOCKISH), None) is not None:
            _walk(child, out, links)
        else:
            out.append(_Block("para", _squash(_text_of(child)), links.of(child)))
        tail = child.tail
        if tail and not tail.isspace():
            out.append(_Block("para", _squash(tail)))


def _bold_only(paragraph: etree._Element) -> bool:
    """`<p><strong>Why Relevant?</strong></p>`: a subhead typed as a bold paragraph."""
    if len(paragraph) != 1 or paragraph[0].tag not in ("strong", "b"):
        return False
    if (paragraph.text or "").strip() or (paragraph[0].tail or "").strip():
        return False
    text = _squash(_text_of(paragraph))
    return bool(text) and len(text.split()) <= _HEADING_MAX_WORDS and not text.endswith(".")


class _OutboundLinks:
    """Outbound links of a block: absolute, http(s), off-site, not share buttons."""

    def __init__(self, root: etree._Element, base_url: str):
        self.base_url = base_url
        self.own_host = urlsplit(base_url).hostname or ""
        # The anchors and the elements with one inside: most blocks are neither and skip
        # the search.
        self.holders = {
            node for anchor in root.iter("a") for node in (anchor, *anchor.iterancestors())
        }

    def of(self, element: etree._Element) -> tuple[Link, ...]:
        if element not in self.holders:
            return ()
        found = []
        for anchor in element.iter("a"):
            href = (anchor.get("href") or "").strip()
            if not href or href.startswith("#"):
                continue
            url = urljoin(self.base_url, href)
            parts = urlsplit(url)
            host = parts.hostname or ""
            if parts.scheme not in ("http", "https") or _SHARE_URL.search(url):
                continue
            own_host = self.own_host
            if own_host and (host == own_host or host.endswith("." + own_host)):
                continue
            found.append(Link(url=url, text=_squash(_text_of(anchor))))
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
        kind = block.kind
        text = _cut_inline(block.text, removed)
        if not text:
            continue
        rule_match = _BLOCK_RULE.match(text)
        if rule_match:
            rule = rule_match.lastgroup
            removed.append(Removal(rule, text))
            in_toc = rule == "table_of_contents"
            continue
        if in_toc and TOC_ENTRY.match(text) and len(text) <= _NUMBERED_HEADING_MAX_CHARS:
            removed.append(Removal("table_of_contents", text))
            continue
        in_toc = False
        if pending_label:
            header[pending_label] = text
            pending_label = None
            continue
        at_top = not sections and not heading and not paragraphs and not highlights
        label = first_match(HEADER_LABELS, text) if at_top else None
        if label:
            value = HEADER_LABELS[label].match(text).group(1).strip()
            if value:
                header[label] = value
            else:
                pending_label = label
            continue
        if kind in ("heading", "para") and HIGHLIGHTS.match(text):
            in_highlights = True
            continue
        if in_highlights and kind == "item":
            highlights.append(text)
        elif DISCLAIMER.match(text):
            disclaimers.append(text)
        elif kind == "heading":
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
            if any(matcher(text) for matcher in DEBRIS_RULES.values()):
                debris.append(text)
        else:
            paragraphs.append(text)
        in_highlights = in_highlights and kind == "item"
        if block.links:
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
    """`text` (already squashed) without its inline boilerplate, squashed again if cut."""
    if INLINE_MARK not in text:
        return text
    cut = False
    for name, pattern in INLINE_RULES.items():
        if pattern.search(text):
            removed.extend(Removal(name, match.group().strip()) for match in pattern.finditer(text))
            text = pattern.sub("", text)
            cut = True
    return _squash(text) if cut else text

"""The declarative rule tables of boilerplate removal: one line per rule, name -> matcher.

Kept apart from the walking code in `transforms.structure` so that adding a widget, a footer
wording or a debris pattern is a one-line change with its own example in the tests. Patterns
accept the unrepaired forms too (`©`, `ยฉ`, `Â©`), since repair may miss a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_COPYRIGHT = r"(?:©|ยฉ|Â©|\(c\)|Copyright)"


@dataclass(frozen=True)
class ElementRule:
    """Elements to drop: those with one of `tags`, or with a class in `classes` or an id in
    `ids`; `only_tag` narrows the class and id matches to one tag, and `containing` keeps only
    elements whose text (at the time the rule runs) contains it.

    Plain sets rather than XPath, so that one pass over the tree can find every rule's
    elements: ten XPath evaluations cost more than the rest of the structuring together.
    """

    tags: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    only_tag: str = ""
    containing: str = ""


ELEMENT_RULES: dict[str, ElementRule] = {
    "title": ElementRule(tags=frozenset({"h1"})),
    "entry_meta": ElementRule(classes=frozenset({"entry-meta"})),
    "script_style": ElementRule(tags=frozenset({"script", "style", "noscript", "template"})),
    "table_of_contents": ElementRule(
        classes=frozenset({"wp-block-rank-math-toc-block", "blog_details_catalog", "ez-toc"}),
        ids=frozenset({"rank-math-toc", "toc_container"}),
    ),
    "navigation": ElementRule(tags=frozenset({"nav", "header"}), classes=frozenset({"breadcrumb"})),
    "new_tab_notice": ElementRule(
        classes=frozenset({"screen-reader-text"}), only_tag="span", containing="new tab"
    ),
    "comment_widget": ElementRule(
        classes=frozenset({"comments-area"}), ids=frozenset({"comments", "respond"})
    ),
    "share_widget": ElementRule(classes=frozenset({"sharedaddy", "share-buttons"})),
    "site_footer": ElementRule(
        tags=frozenset({"footer"}), classes=frozenset({"footer"}), ids=frozenset({"colophon"})
    ),
    "form": ElementRule(tags=frozenset({"form"})),
}
"""Whole elements to drop from the article node, rule by rule in this order (a class is one
whitespace-separated token of the class attribute, as in CSS)."""

BLOCK_RULES: dict[str, re.Pattern[str]] = {
    "block_comment": re.compile(r"^(?:<|&lt;|©|ยฉ|Â©)?!--\s*/?wp:[\w/-]+.*?--(?:>|&gt;)$"),
    "comment_widget": re.compile(
        r"^(?:\d+ Comments?|Leave a (?:Reply|Comment)|No replies yet"
        r"|Loading new replies(?:\.{3}|…)?|Moderator|Join the full discussion\b.*)$",
        re.IGNORECASE,
    ),
    "table_of_contents": re.compile(r"^(?:Table of Contents|CONTENTS|目录)$", re.IGNORECASE),
    "share_widget": re.compile(r"^(?:Spread the word|Share this)\s*:?$", re.IGNORECASE),
    "site_footer": re.compile(rf"^{_COPYRIGHT}\s*(?:©\s*)?\d{{4}}\b"),
    "forum_promo": re.compile(r"^Visit the Rare Earth Exchanges Forum\b.*\bto discuss\b"),
    "chatbot_preamble": re.compile(
        r"^(?:Sure|Certainly|Of course)[,!]?\s+here(?: is|’s|'s| are)\b.*:$", re.IGNORECASE
    ),
}
"""Blocks (a paragraph, heading, list item or text line) to drop when their whole text matches."""

INLINE_RULES: dict[str, re.Pattern[str]] = {
    "new_tab_notice": re.compile(r"\s?\((?:opens|open) in a new (?:tab|window)\)"),
}
"""Text to cut out of a block that is otherwise kept (plain-text copies of hidden spans)."""

INLINE_MARK = "in a new "
"""Text in every inline rule's match: blocks without it skip the rules, since `in` finds it far
faster than a pattern starting with `\\s?`, which is tried at every position."""

TOC_ENTRY = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
"""A numbered contents line; after a contents heading, such lines are the contents list."""

HEADER_LABELS: dict[str, re.Pattern[str]] = {
    "release_time": re.compile(r"^Release time\s*[:：]\s*(.*)$", re.IGNORECASE),
    "source": re.compile(r"^Source\s*[:：]\s*(.*)$", re.IGNORECASE),
    "guide": re.compile(r"^Guide to Reading\s*[:：]?\s*(.*)$", re.IGNORECASE),
    "citation": re.compile(r"^Information cited in this article\s*[:：]?\s*(.*)$", re.IGNORECASE),
}
"""Chinese-CMS header labels (发布时间, 来源, 导读, 本文引用信息) as machine translation renders
them; an empty value means the value is the next block."""

HIGHLIGHTS = re.compile(r"^(?:Key )?Highlights\s*:?$", re.IGNORECASE)
DISCLAIMER = re.compile(r"^Disclaimer\s*[:：]", re.IGNORECASE)

_PINYIN = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo"
    r"|ui|ue|er|a|o|e|i|u|v)$"
)
_TONE_MARKS = frozenset("\u0304\u0301\u030c\u0300")
_WORD = re.compile(r"[^\W\d_]+")


def _stray_pinyin(text: str) -> bool:
    """A word with a pinyin tone mark that is a pinyin syllable (e.g. "Jùn" for 峻)."""
    if text.isascii():  # no tone marks, composed or combining
        return False
    for word in _WORD.findall(text):
        decomposed = unicodedata.normalize("NFD", word)
        if not _TONE_MARKS.intersection(decomposed):
            continue
        bare = "".join(c for c in decomposed if c not in _TONE_MARKS).replace("\u0308", "")
        if _PINYIN.match(bare.lower()):
            return True
    return False


_FUSED_FRAGMENT = re.compile(r"[a-z]{2,}\.\s+[A-Z][^.!?]*$")
_MIDLINE_ARTICLE = re.compile(r"(?<=[a-z]) (?:The|A|An) [a-z“\"‘]")
FUSED_HEADING_WORDS = 25

DEBRIS_RULES: dict[str, Callable[[str], object]] = {
    "stray_pinyin": _stray_pinyin,
    "fused_fragment": _FUSED_FRAGMENT.search,
    "midline_capitalised_article": _MIDLINE_ARTICLE.search,
    "heading_fused_with_body": lambda text: len(text.split()) > FUSED_HEADING_WORDS,
}
"""Machine-translation debris in headings: flagged and kept, never deleted. Each matcher takes the
heading text and returns something truthy when it fires."""


def first_match(rules: dict[str, re.Pattern[str]], text: str) -> str | None:
    """The name of the first rule whose pattern matches `text`, if any."""
    for name, pattern in rules.items():
        if pattern.search(text):
            return name
    return None


def anchored_union(rules: dict[str, re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern whose `.match(text).lastgroup` is `first_match(rules, text)`.

    Every rule must be anchored at the start (`^`, without MULTILINE, any top-level `|` inside
    a group): the alternatives are then tried in order at position 0 only, so the first rule
    that matches wins as in `first_match`, with one regex call per block instead of one per rule.
    """
    parts = []
    for name, pattern in rules.items():
        if not pattern.pattern.startswith("^") or pattern.flags & re.MULTILINE:
            raise ValueError(f"rule {name!r} is not anchored at the start of the text")
        flags = "i" if pattern.flags & re.IGNORECASE else ""
        parts.append(f"(?P<{name}>(?{flags}:{pattern.pattern}))")
    return re.compile("|".join(parts))

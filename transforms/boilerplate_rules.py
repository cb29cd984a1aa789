"""The declarative rule tables of boilerplate removal: one line per rule, name -> matcher.

Kept apart from the walking code in `transforms.structure` so that adding a widget, a footer
wording or a debris pattern is a one-line change with its own example in the tests. Patterns
accept the unrepaired forms too (`©`, `ยฉ`, `Â©`), since repair may miss a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_COPYRIGHT = r"(?:©|ยฉ|Â©|\(c\)|Copyright)"


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


ELEMENT_RULES: dict[str, str] = {
    "title": "//h1",
    "entry_meta": f"//*[{_has_class('entry-meta')}]",
    "script_style": "//script | //style | //noscript | //template",
    "table_of_contents": (
        f"//*[@id='rank-math-toc' or {_has_class('wp-block-rank-math-toc-block')}"
        f" or {_has_class('blog_details_catalog')} or @id='toc_container'"
        f" or {_has_class('ez-toc')}]"
    ),
    "navigation": f"//nav | //header | //*[{_has_class('breadcrumb')}]",
    "new_tab_notice": (f"//span[{_has_class('screen-reader-text')} and contains(., 'new tab')]"),
    "comment_widget": f"//*[@id='comments' or @id='respond' or {_has_class('comments-area')}]",
    "share_widget": f"//*[{_has_class('sharedaddy')} or {_has_class('share-buttons')}]",
    "site_footer": f"//footer | //*[@id='colophon' or {_has_class('footer')}]",
    "form": "//form",
}
"""Whole elements to drop from the article node (XPath, lxml)."""

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

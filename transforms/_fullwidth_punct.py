"""Full-width (CJK) punctuation typed inside English, as on Chinese SOEs' English pages.

"RMB 1。6 trillion" is an input-method slip, not CJK text: inside Latin context the full-width
mark becomes its ASCII counterpart (with the space English puts after a comma or before a
parenthesis). Inside CJK text the same marks are correct and stay.
"""

from __future__ import annotations

import re

from transforms.model import TextChange

RULE = "fullwidth-punctuation"
CONFIDENCE = 0.9

ASCII_OF = {
    "。": ".",
    "．": ".",
    "，": ",",
    "、": ",",
    "；": ";",
    "：": ":",
    "！": "!",
    "？": "?",
    "（": "(",
    "）": ")",
    "％": "%",
    "＆": "&",
    "＋": "+",
    "－": "-",
    "／": "/",
    "［": "[",
    "］": "]",
    "～": "~",
    "\u3000": " ",
}
TELLTALES = re.escape("".join(ASCII_OF))
"""The full-width marks this layer maps, as a character-class body."""
_MARK = re.compile(f"[{TELLTALES}]")
_CJK = re.compile(
    "[\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff01-\uff60\U00020000-\U0003ffff]"
)


def could_apply(text: str) -> bool:
    return _MARK.search(text) is not None


def _nearest_letter(text: str, index: int, step: int) -> str:
    """The nearest letter within the line: the words around a mark say which language it is in.

    Digits and symbols are shared ("1。6" is English in "RMB 1。6 trillion" and Chinese in
    "达1。6万亿元"), so they are skipped.
    """
    while 0 <= index < len(text) and text[index] != "\n":
        if text[index].isalpha():
            return text[index]
        index += step
    return ""


def _in_latin_context(text: str, index: int) -> bool:
    before = _nearest_letter(text, index - 1, -1)
    after = _nearest_letter(text, index + 1, 1)
    if _CJK.match(before) or _CJK.match(after):
        return False
    return any(char.isascii() or "\u00c0" <= char <= "\u024f" for char in (before, after) if char)


def _is_thousands_group(text: str, index: int) -> bool:
    """A comma between a digit and exactly three digits separates thousands: no space."""
    digits = 0
    while index + 1 + digits < len(text) and text[index + 1 + digits].isdigit():
        digits += 1
    return index > 0 and text[index - 1].isdigit() and digits == 3


def _replacement(text: str, index: int) -> str:
    mark = text[index]
    ascii_mark = ASCII_OF[mark]
    prev_char = text[index - 1] if index else ""
    next_char = text[index + 1] if index + 1 < len(text) else ""
    opens_next = next_char.isalnum() or next_char in "|([“‘"
    if ascii_mark == "," and opens_next and not _is_thousands_group(text, index):
        return ", "
    if ascii_mark in ";:!?)" and next_char.isalpha():
        return ascii_mark + " "
    if mark == "。" and opens_next and not (prev_char.isdigit() and next_char.isdigit()):
        return ". "  # the ideographic full stop ends a sentence; "1。6" is a decimal slip
    if mark == "．" and next_char.isupper() and prev_char.islower():
        return ". "
    if ascii_mark == "(" and prev_char.isalnum():
        return " ("
    return ascii_mark


def find_changes(text: str) -> list[TextChange]:
    """Every full-width mark in Latin context, mapped to ASCII, with offsets into `text`."""
    return [
        TextChange(
            match.start(), match.group(), _replacement(text, match.start()), RULE, CONFIDENCE
        )
        for match in _MARK.finditer(text)
        if _in_latin_context(text, match.start())
    ]

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
_MARK = re.compile(f"[{''.join(ASCII_OF)}]")
_CJK = re.compile(
    "[\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff01-\uff60\U00020000-\U0003ffff]"
)
_SPACE_AFTER_BEFORE_LETTER = ",;:!?)"


def could_apply(text: str) -> bool:
    return _MARK.search(text) is not None


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character that is not a space, digit or full-width mark, within the line.

    Digits are skipped because they are shared: "1。6" is English in "RMB 1。6 trillion" and
    Chinese in "达1。6万亿元"; the words around the number decide.
    """
    while 0 <= index < len(text) and text[index] != "\n":
        char = text[index]
        if not (char.isspace() or char.isdigit() or char in ASCII_OF):
            return char
        index += step
    return ""


def _in_latin_context(text: str, index: int) -> bool:
    before = _neighbour(text, index - 1, -1)
    after = _neighbour(text, index + 1, 1)
    if _CJK.match(before) or _CJK.match(after):
        return False
    return any(char.isascii() and char.isalpha() for char in (before, after))


def find_changes(text: str) -> list[TextChange]:
    """Every full-width mark in Latin context, mapped to ASCII, with offsets into `text`."""
    changes = []
    for match in _MARK.finditer(text):
        index = match.start()
        if not _in_latin_context(text, index):
            continue
        replacement = ASCII_OF[match.group()]
        prev_char = text[index - 1] if index else ""
        next_char = text[index + 1] if index + 1 < len(text) else ""
        if (replacement in _SPACE_AFTER_BEFORE_LETTER and next_char.isalpha()) or (
            replacement == "." and next_char.isupper() and prev_char.strip()
        ):
            replacement += " "
        elif replacement == "(" and prev_char.isalnum():
            replacement = " ("
        changes.append(TextChange(index, match.group(), replacement, RULE, CONFIDENCE))
    return changes

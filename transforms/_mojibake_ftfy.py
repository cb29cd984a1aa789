"""ftfy for the mojibake it knows (UTF-8 read as Latin-1, cp1252, MacRoman, ...), and nothing else.

ftfy's defaults also uncurl quotes, expand ligatures, narrow full-width letters, unescape HTML
and normalise Unicode; each of those would alter legitimate typography or content (’ → ',
½ untouched but ﬁ → fi, "&amp;" written on purpose → "&"), so only the encoding fixes, C1
controls and surrogate pairs stay on. ftfy works line by line, as `ftfy.fix_text` does, and a
line is only handed to it when ftfy's own first test (`is_bad`, C1 controls, surrogates) says
there is something to fix, which keeps clean text fast without changing any result.
"""

from __future__ import annotations

import difflib
import re

import ftfy
from ftfy.badness import is_bad

from transforms.model import TextChange

RULE = "ftfy"
CONFIDENCE = 0.95
"""ftfy's fixes are decodings it has checked to be consistent; not certain, nearly so."""

CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")


def _needs_ftfy(line: str) -> bool:
    return not line.isascii() and (is_bad(line) or _C1_OR_SURROGATE.search(line) is not None)


def find_changes(text: str) -> list[TextChange]:
    """Every edit ftfy makes to `text`, with offsets into `text`."""
    changes: list[TextChange] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if _needs_ftfy(line):
            fixed, explanation = ftfy.fix_and_explain(line, CONFIG)
            if fixed != line:
                rule = (
                    RULE
                    + ":"
                    + ",".join(f"{step.action}:{step.parameter}" for step in explanation or ())
                )
                changes.extend(_diff(line, fixed, offset, rule))
        offset += len(line)
    return changes


def _diff(before: str, after: str, offset: int, rule: str) -> list[TextChange]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        TextChange(offset + i1, before[i1:i2], after[j1:j2], rule, CONFIDENCE)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]

"""ftfy for the mojibake it knows (UTF-8 read as Latin-1, cp1252, MacRoman, ...), and nothing else.

ftfy's defaults also uncurl quotes, expand ligatures, narrow full-width letters, unescape HTML
and normalise Unicode; each of those would alter legitimate typography or content (’ → ',
½ untouched but ﬁ → fi, "&amp;" written on purpose → "&"), so only the encoding fixes, C1
controls and surrogate pairs stay on. ftfy works line by line, as `ftfy.fix_text` does, and a
line is only handed to it when ftfy's own first test (`is_bad`, C1 controls, surrogates) says
there is something to fix (checked only around the characters that test can react to), which
keeps clean text fast without changing any result.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re

import ftfy
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad

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

MAX_BADNESS_MATCH = 8
"""Longest stretch `BADNESS_RE` can match ("ГўВЂВ" plus two characters is the longest)."""


_CLEAN_TEXT_CATEGORIES = ("common", "start_punctuation", "end_punctuation")
"""ftfy's categories of characters that clean English is full of (’ “ ” – — … © ™ •)."""


def _trigger_characters() -> str:
    """Characters at least one of which is in every `BADNESS_RE` match.

    Every alternative of ftfy's badness pattern has a position that only a non-ASCII character
    outside ftfy's common, start- and end-punctuation categories can fill (a curly quote or ©
    is only bad next to such a character; `tests/test_encoding.py` checks this on ftfy's
    parsed pattern), so text without a trigger cannot be bad, and clean English, full of
    quotes and dashes, has none; read off ftfy's own pattern to stay in step.
    """
    pattern = BADNESS_RE.pattern
    chars: set[str] = set()
    for index, char in enumerate(pattern):
        if char == "-" and 0 < index < len(pattern) - 1:
            low, high = pattern[index - 1], pattern[index + 1]
            if not low.isascii() and not high.isascii():
                chars.update(map(chr, range(ord(low), ord(high) + 1)))
        elif not char.isascii():
            chars.add(char)
    for category in _CLEAN_TEXT_CATEGORIES:
        chars -= set(MOJIBAKE_CATEGORIES[category])
    return "".join(sorted(chars))


TELLTALES = re.escape(_trigger_characters()) + "\ud800-\udfff"
"""Badness triggers, C1 controls (themselves triggers) and surrogates, as a character-class
body: text without any of them has nothing for ftfy to fix."""
_TRIGGER = re.compile(f"[{re.escape(_trigger_characters())}]")
_ANYTHING_TO_DO = re.compile(f"[{TELLTALES}]")


def looks_bad(line: str) -> bool:
    """`ftfy.badness.is_bad(line)`, but only scanning around trigger characters.

    `is_bad` runs its large pattern at every position (about 0.6 ms on a 5 KB article); this
    gives the same True for every text where `is_bad` is True (it may say True a little more
    often, which only costs an ftfy call that then finds nothing).
    """
    return any(
        is_bad(line[max(0, m.start() - MAX_BADNESS_MATCH) : m.end() + MAX_BADNESS_MATCH])
        for m in _TRIGGER.finditer(line)
    )


def _needs_ftfy(line: str) -> bool:
    return not line.isascii() and (looks_bad(line) or _C1_OR_SURROGATE.search(line) is not None)


def find_changes(text: str) -> list[TextChange]:
    """Every edit ftfy makes to `text`, with offsets into `text`.

    Only the lines holding a telltale are looked at: `_needs_ftfy` is False for the others.
    """
    telltales = [match.start() for match in _ANYTHING_TO_DO.finditer(text)]
    if not telltales:
        return []
    lines = text.splitlines(keepends=True)
    starts = list(itertools.accumulate(map(len, lines), initial=0))
    changes: list[TextChange] = []
    for index in sorted({bisect.bisect_right(starts, position) - 1 for position in telltales}):
        line = lines[index]
        if _needs_ftfy(line):
            fixed, explanation = ftfy.fix_and_explain(line, CONFIG)
            if fixed != line:
                rule = (
                    RULE
                    + ":"
                    + ",".join(f"{step.action}:{step.parameter}" for step in explanation or ())
                )
                changes.extend(_diff(line, fixed, starts[index], rule))
    return changes


def _diff(before: str, after: str, offset: int, rule: str) -> list[TextChange]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        TextChange(offset + i1, before[i1:i2], after[j1:j2], rule, CONFIDENCE)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]

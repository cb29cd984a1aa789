"""Case-insensitive matching without `re.IGNORECASE`: lower-case the sentence once, then match
lower-case patterns case-sensitively.

Why: the claim tagger runs a dozen case-insensitive regexes on every sentence of a backfill, and
Python's engine is two to five times slower with IGNORECASE (each character is case-mapped at
every attempt, and the quick first-character skip is lost). Lower-casing the text once and
matching case-sensitively gives the same matches at the same offsets, with one exception: the
few characters on which `str.lower` and the engine's case-insensitive comparison disagree
(dotless ı and dotted İ, long ſ, the Kelvin sign, Greek final sigma and letter variants, some
Cyrillic variants...). A text containing one of them is matched with IGNORECASE as before, so
the results are identical for every text (tests/test_casefold.py checks the character list
against the running interpreter's Unicode tables).

Most of these patterns rarely match, so each also carries, when it has a short one, the list of
literal strings one of which every match must contain (read from the parsed pattern): a sentence
containing none of them cannot match, and a few substring tests cost less than the scan.
"""

from __future__ import annotations

import re

# The regex parser's own tree (private modules of `re`, present since Python 3.11, the oldest
# this project supports): the prefilter reads the literals of a pattern from it.
from re import _constants as sre
from re import _parser as sre_parse

TRAPS = (
    "\u00b5\u0130-\u0131\u017f\u0345\u0390\u0392\u0395\u0398-\u039a\u039c\u03a0-\u03a1\u03a3"
    "\u03a6\u03b0\u03b2\u03b5\u03b8-\u03ba\u03bc\u03c0-\u03c3\u03c6\u03d0-\u03d1\u03d5-\u03d6"
    "\u03f0-\u03f1\u03f4-\u03f5\u0412\u0414\u041e\u0421-\u0422\u042a\u0432\u0434\u043e"
    "\u0441-\u0442\u044a\u0462-\u0463\u1c80-\u1c88\u1e60-\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\u212a"
    "\ua64a-\ua64b\ufb05-\ufb06"
)
"""Non-ASCII characters whose lower-casing differs from what IGNORECASE compares (a character
class body)."""
_TRAP = re.compile(f"[{TRAPS}]")
_NOT_FOLDABLE_SOURCE = re.compile(rf"[A-Z{TRAPS}]|\\[0-9xuUN]")


def fold(text: str) -> str | None:
    """`text.lower()` when matching it case-sensitively equals matching `text` with IGNORECASE,
    else None (the text holds a character of `TRAPS`)."""
    if text.isascii() or _TRAP.search(text) is None:
        return text.lower()
    return None


def foldable(source: str) -> bool:
    """Whether a pattern can be matched on folded text: no capital letters (nor `\\S`, `\\W`…,
    which lower-casing would not keep), no character escapes that could spell one, no trap."""
    return _NOT_FOLDABLE_SOURCE.search(source) is None


class FoldedPattern:
    """A lower-case pattern matched case-insensitively: on the folded text when there is one,
    else with IGNORECASE on the text itself. Matches found on the folded text are lower-case;
    their offsets are the text's."""

    def __init__(self, source: str, flags: int = 0) -> None:
        if not foldable(source):
            raise ValueError(f"pattern cannot be matched on folded text: {source!r}")
        self.folded = re.compile(source, flags)
        self.insensitive = re.compile(source, flags | re.IGNORECASE)
        self.needs = prefilter(source, flags)

    def search(self, text: str, folded: str | None) -> re.Match[str] | None:
        if folded is None:
            return self.insensitive.search(text)
        if self.needs is not None:
            for needle in self.needs:
                if needle in folded:
                    break
            else:
                return None
        return self.folded.search(folded)


_MAX_NEEDLES = 16
_MIN_NEEDLE = 3


def prefilter(
    source: str,
    flags: int = 0,
    *,
    max_needles: int = _MAX_NEEDLES,
    min_needle: int = _MIN_NEEDLE,
) -> tuple[str, ...] | None:
    """Literals one of which every match of the pattern contains, when they are few and long
    enough to be a cheaper test than the scan itself (measured for a claim-type pattern: up to
    16 of 3+ characters other than spaces; a costlier scan affords more and shorter ones);
    else None. A pattern anchored at the start is tried at one position only: no prefilter."""
    parsed = sre_parse.parse(source, flags)
    if len(parsed) and parsed[0] == (sre.AT, sre.AT_BEGINNING):
        return None
    found = required_literals(parsed)
    if found is None:
        return None
    needles = tuple(sorted(n for n in found if not any(m != n and m in n for m in found)))
    if len(needles) > max_needles or min(map(_rarity, needles)) < min_needle:
        return None
    return needles


def _rarity(needle: str) -> int:
    """How rare a needle is, by its length without spaces: a space is in every sentence, so
    " to" is as common as "to" (in most sentences), while "poised" is not."""
    return len(needle) - needle.count(" ")


_ZERO_WIDTH = frozenset((sre.AT, sre.ASSERT, sre.ASSERT_NOT))
_REPEATS = frozenset((sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT))


def required_literals(items) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence `items` contains, or None when
    no such set is known. Consecutive literal characters form one string (zero-width
    assertions between them consume nothing); a group needs what its content needs; an
    alternation needs the union of what its branches need; a repeat needs its body when it
    runs at least once. Of the candidates of a sequence, the set whose shortest string is
    rarest wins (fewer strings on a tie): the rarer the test passes, the more scans it saves."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if op in _ZERO_WIDTH:
            continue
        if run:
            candidates.append(frozenset(("".join(run),)))
            run = []
        needed = None
        if op is sre.SUBPATTERN:
            needed = required_literals(av[-1])
        elif op is sre.ATOMIC_GROUP:
            needed = required_literals(av)
        elif op is sre.BRANCH:
            branches = [required_literals(branch) for branch in av[1]]
            if all(branch is not None for branch in branches):
                needed = frozenset().union(*branches)
        elif op in _REPEATS and av[0] >= 1:
            needed = required_literals(av[2])
        if needed:
            candidates.append(needed)
    if run:
        candidates.append(frozenset(("".join(run),)))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(map(_rarity, c)), -len(c)))

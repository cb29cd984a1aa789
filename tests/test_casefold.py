"""Folded matching must give exactly what IGNORECASE gives (transforms/casefold.py)."""

from __future__ import annotations

import _sre
import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from transforms import claim_types
from transforms.casefold import TRAPS, FoldedPattern, fold, foldable, prefilter
from transforms.hedging import default_detector


def _traps_of_this_interpreter() -> set[int]:
    """Non-ASCII characters where lower-casing and IGNORECASE's comparison may disagree: a
    lower case of another length, a full mapping unlike the engine's simple one, a character
    the engine treats as equal to another one (its extra cases), a lower case that is ASCII,
    or a word/digit/space class that changes with the case."""
    extra: set[int] = set()
    for key, values in re._compiler._EXTRA_CASES.items():
        extra.add(key)
        extra.update(values)
    word, digit, space = re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")
    found = set()
    for code in range(128, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        lower = char.lower()
        if (
            len(lower) != 1
            or ord(lower) != _sre.unicode_tolower(code)
            or code in extra
            or ord(lower) in extra
            or lower.isascii()
            or lower.lower() != lower
            or any(bool(c.match(char)) != bool(c.match(lower)) for c in (word, digit, space))
        ):
            found.add(code)
    return found


def test_trap_list_covers_this_interpreter() -> None:
    listed = re.compile(f"[{TRAPS}]")
    missing = [hex(c) for c in _traps_of_this_interpreter() if not listed.match(chr(c))]
    assert missing == []


def test_fold_refuses_trap_text_and_keeps_offsets() -> None:
    assert fold("Straße 10 “Quoted”") == "straße 10 “quoted”"
    assert fold("İstanbul") is None
    assert fold("the ſhip") is None


def test_foldable_rejects_capitals_and_escapes() -> None:
    assert foldable(r"\bwill(?! of\b)")
    assert not foldable(r"\bWill")
    assert not foldable(r"\S+")
    assert not foldable(r"\x41")


_PATTERNS = (r"\bmay(?!\s+\d)", r"(?<![\w-])(?:is|are) (?:set|poised) to\b", r"[a-z]+ed\b")


@given(st.text(alphabet=st.sampled_from("aAiIıİsSſkKK σΣς-—’5 .edMAYmay"), max_size=30))
def test_folded_matches_equal_ignorecase(text: str) -> None:
    for source in _PATTERNS:
        folded = FoldedPattern(source)
        expected = re.compile(source, re.IGNORECASE).search(text)
        got = folded.search(text, fold(text))
        assert (got and got.span()) == (expected and expected.span())


def test_prefilter_reads_required_literals() -> None:
    assert prefilter(r"\b(?:would|could|may|might)\b(?!\s+\d)") == (
        "could",
        "may",
        "might",
        "would",
    )
    assert prefilter(r"\b(?:needs? to|must)\b") == ("must", "need")
    assert prefilter(r"\b(?:will|x?)\b") is None  # a branch that needs nothing
    assert prefilter(r"^(?:subscribe|click)") is None  # anchored: tried once anyway
    assert prefilter(r"\b(?:in|on) \d{4}") is None  # " " is too short to be worth a test


_TYPE_PATTERNS = tuple(
    value for value in vars(claim_types).values() if isinstance(value, FoldedPattern)
)
_WORDS = sorted(
    {needle for p in _TYPE_PATTERNS for needle in p.needs or ()}
    | {"The", "SHOULD the", "May 14", "Will", "of", "2025", "5%", "ſhould", "İn", ",", "?", " "}
)


@given(st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join))
def test_prefiltered_patterns_match_like_ignorecase(text: str) -> None:
    for pattern in _TYPE_PATTERNS:
        expected = pattern.insensitive.search(text)
        got = pattern.search(text, fold(text))
        assert (got and got.span()) == (expected and expected.span()), pattern.folded.pattern


_DETECTOR = default_detector()
_CUE_WORDS = sorted(
    set(_DETECTOR._needles)
    | {"if", "iff", "shift", "May 14", "maybe", "likely-", "Should the deal be approved", "ſeem"}
)


@given(st.lists(st.sampled_from([*_CUE_WORDS, "the", ",", "x"]), max_size=8).map(" ".join))
def test_prefiltered_hedge_cues_are_the_case_insensitive_ones(text: str) -> None:
    expected = tuple(dict.fromkeys(m.group(0).lower() for m in _DETECTOR._regex.finditer(text)))
    assert _DETECTOR.detect(text).cues == expected

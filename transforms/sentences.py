"""Sentence splitting for claim extraction: our rules where they are sure, pysbd where they are
not, and guards on the result.

Why not pysbd alone: it costs ≈ 0.75 ms per sentence (≈ 2 ms per paragraph; too slow for a
10k-article backfill at 300 articles/s) and it splits "Contemporary Amperex Technology Co.
Limited" after "Co." and "then-U.S. President Andrew Johnson" after "U.S.". Why not a regex
alone: initials and numbers ("J. Smith", "No. 1. The…") need pysbd's rules.

So each candidate boundary (terminal punctuation, whitespace, a capital or digit) is decided by
the word before it: an ordinary word, "?" or "!" ends a sentence; an abbreviation that never
ends one ("Mr.", "No.", "Co.", "e.g.") does not; one that may ("U.S.", "Ltd.", "etc.") ends it
only when the next word usually starts a sentence ("The", "It", "However"…); a number ends it
("…on May 14. The meeting") unless it opens the paragraph (a list number). Only a paragraph
with a single letter before a candidate ("J. Smith") goes to pysbd (built once). The guards
then run on either result: company suffixes ("Co., Ltd.", "Co. Limited"), "then-U.S.
President", bare list numbers ("1.", "(2)") and leading bullets are rejoined or stripped.
"""

from __future__ import annotations

import re

import pysbd

_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=False)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, and
# something that can start a sentence.
_CANDIDATE = re.compile(r"[.!?…][\"”’)\]]*(\s+)(?=[\"“‘(\[]?[A-Z0-9])")
_TOKEN_BEFORE = re.compile(r"(\S+)\.[\"”’)\]]*$")
_NUMBER = re.compile(r"[\d.,]+")
_NEXT_WORD = re.compile(r"[\"“‘(\[]?([\w’'-]+)")

_NEVER_FINAL = frozenset(
    (
        "co",
        "corp",
        "no",
        "nos",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gov",
        "gen",
        "sen",
        "rep",
        "vs",
        "e.g",
        "i.e",
        "approx",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "dept",
        "univ",
        "assn",
        "bros",
    )
)
"""Abbreviations that (almost) never end a sentence."""
_MAYBE_FINAL = frozenset(
    (
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "p.r.c",
        "etc",
        "inc",
        "ltd",
        "llc",
        "plc",
    )
)
"""Abbreviations that end a sentence only when a usual sentence starter follows."""
_SENTENCE_STARTERS = frozenset(
    (
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "In",
        "On",
        "At",
        "As",
        "But",
        "And",
        "However",
        "Meanwhile",
        "Moreover",
        "Since",
        "While",
        "For",
        "A",
        "An",
        "There",
        "If",
        "When",
        "After",
        "Before",
        "Such",
        "Our",
        "Their",
        "His",
        "Her",
    )
)

_BULLET_CHARS = "-•*▪●◦"
_BULLET = re.compile(rf"^\s*(?:[{_BULLET_CHARS}])\s+")
_LIST_NUMBER_ONLY = re.compile(r"^\s*(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\))\s*$")
_COMPANY_ABBREVS = ("Co", "Corp", "Inc", "No", "Nos", "St", "Dr", "Mr", "Ms", "Mrs")
_ENDS_WITH_COMPANY_ABBREV = re.compile(rf"\b(?:{'|'.join(_COMPANY_ABBREVS)})\.\s*$")
_STARTS_AS_CONTINUATION = re.compile(r"^(?:Ltd|Limited|Inc|LLC|Corp|Corporation|Group|\d)")
_COUNTRY_ABBREVS = ("U.S", "U.K", "U.N", "E.U")
_ENDS_WITH_COUNTRY_ABBREV = re.compile(rf"\b(?:{'|'.join(map(re.escape, _COUNTRY_ABBREVS))})\.$")
# What a kept (stripped) piece ends with when one of the two searches above can match: an
# `endswith` test spares those scans of the whole piece at almost every boundary.
_COMPANY_ENDINGS = tuple(f"{abbrev}." for abbrev in _COMPANY_ABBREVS)
_COUNTRY_ENDINGS = tuple(f"{abbrev}." for abbrev in _COUNTRY_ABBREVS)


def _rule_split(paragraph: str) -> list[str] | None:
    """Split at the boundaries our rules are sure of; None when one needs pysbd.

    `paragraph` is whitespace-normalised (single spaces), so the word before a candidate starts
    after the last space before it: it is read in place, never by copying the text up to the
    candidate (which made long paragraphs quadratic).
    """
    pieces: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        end = match.start(1)
        word_start = paragraph.rfind(" ", 0, end) + 1
        token = _TOKEN_BEFORE.match(paragraph, word_start, end)
        if token is not None and not token.group(0).rstrip('"”’)]').endswith(("?", "!", "…")):
            word = token.group(1).lstrip('("“‘[').lower().rsplit("-", 1)[-1]
            if word in _NEVER_FINAL:
                continue
            if word in _MAYBE_FINAL:
                following = _NEXT_WORD.match(paragraph, match.end(1))
                if following is None or following.group(1) not in _SENTENCE_STARTERS:
                    continue
            elif _NUMBER.fullmatch(word):
                if not paragraph[:word_start].strip():
                    continue  # a list number opening the paragraph: "1. A State-Directed…"
            elif len(word) == 1:
                return None
        pieces.append(paragraph[start:end])
        start = match.end(1)
    pieces.append(paragraph[start:])
    return pieces


def _open_bracket(piece: str) -> bool:
    """Whether a bracket opened in `piece` is still open: a sentence never ends inside one."""
    return piece.count("(") > piece.count(")") or piece.count("[") > piece.count("]")


def _apply_guards(pieces: list[str]) -> list[str]:
    """Rejoin pieces split inside brackets, after "Co."/"No."/"then-U.S." or a bare list
    number; strip bullets.

    Every piece kept is stripped, so one ending in an abbreviation ends with it exactly ("Co.",
    "U.S."): that test spares the two end-anchored searches (each a scan of the whole piece) on
    almost every piece.
    """
    out: list[str] = []
    for raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        if out and (
            _open_bracket(out[-1])
            or _LIST_NUMBER_ONLY.match(out[-1])
            or (
                out[-1].endswith(_COMPANY_ENDINGS)
                and _STARTS_AS_CONTINUATION.match(piece)
                and _ENDS_WITH_COMPANY_ABBREV.search(out[-1])
            )
            or (
                out[-1].endswith(_COUNTRY_ENDINGS)
                and piece.split(None, 1)[0] not in _SENTENCE_STARTERS
                and _ENDS_WITH_COUNTRY_ABBREV.search(out[-1])
            )
        ):
            out[-1] = f"{out[-1]} {piece}"
            continue
        out.append(piece)
    # A kept piece starts with no space, so only one starting with a bullet can lose one.
    return [_BULLET.sub("", piece) if piece[0] in _BULLET_CHARS else piece for piece in out]


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (or heading, or bullet) into sentences, whitespace-trimmed."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    pieces = _rule_split(text)
    if pieces is None:
        # pysbd decides the doubtful boundaries; our rules still split its pieces where they
        # are sure, so a sentence split again alone comes back whole (splitting is idempotent).
        pieces = [
            part
            for piece in _SEGMENTER.segment(text)
            for part in (_rule_split(" ".join(piece.split())) or [piece])
        ]
    return _apply_guards(pieces)

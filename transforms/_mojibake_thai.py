"""Thai-codepage mojibake in Latin text: UTF-8 bytes that were read as TIS-620 / cp874.

Seen on Rare Earth Exchanges in three variants, all starting from the UTF-8 bytes of the text:

* A: bytes >= 0xA0 read as TIS-620 and the C1 bytes 0x80-0x9F dropped: ’ (E2 80 99) becomes a
  bare `โ` (0xE2), © (C2 A9) becomes `ยฉ`, ™ (E2 84 A2) and • (E2 80 A2) both become `โข`;
* A2: the same with the C1 bytes kept as the controls U+0080-U+009F;
* B: the C1 bytes re-read as cp1252 (`Theyโ€™re`).

Every Thai character is one byte, so a run of them maps back to bytes; where all bytes of a
UTF-8 sequence survive the character is restored exactly, and where some were dropped the
candidates are the characters whose UTF-8 fits the surviving bytes, chosen by the learned
`QuoteModel`. Real Thai must never be touched, so a run is only repaired when it is fully
parseable as UTF-8 sequences and the nearest letters on both sides are not Thai, and its line
has Latin letters or digits.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import re
from dataclasses import dataclass

from transforms._mojibake_model import (
    LEFT_CONTEXT,
    LOSSABLE,
    PLACEHOLDER,
    RIGHT_CONTEXT,
    QuoteModel,
    features,
)
from transforms.model import TextChange

RULE_EXACT = "thai-codepage"
RULE_LOSSY = "thai-codepage-lossy"

BYTE_OF: dict[str, int] = {chr(byte): byte for byte in range(0x80, 0xA1)}
"""Each character a Thai-codepage reading can produce, mapped back to its byte."""
for _byte in range(0x80, 0x100):
    _char = bytes([_byte]).decode("cp874", errors="ignore") or bytes([_byte]).decode(
        "cp1252", errors="ignore"
    )
    if _char:
        BYTE_OF[_char] = _byte

_CHAR_OF_BYTE = {byte: char for char, byte in BYTE_OF.items() if byte >= 0xA0}
_CP1252_OF_C1 = {
    byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)
}
C1_MODES = ("dropped", "control", "cp1252")


def damage(text: str, c1: str) -> str:
    """The inverse of this layer, for tests and the benchmark: `text`'s UTF-8 read as TIS-620.

    `c1` says what became of the bytes 0x80-0x9F: ``dropped`` (variant A), kept as C1
    ``control`` characters (A2), or read as ``cp1252`` (B; its five undefined bytes as controls).
    """
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        for byte in char.encode("utf-8"):
            if byte >= 0xA0:
                out.append(_CHAR_OF_BYTE.get(byte, "\ufffd"))
            elif c1 == "control":
                out.append(chr(byte))
            elif c1 == "cp1252":
                out.append(_CP1252_OF_C1[byte])
            elif c1 != "dropped":
                raise ValueError(f"c1 must be one of {C1_MODES}, not {c1!r}")
    return "".join(out)


_THAI_LETTERS = re.compile(r"[\u0e01-\u0e5b]")
_LEADS = "".join(char for char, byte in BYTE_OF.items() if 0xC2 <= byte <= 0xF4)
TELLTALES = re.escape(_LEADS)
"""The Thai characters that start a damaged UTF-8 sequence, as a character-class body."""
_HAS_LEAD = re.compile(f"[{TELLTALES}]")
_RUN = re.compile(f"[{re.escape(''.join(BYTE_OF))}]+")
_LINE_HAS_LATIN = re.compile(r"[A-Za-z0-9]")


def could_apply(text: str) -> bool:
    """Cheap test: without a Thai lead character there is nothing for this layer to do."""
    return _HAS_LEAD.search(text) is not None


@dataclass(frozen=True)
class _Sequence:
    """One damaged UTF-8 sequence: where it is and what it can be."""

    start: int
    end: int
    candidates: tuple[str, ...]
    exact: bool


def _sequence_length(lead: int) -> int:
    return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _fits(candidate: bytes, lead: int, observed: bytes) -> bool:
    """Whether `observed` is `candidate`'s continuation bytes minus some lossable ones."""
    if candidate[0] != lead:
        return False
    rest = candidate[1:]
    for kept in itertools.combinations(range(len(rest)), len(observed)):
        if bytes(rest[i] for i in kept) == observed and all(
            rest[i] in LOSSABLE for i in range(len(rest)) if i not in kept
        ):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _fitting_labels(
    labels: tuple[str, ...], length: int, lead: int, observed: bytes
) -> tuple[str, ...]:
    """The labels whose `length`-byte UTF-8 could have left `lead` + `observed` behind."""
    return tuple(
        label
        for label in labels
        if len(encoded := label.encode("utf-8")) == length and _fits(encoded, lead, observed)
    )


def _parse_run(text: str, start: int, end: int, model: QuoteModel) -> list[_Sequence] | None:
    """Split a run into UTF-8 sequences, or None if it is not wholly such mojibake."""
    sequences: list[_Sequence] = []
    index = start
    while index < end:
        byte = BYTE_OF[text[index]]
        if byte < 0xC2 or byte > 0xF4:
            if _THAI_LETTERS.match(text[index]):
                return None  # a Thai letter that starts no sequence: real Thai
            index += 1  # a legitimate NBSP or typographic character next to the run
            continue
        length = _sequence_length(byte)
        stop = index + 1
        while stop < end and stop - index < length and 0x80 <= BYTE_OF[text[stop]] <= 0xBF:
            stop += 1
        observed = bytes(BYTE_OF[char] for char in text[index + 1 : stop])
        if stop - index == length:
            try:
                char = bytes([byte, *observed]).decode("utf-8")
            except UnicodeDecodeError:
                return None
            sequences.append(_Sequence(index, stop, (char,), exact=True))
        else:
            candidates = _fitting_labels(model.labels, length, byte, observed)
            if not candidates:
                return None
            sequences.append(_Sequence(index, stop, candidates, exact=False))
        index = stop
    return sequences


def _nearest_letter_is_thai(text: str, index: int, step: int, skip: dict[int, int]) -> bool:
    """Walk from `index` in direction `step` within the line, jumping over repairable runs."""
    while 0 <= index < len(text) and text[index] != "\n":
        if index in skip:
            index = skip[index]
            continue
        if text[index].isalpha():
            return _THAI_LETTERS.match(text[index]) is not None
        index += step
    return False


def _accepted_sequences(text: str, model: QuoteModel) -> list[_Sequence]:
    parsed: list[tuple[int, int, list[_Sequence]]] = []
    for match in _RUN.finditer(text):
        if not _HAS_LEAD.search(match.group()):
            continue
        sequences = _parse_run(text, match.start(), match.end(), model)
        if sequences:
            parsed.append((match.start(), match.end(), sequences))
    # Jumps over repairable runs, keyed by the index a walk arrives at, one map per direction.
    skip_left = {end - 1: start - 1 for start, end, _ in parsed}
    skip_right = {start: end for start, end, _ in parsed}
    accepted: list[_Sequence] = []
    for start, end, sequences in parsed:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if (
            not _LINE_HAS_LATIN.search(line)
            or _nearest_letter_is_thai(text, start - 1, -1, skip_left)
            or _nearest_letter_is_thai(text, end, 1, skip_right)
            or _is_lone_letter(text, start, end, sequences)
        ):
            continue
        accepted.extend(sequences)
    return accepted


def _is_lone_letter(text: str, start: int, end: int, sequences: list[_Sequence]) -> bool:
    """A standalone word that decodes to one letter is far likelier a Thai word (e.g. รถ)."""
    if len(sequences) != 1 or not sequences[0].exact or not sequences[0].candidates[0].isalpha():
        return False
    if not all(_THAI_LETTERS.match(char) for char in text[start:end]):
        return False  # "ร‰" (É read as cp874+cp1252) is no Thai word
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isspace() and after.isspace()


BEAM_WIDTH = 2
"""Readings of a paragraph kept while its lost characters are decided left to right: a choice
changes the context of the next ones (an opening “ should be closed by ”, a compound's first
– makes the second one likelier), so a locally likelier first guess can lose to a better whole."""

BEAM_MARGIN = math.log(100)
"""Readings a hundred times less likely than the best are dropped at once: most lost
characters (apostrophes) are near certain, and the beam then costs nothing."""


def find_changes(text: str, model: QuoteModel) -> list[TextChange]:
    """Every Thai-codepage repair in `text`, in order, with offsets into `text`."""
    sequences = _accepted_sequences(text, model)
    if not sequences:
        return []
    view: list[str] = []
    view_index: list[int] = []
    cursor = 0
    for sequence in sequences:
        view.extend(text[cursor : sequence.start])
        view_index.append(len(view))
        view.append(sequence.candidates[0] if sequence.exact else PLACEHOLDER)
        cursor = sequence.end
    view.extend(text[cursor:])

    confidence = [1.0] * len(sequences)
    lossy = [i for i, sequence in enumerate(sequences) if not sequence.exact]
    newlines = [match.start() for match in re.finditer("\n", "".join(view))]
    paragraph_of = {i: bisect.bisect(newlines, view_index[i]) for i in lossy}
    for paragraph, group in itertools.groupby(lossy, key=paragraph_of.__getitem__):
        members = list(group)
        positions = [view_index[i] for i in members]
        # Fixed text before each lost character (from two characters before the paragraph:
        # the features look no further back), and the damaged text after it.
        start = newlines[paragraph - 1] + 1 if paragraph else 0
        bounds = [max(0, start - 2)] + [position + 1 for position in positions]
        before = ["".join(view[a:b]) for a, b in zip(bounds, positions, strict=False)]
        after = ["".join(view[p + 1 : p + 1 + RIGHT_CONTEXT]) for p in positions]
        candidates = [sequences[i].candidates for i in members]
        reading = _decode_paragraph(model, before, after, candidates)
        for i, (char, probability) in zip(members, reading, strict=True):
            view[view_index[i]] = char
            confidence[i] = probability
    return [
        TextChange(
            sequence.start,
            text[sequence.start : sequence.end],
            view[position],
            RULE_EXACT if sequence.exact else RULE_LOSSY,
            1.0 if sequence.exact else round(probability, 4),
        )
        for sequence, position, probability in zip(sequences, view_index, confidence, strict=True)
    ]


def _decode_paragraph(
    model: QuoteModel,
    before: list[str],
    after: list[str],
    candidates: list[tuple[str, ...]],
) -> list[tuple[str, float]]:
    """The likeliest joint reading of a paragraph's lost characters: (char, its probability).

    Lost character k sits between the fixed text `before[k]` (since the previous one) and the
    damaged text `after[k]`; a reading carries the text it has built so far.
    """
    beam: list[tuple[float, str, list[tuple[str, float]]]] = [(0.0, "", [])]
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, float]] = {}
    for fixed, right, choices in zip(before, after, candidates, strict=True):
        # (score, which reading, char, probability): a reading's text is only built for the
        # few extensions that stay in the beam.
        extended: list[tuple[float, int, str, float]] = []
        lefts = []
        for number, (log_probability, built, _) in enumerate(beam):
            left = (built + fixed)[-LEFT_CONTEXT:]
            lefts.append(left)
            key = (choices, tuple(features(left, right)))
            distribution = seen.get(key)
            if distribution is None:  # readings often differ only far back
                distribution = seen[key] = model.probabilities(*key)
            extended.extend(
                (log_probability + math.log(p if p > 1e-300 else 1e-300), number, char, p)
                for char, p in distribution.items()
            )
        extended.sort(key=operator.itemgetter(0), reverse=True)
        best = extended[0][0]
        beam = [
            (score, lefts[number] + char, [*beam[number][2], (char, probability)])
            for score, number, char, probability in extended[:BEAM_WIDTH]
            if score >= best - BEAM_MARGIN
        ]
    return beam[0][2]

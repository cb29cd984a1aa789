"""A learned guess for characters whose bytes were lost (Thai-codepage mojibake, variant A).

When UTF-8 is read as TIS-620 and the C1 bytes 0x80-0x9F are dropped, ’ “ ” — – and → all
become the same `โ` (the lead byte 0xE2 alone). Only context can tell them apart, so this is a
log-linear classifier over character-context features, trained on clean English
(`scripts/train_quote_model.py`) and stored as a small JSON in `transforms/data/`.

The same `features()` function is used for training and for prediction, so they cannot drift:
the left context is the already repaired text, the right context is the damaged text where
every still-unresolved character is the placeholder `PLACEHOLDER` (in training, every character
that could be such a guess is masked the same way).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

PLACEHOLDER = "\ufffc"
"""Stands for a damaged character whose value is not decided yet."""

LEFT_CONTEXT = 2000
"""Characters of repaired text before a position: a whole paragraph, so that the quotes opened
and closed in it can be counted (a cut-off window would see a closing ” without its “)."""

RIGHT_CONTEXT = 100
"""Characters of damaged text after a position: the rest of a sentence, to see whether another
closed-up dash follows (parenthetical dashes come in pairs)."""

LOSSABLE = frozenset(range(0x80, 0xA1))
"""Bytes that TIS-620 decoders drop: the C1 range, and 0xA0 which plain TIS-620 leaves undefined."""

EPOCHS = 12
LEARNING_RATE = 0.3

FALLBACK_LABELS = "…×€™•→′″"
"""Typographic characters the model can always restore: each is added (with no weights) when
the corpus has no character with the same lossy signature, so a rare … or × still comes back
when it is the only character that fits."""

_DASHES = "–—"


def is_lossy(char: str) -> bool:
    """True when `char`'s UTF-8 continuation bytes include one a TIS-620 reader would drop."""
    return len(char) == 1 and any(byte in LOSSABLE for byte in char.encode("utf-8")[1:])


def _char_class(char: str) -> str:
    if char == PLACEHOLDER:
        return "P"
    if char == "\n":
        return "n"
    if char.isspace():
        return "s"
    if char.isdigit():
        return "d"
    if char.isalpha():
        return "L" if char.isupper() else "l"
    return char if char.isascii() or is_lossy(char) else "o"


def _kind(char_class: str) -> str:
    """Coarser than `_char_class`: what side of a word the neighbour is on."""
    if char_class in "^nsP" or char_class in "([{":
        return "open"
    if char_class in "lLd" or char_class in ")]}.,;:!?%’”":
        return "word"
    return "other"


def _word_before(left: str) -> str:
    end = len(left)
    start = end
    while start > 0 and left[start - 1].isalpha():
        start -= 1
    return left[start:end]


def _word_after(right: str) -> str:
    end = 0
    while end < len(right) and right[end].isalpha():
        end += 1
    return right[:end]


def _open_quote(paragraph: str) -> str:
    """Which quotation is open at the end of `paragraph`: none, double, or single.

    A closing ’ is told from an apostrophe by what follows it (not a letter).
    """
    double = paragraph.rfind("“") if paragraph.count("“") > paragraph.count("”") else -1
    single = paragraph.rfind("‘")
    if single >= 0 and _closes_single_quote(paragraph + " ", single):
        single = -1
    if single > double:
        return "single"
    return "double" if double >= 0 else "none"


def _closes_single_quote(text: str, start: int) -> bool:
    """Whether a ’ after `start` in `text` is followed by a non-letter (a closing quote)."""
    index = text.find("’", start)
    while index >= 0:
        if not text[index + 1].isalpha():
            return True
        index = text.find("’", index + 1)
    return False


_CONTRACTIONS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})
"""What follows the apostrophe of it’s, don’t, they’re, we’ve, she’ll, I’d, I’m."""

_FUNCTION_WORD_LIST = """
    a an the and or but nor so yet if as than that which who whom whose what when where why
    how while because though although since until unless this these those it its he she they
    we you i his her their our your there here is are was were be been being has have had do
    does did will would can could may might must should shall not no now then once also only
    even just still such other another some any many most more much few each every all both
    either neither one at by for from in into of on onto to with within without about after
    before over under between among against through during"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
"""Closed-class English words: after a dash joining two letters, one of these starts a
parenthetical (em dash: "the plant—which"), while content words make compounds (en dash:
"Baotou Steel–controlled", "US–China")."""


def _sentence_start(paragraph: str) -> int:
    """Where the last sentence of `paragraph` starts (after ". ", "? ", "! " or at 0)."""
    rfind = paragraph.rfind
    return max(rfind(". "), rfind("? "), rfind("! "), rfind(".” "), rfind("?” ")) + 1


def _has_closed_up_placeholder(text: str) -> bool:
    """A still-undecided character between two letters or digits (a closed-up dash, perhaps).

    Found by jumping between placeholders: a regex for it has no literal to search for and is
    tried at every position.
    """
    index = text.find(PLACEHOLDER, 1)
    while 0 < index < len(text) - 1:
        if text[index - 1].isalnum() and text[index + 1].isalnum():
            return True
        index = text.find(PLACEHOLDER, index + 1)
    return False


def _sentence_end(text: str) -> int:
    """Where the first sentence of `text` ends (its length if it does not)."""
    ends = [end for end in map(text.find, (". ", "? ", "! ", "\n")) if end >= 0]
    return min(ends) if ends else len(text)


def features(left: str, right: str) -> list[str]:
    """Context features of a damaged position, as `group=value` strings (one per group)."""
    l1 = _char_class(left[-1]) if left else "^"
    l2 = _char_class(left[-2]) if len(left) > 1 else "^"
    r1 = _char_class(right[0]) if right else "$"
    r2 = _char_class(right[1]) if len(right) > 1 else "$"
    word_before = _word_before(left)
    word_after = _word_after(right)
    paragraph = left[left.rfind("\n") + 1 :]
    open_quote = _open_quote(paragraph)
    token_left = paragraph[max(paragraph.rfind(" "), paragraph.rfind("\u00a0")) + 1 :]
    token_right = right.split(None, 1)[0] if right and not right[0].isspace() else ""
    chain = any(dash in token_left for dash in _DASHES) or (
        PLACEHOLDER in token_right
        and any(
            char == PLACEHOLDER
            and index + 1 < len(token_right)
            and token_right[index + 1].isalnum()
            for index, char in enumerate(token_right)
        )
    )
    lkind, rkind = _kind(l1), _kind(r1)
    shape = lkind + rkind
    sentence = paragraph[_sentence_start(paragraph) :]
    parenthetical = "open" if sentence.count("—") % 2 else "shut"
    after_word = right[len(word_after) : len(word_after) + 1]
    ahead = right[: _sentence_end(right)]
    paired = _has_closed_up_placeholder(ahead)
    after_lower, before_lower = word_after.lower(), word_before.lower()
    contraction = after_lower in _CONTRACTIONS and not after_word.isalpha()
    pair = l1 + r1
    return [
        "bias",
        f"quote|shape={open_quote}|{shape}",
        f"emdash|shape={parenthetical}|{pair}",
        f"rfunc|pair={after_lower in _FUNCTION_WORDS}|{pair}",
        f"lfunc|pair={before_lower in _FUNCTION_WORDS}|{pair}",
        f"contraction={contraction}|{l1}",
        f"paired|pair={paired}|{pair}",
        f"rsuf2={word_after[-2:].lower()}",
        f"l1={l1}",
        f"r1={r1}",
        f"l1r1={pair}",
        f"lkind={lkind}",
        f"rkind={rkind}",
        f"rwlen={min(len(word_after), 3)}",
        f"l2={l2}{l1}",
        f"r2={r1}{r2}",
        f"lw={before_lower}",
        f"rw={after_lower}",
        f"lsuf={word_before[-3:].lower()}",
        f"rsuf={word_after[-3:].lower()}",
        f"lcap={word_before[:1].isupper()}",
        f"quote={open_quote}",
        f"chain={chain}",
    ]


@dataclass(frozen=True)
class Guess:
    char: str
    confidence: float


def lossy_signature(char: str) -> bytes:
    """What a TIS-620 reader that drops C1 bytes leaves of `char`'s UTF-8 encoding."""
    encoded = char.encode("utf-8")
    return encoded[:1] + bytes(byte for byte in encoded[1:] if byte not in LOSSABLE)


class QuoteModel:
    """A log-linear (softmax) choice among the characters that fit the surviving bytes.

    Log-linear rather than naive Bayes because the context features overlap heavily (the
    neighbour's class, its kind and the pair all say "between two letters"), and naive Bayes
    counts such evidence several times over.
    """

    def __init__(self, weights: dict[str, dict[str, float]]):
        """`weights[label][feature]`; kept inverted as one row per feature holding a weight for
        every label (0.0 where it has none), so that scoring adds up whole columns in C instead
        of visiting each feature's labels in Python."""
        self.labels: tuple[str, ...] = tuple(weights)
        self._column: dict[str, int] = {label: i for i, label in enumerate(self.labels)}
        self._rows: dict[str, list[float]] = {}
        for label, label_weights in weights.items():
            for feature, weight in label_weights.items():
                self._row(feature)[self._column[label]] = weight

    def _row(self, feature: str) -> list[float]:
        row = self._rows.get(feature)
        if row is None:
            row = self._rows[feature] = [0.0] * len(self.labels)
        return row

    def predict(self, candidates: Iterable[str], left: str, right: str) -> Guess | None:
        """The most probable of `candidates` (those the model knows) and its probability."""
        probabilities = self.distribution(candidates, left, right)
        if not probabilities:
            return None
        best = max(probabilities, key=probabilities.__getitem__)
        return Guess(best, probabilities[best])

    def distribution(self, candidates: Iterable[str], left: str, right: str) -> dict[str, float]:
        """The probability of each of `candidates` the model knows (empty if it knows none)."""
        known = [char for char in candidates if char in self.labels]
        return self.probabilities(known, features(left, right)) if known else {}

    def probabilities(self, candidates: Iterable[str], feats: Iterable[str]) -> dict[str, float]:
        """Softmax over `candidates` (all known labels) given already computed features.

        Each label's score is its weights summed in feature order, as a per-label loop would
        add them (a row's 0.0 for a label without that feature leaves the sum unchanged), by
        `sum` over the rows' columns: the additions run in C. (From Python 3.12 `sum` rounds
        more carefully, which may move a score in its last bit, as it may the softmax total.)
        """
        rows = [row for row in map(self._rows.get, feats) if row is not None]
        totals = [sum(column, 0.0) for column in zip(*rows, strict=True)]
        scores = {
            c: totals[self._column[c]] if rows and c in self._column else 0.0 for c in candidates
        }
        top = max(scores.values())
        exps = {c: math.exp(score - top) for c, score in scores.items()}
        total = sum(exps.values())
        return {c: value / total for c, value in exps.items()}

    def _update(self, label: str, feats: list[str], step: float) -> None:
        column = self._column[label]
        for feature in feats:
            self._row(feature)[column] += step

    def to_json(self) -> str:
        by_label: dict[str, dict[str, float]] = {label: {} for label in self.labels}
        for feature, row in self._rows.items():
            for label, weight in zip(self.labels, row, strict=True):
                by_label[label][feature] = weight
        rounded = {
            label: {f: round(w, 3) for f, w in sorted(weights.items()) if abs(w) >= 0.001}
            for label, weights in sorted(by_label.items())
        }
        return json.dumps(rounded, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> QuoteModel:
        return cls(json.loads(text))


def train(texts: Iterable[str], epochs: int = EPOCHS) -> QuoteModel:
    """Fit the softmax on every lossy character of clean `texts`, among its look-alikes.

    Each example only competes with the characters that share its lossy signature (’ with
    “ ” — –, ™ with •), which is exactly the choice `predict` faces.
    """
    examples: list[tuple[list[str], str]] = []
    for text in texts:
        masked = "".join(PLACEHOLDER if is_lossy(char) else char for char in text)
        for index, char in enumerate(text):
            if is_lossy(char):
                left = text[max(0, index - LEFT_CONTEXT) : index]
                right = masked[index + 1 : index + 1 + RIGHT_CONTEXT]
                examples.append((features(left, right), char))
    rivals: dict[bytes, list[str]] = {}
    for label in sorted({label for _, label in examples}):
        rivals.setdefault(lossy_signature(label), []).append(label)
    for label in FALLBACK_LABELS:
        rivals.setdefault(lossy_signature(label), [label])
    model = QuoteModel({label: {} for group in rivals.values() for label in group})
    for epoch in range(epochs):
        rate = LEARNING_RATE / (1 + epoch)
        for feats, label in examples:
            candidates = rivals[lossy_signature(label)]
            if len(candidates) == 1:
                continue
            probabilities = model.probabilities(candidates, feats)
            for candidate in candidates:
                model._update(
                    candidate, feats, rate * ((candidate == label) - probabilities[candidate])
                )
    return model


@cache
def shipped_model() -> QuoteModel:
    """The model trained on `benchmarks/corpus/` and shipped as `transforms/data/`."""
    text = resources.files("transforms").joinpath("data/quote_model.json").read_text("utf-8")
    return QuoteModel.from_json(text)

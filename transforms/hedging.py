"""Hedge detection from the documented cue lexicon (transforms/data/hedge_cues.toml).

Why a lexicon: hedging in these sources is carried by a small set of words ("may", "could",
"likely", "poised to", "signals", "if"), and an analyst must see which word triggered the flag.
All cues compile into one alternation regex, built once, matched on the sentence lower-cased once
(transforms/casefold.py) when the lexicon allows it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from transforms.casefold import fold, foldable, prefilter


@dataclass(frozen=True)
class Hedging:
    """Whether a sentence is hedged and the cue words found (lower-cased, in text order)."""

    hedged: bool
    cues: tuple[str, ...] = ()


_UNHEDGED = Hedging(hedged=False)


class HedgeDetector:
    """Finds hedge cues in a sentence."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        body = "|".join(f"(?:{pattern})" for pattern in patterns)
        source = rf"(?<![\w-])(?:{body})(?![\w-])"
        self._regex = re.compile(source, re.IGNORECASE)
        whole_matches = self._regex.groups == 0
        self._folded_regex = re.compile(source) if foldable(source) and whole_matches else None
        # The cue alternation is a slow scan (about 6 us a sentence, twice a claim-type pattern),
        # so even its 30-odd literals, "if" among them, are a cheaper first test: most claim
        # sentences contain none of them (measured: hedge detection -28% on the benchmark).
        self._needles = prefilter(source, max_needles=48, min_needle=2) or ()

    def detect(self, sentence: str, *, folded: str | None = None) -> Hedging:
        """The cues of `sentence`; `folded` is `casefold.fold(sentence)` when the caller has it."""
        folded = folded or fold(sentence)
        if folded is not None and self._folded_regex is not None:
            for needle in self._needles:
                if needle in folded:
                    break
            else:
                if self._needles:
                    return _UNHEDGED
            # `findall` lists the whole matches when the lexicon has no capturing group (checked
            # when compiling): a list from C instead of a match object per cue.
            found = self._folded_regex.findall(folded)
        else:
            found = [m.group(0).lower() for m in self._regex.finditer(sentence)]
        if not found:
            return _UNHEDGED
        cues = tuple(dict.fromkeys(found))
        return Hedging(hedged=True, cues=cues)


def parse_cues(toml_text: str) -> tuple[str, ...]:
    """The cue patterns of a hedge-cue TOML text (see the file header for the fields)."""
    return tuple(row["pattern"] for row in tomllib.loads(toml_text)["cue"])


@cache
def default_detector() -> HedgeDetector:
    """The detector for the shipped lexicon, compiled once per process."""
    raw = resources.files("transforms.data").joinpath("hedge_cues.toml").read_text("utf-8")
    return HedgeDetector(parse_cues(raw))

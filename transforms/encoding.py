"""Faithful text repair: undo mojibake without touching legitimate typography or foreign text.

Three layers run in order, each only when a cheap test says it could apply:

1. Thai-codepage mojibake (`_mojibake_thai`): UTF-8 read as TIS-620/cp874, exact where the bytes
   survive, a learned guess (`_mojibake_model`) where the C1 bytes were dropped. It runs first
   because ftfy does not know this codepage and must not see its debris.
2. ftfy (`_mojibake_ftfy`) for Latin-1/cp1252/MacRoman-style mojibake, configured to keep curly
   quotes, dashes, ligatures, full-width letters and Unicode normalisation as they are.
3. Full-width punctuation inside Latin text (`_fullwidth_punct`).

Every edit is reported as a `TextChange` whose offset points into the text given to `repair`,
so an analyst can find it in the raw article. Text without any layer's telltale characters
(pure ASCII, and most clean English) returns after one scan: no layer can touch it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transforms import _fullwidth_punct, _mojibake_ftfy, _mojibake_thai
from transforms._mojibake_model import QuoteModel, shipped_model
from transforms.model import Repair, TextChange

_TELLTALE = re.compile(
    f"[{_mojibake_thai.TELLTALES}{_mojibake_ftfy.TELLTALES}{_fullwidth_punct.TELLTALES}]"
)
"""Any character one of the layers could start from: one scan rules out all three."""


def repair(text: str, *, model: QuoteModel | None = None) -> Repair:
    """Repair mojibake in `text`, listing every change with its offset in `text`.

    `model` replaces the shipped lost-byte model (the benchmark passes held-out models).
    """
    if text.isascii() or _TELLTALE.search(text) is None:
        return Repair(text=text)
    quote_model = model or shipped_model()
    layers = (
        lambda t: (
            _mojibake_thai.find_changes(t, quote_model) if _mojibake_thai.could_apply(t) else []
        ),
        _mojibake_ftfy.find_changes,
        lambda t: _fullwidth_punct.find_changes(t) if _fullwidth_punct.could_apply(t) else [],
    )
    # For each position of the current text, the position in `text` it came from (a range
    # until a layer changes something: most texts reaching here need no list at all).
    origin: Sequence[int] = range(len(text) + 1)
    changes: list[TextChange] = []
    current = text
    for layer in layers:
        layer_changes = layer(current)
        if not layer_changes:
            continue
        current, new_origin = _apply(current, layer_changes, origin)
        changes.extend(
            TextChange(origin[c.offset], c.before, c.after, c.rule, c.confidence)
            for c in layer_changes
        )
        origin = new_origin
    return Repair(text=current, changes=tuple(changes))


def repair_text(text: str) -> str:
    """`repair(text).text`."""
    return repair(text).text


def _apply(text: str, changes: list[TextChange], origin: Sequence[int]) -> tuple[str, list[int]]:
    """Apply sorted, non-overlapping `changes`; carry each character's origin along."""
    pieces: list[str] = []
    new_origin: list[int] = []
    cursor = 0
    for change in changes:
        pieces.append(text[cursor : change.offset])
        new_origin.extend(origin[cursor : change.offset])
        pieces.append(change.after)
        new_origin.extend([origin[change.offset]] * len(change.after))
        cursor = change.offset + len(change.before)
    pieces.append(text[cursor:])
    new_origin.extend(origin[cursor:])
    return "".join(pieces), new_origin

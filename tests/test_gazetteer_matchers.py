"""The acronym matcher checks its left bound after the first character (so the regex engine can
skip positions in C); that must find exactly what the bound-first form finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.entities import _alternation, default_gazetteer

_TABLE = {"CATL": "catl", "US": "us", "U.S.": "us", "(Co)": "cobalt", "(W)": "tungsten"}
_PIECES = [*_TABLE, "-", "$", " ", "x", "A", "(", ")", ".", "USA", "e", "1"]


def _spans(pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_first_char_skip_finds_what_the_bound_first_form_finds(text: str) -> None:
    skipping = _alternation(_TABLE, flags=0, first_char_skip=True)
    plain = _alternation(_TABLE, flags=0)
    assert _spans(skipping, text) == _spans(plain, text)


def test_bounds_still_hold_with_the_skip() -> None:
    gazetteer = default_gazetteer()
    found = [m.surface for m in gazetteer.find("CATL-US deal, (Co) and x(Co), US$5 and the US.")]
    assert found == ["CATL", "(Co)", "US"]

"""The acronym matcher checks its left bound after the first character (so the regex engine can
skip positions in C); that must find exactly what the bound-first form finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.casefold import fold
from transforms.entities import Entity, Gazetteer, _alternation, default_gazetteer

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


# Reusing sentence scans for a whole document: the ids must be those of a scan of the text.
_REUSE = Gazetteer(
    (
        Entity("acme", "Acme Corp. Group", "company", ("Acme",)),
        Entity("rare", "Rare Earth", "soe", ("REG",)),
        Entity("us", "United States", "place", ("US",)),
    )
)
_WORDS = ["Acme", "Corp.", "Group", "Rare", "Earth", "REG", "US", "United", "States", "x", "-"]
_SENTENCES = st.lists(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map(" ".join), max_size=4
)


def _scan(sentences: list[str]) -> list[str] | None:
    folds = [fold(sentence) for sentence in sentences]
    mentions = [_REUSE.find(s, lowered=f) for s, f in zip(sentences, folds, strict=True)]
    return _REUSE.joined_entity_ids(sentences, folds, mentions)


@given(_SENTENCES)
def test_joined_ids_are_the_ids_of_the_joined_text(sentences: list[str]) -> None:
    ids = _scan(sentences)
    if ids is not None:
        assert ids == [m.entity_id for m in _REUSE.find(" ".join(sentences))]


def test_a_name_straddling_two_sentences_is_not_reused() -> None:
    assert _scan(["They met Acme Corp.", "Group leaders came."]) is None
    assert _scan(["They met Acme Corp.", "Leaders came."]) == ["acme"]


@given(st.lists(_SENTENCES, max_size=4), st.lists(st.booleans(), max_size=4))
def test_document_ids_reuse_known_lines(paragraphs: list[list[str]], reuse: list[bool]) -> None:
    lines = [" ".join(sentences) for sentences in paragraphs]
    known = {
        line: ids
        for line, sentences, use in zip(lines, paragraphs, reuse, strict=False)
        if use and (ids := _scan(sentences)) is not None
    }
    text = "\n".join(["US heading", *lines])
    assert _REUSE.document_entity_ids(text, known) == [m.entity_id for m in _REUSE.find(text)]

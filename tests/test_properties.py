"""Properties of text repair and sentence splitting, checked on generated text (hypothesis).

Example counts are kept modest so the suite stays fast; the strategies build text from the
pieces real articles are made of (English, accented Latin, Chinese, typography, numbers) so a
failure is a plausible article, not only a random code point soup.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from transforms.encoding import repair, repair_text
from transforms.sentences import split_sentences

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples every run: the suite stays deterministic
    suppress_health_check=[HealthCheck.too_slow],
)

CLEAN_TOKENS = (
    "China Minmetals said output of rare earth oxide rose 12% in 2025 to 1,200 tonnes "
    "Lynas Ltd. the U.S. Department of Energy Co. No. gallium germanium tungsten Baotou "
    "café naïve Zürich São Paulo Málaga Øresund Straße jalapeño Ångström résumé "
    "稀土 中国五矿 镓 锗 包头 内蒙古 "
    "“quoted” ‘single’ — – … © ™ ® ° € £ ½ × ≈ •"
)
"""Tokens of clean article text: nothing here is mojibake, so repair must leave it alone."""

SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", ": ", "\n", " (", ") ", "! ", "? "])

clean_text = st.lists(
    st.tuples(st.sampled_from(CLEAN_TOKENS.split()), SEPARATORS), max_size=60
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@SETTINGS
@given(st.text(max_size=400))
def test_repair_never_crashes_and_reports_consistent_offsets(text: str) -> None:
    result = repair(text)
    assert isinstance(result.text, str)
    for change in result.changes:
        assert 0 <= change.offset <= len(text)


@SETTINGS
@given(st.text(max_size=400))
def test_repair_is_idempotent_on_any_text(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once


@SETTINGS
@given(clean_text)
def test_repair_leaves_clean_text_alone(text: str) -> None:
    result = repair(text)
    assert result.text == text
    assert result.changes == ()


@SETTINGS
@given(clean_text)
def test_repair_undoes_cp1252_mojibake_idempotently(text: str) -> None:
    broken = text.encode("utf-8").decode("cp1252", errors="ignore")
    once = repair_text(broken)
    assert repair_text(once) == once


@SETTINGS
@given(st.text(max_size=400))
def test_split_never_crashes_and_returns_trimmed_pieces_in_order(paragraph: str) -> None:
    normalised = " ".join(paragraph.split())
    position = 0
    for sentence in split_sentences(paragraph):
        assert sentence and sentence == sentence.strip()
        found = normalised.find(sentence, position)
        assert found >= 0, f"{sentence!r} is not a piece of the paragraph"
        position = found + len(sentence)


@SETTINGS
@given(clean_text.filter(lambda t: "•" not in t))
def test_split_loses_and_invents_no_text(paragraph: str) -> None:
    sentences = split_sentences(paragraph)
    assert "".join("".join(sentences).split()) == "".join(paragraph.split())


def test_split_never_breaks_inside_brackets() -> None:
    assert split_sentences("China (China! China)") == ["China (China! China)"]


@SETTINGS
@given(clean_text)
@example("—. China (China! China) ")  # found by hypothesis
@example("…. 1,200! Zürich; oxide\nÅngström; 中国五矿! ™ … … Zürich? ")  # found by hypothesis
def test_split_is_idempotent(paragraph: str) -> None:
    for sentence in split_sentences(paragraph):
        assert split_sentences(sentence) == [sentence]

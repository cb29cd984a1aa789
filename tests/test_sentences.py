"""The sentence splitter on the cases the seeds contain."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He lives in the U.S. The next day he left.",
            ["He lives in the U.S.", "The next day he left."],
        ),
        (
            "The U.S. government acted. It worked.",
            ["The U.S. government acted.", "It worked."],
        ),
        (
            "China Minmetals Rare Earth Co., Ltd. is a subsidiary. It is listed.",
            ["China Minmetals Rare Earth Co., Ltd. is a subsidiary.", "It is listed."],
        ),
        (
            "Contemporary Amperex Technology Co. Limited (CATL) met Minmetals. Talks followed.",
            [
                "Contemporary Amperex Technology Co. Limited (CATL) met Minmetals.",
                "Talks followed.",
            ],
        ),
        (
            "It ranked No. 33 in 2024. Prices rose 3.5%.",
            ["It ranked No. 33 in 2024.", "Prices rose 3.5%."],
        ),
        (
            "As early as 1860, then-U.S. President Andrew Johnson had commissioned it. Later.",
            [
                "As early as 1860, then-U.S. President Andrew Johnson had commissioned it.",
                "Later.",
            ],
        ),
        (
            "1. A State-Directed Rare Metals Talent Pipeline",
            ["1. A State-Directed Rare Metals Talent Pipeline"],
        ),
        ("1.1 The Trump administration acts", ["1.1 The Trump administration acts"]),
        (
            "- China Minmetals and Guizhou collaborate.",
            ["China Minmetals and Guizhou collaborate."],
        ),
        ("Why Relevant? Minmetals is a giant.", ["Why Relevant?", "Minmetals is a giant."]),
        (
            "He said it was “not necessarily impossible.” Then he left.",
            ["He said it was “not necessarily impossible.”", "Then he left."],
        ),
        ("It was signed by J. Smith. He left.", ["It was signed by J. Smith.", "He left."]),
        (
            "(1) Whether they announce projects; (2) signs of processing.",
            ["(1) Whether they announce projects; (2) signs of processing."],
        ),
    ],
)
def test_splits(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_empty_paragraph_has_no_sentences() -> None:
    assert split_sentences("   \n ") == []


@given(
    st.lists(
        st.sampled_from(["China", "U.S.", "Co.", "rose", "3.5%.", "It", "met.", "No.", "The", "?"]),
        max_size=30,
    )
)
def test_no_text_is_lost_or_invented(words: list[str]) -> None:
    text = " ".join(words)
    assert " ".join(split_sentences(text)) == " ".join(text.split())

"""Boilerplate removal with structure kept: each rule, then the five seeds as text and as HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from extractors.wordpress import api_url
from transforms.boilerplate_rules import (
    BLOCK_RULES,
    DEBRIS_RULES,
    ELEMENT_RULES,
    HEADER_LABELS,
    INLINE_MARK,
    INLINE_RULES,
    anchored_union,
    first_match,
)
from transforms.structure import structure_html, structure_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = {path.name[:3]: path for path in (REPO / "samples" / "seeds").glob("*.txt")}
EXPECTED = REPO / "tests" / "expected"
BASE = "https://rareearthexchanges.com"
POST_IDS = {"000": 41873, "001": 47210, "002": 30522, "003": 44968}
CNGEO_URL = "http://en.cngeo.com/Blog_Details/2006272288230617088.html"

# --- one example per rule (adding a rule without an example fails the completeness test) ----

BLOCK_EXAMPLES = {
    "block_comment": (
        ["©!-- /wp:paragraph -->", "ยฉ!-- /wp:paragraph -->"],
        "!-- a comment about wp: blocks",
    ),
    "comment_widget": (
        ["0 Comments", "Leave a Reply", "Loading new replies..."],
        "3 comments said",
    ),
    "table_of_contents": (["Table of Contents", "CONTENTS"], "Contents of the agreement"),
    "share_widget": (["Spread the word:"], "Spread the word about rare earths."),
    "site_footer": (
        ["© 2025 Rare Earth Exchanges™ – Accelerating", "ยฉ 2025 Rare Earth Exchangesโข โ"],
        "In 2025 © notices changed.",
    ),
    "forum_promo": (
        ["Visit the Rare Earth Exchanges Forum to discuss industry breaking news."],
        "Visit the Rare Earth Exchanges Forum.",
    ),
    "chatbot_preamble": (
        ["Sure, here is the information converted into an unordered list in HTML:"],
        "Sure, here is why this matters.",
    ),
}
INLINE_EXAMPLES = {"new_tab_notice": ("CATL (opens in a new tab) met", "CATL met")}
DEBRIS_EXAMPLES = {
    "stray_pinyin": ("exemplified by “three rare metals” Serious development trend Jùn", "Café"),
    "fused_fragment": (
        "4.4 Careful planning, a rational strategy. Collection and storage",
        "2.3 X.",
    ),
    "midline_capitalised_article": ("1.2 United States The “reshoring” strategy", "1. A Pipeline"),
    "heading_fused_with_body": (" ".join(["word"] * 26), "Why Relevant?"),
}
ELEMENT_EXAMPLES = {
    "title": "<h1>Headline</h1>",
    "entry_meta": '<div class="entry-meta">September 18, 2025 by REEx Staff</div>',
    "script_style": "<script>var x = 1;</script>",
    "table_of_contents": '<div id="rank-math-toc"><h2>Table of Contents</h2></div>',
    "navigation": "<nav><a href='/news/'>News</a></nav>",
    "new_tab_notice": '<span class="screen-reader-text">(opens in a new tab)</span>',
    "comment_widget": '<div id="comments"><h3>Leave a Reply</h3></div>',
    "share_widget": '<div class="sharedaddy"><h3>Spread the word:</h3></div>',
    "site_footer": "<footer><p>All rights kept</p></footer>",
    "form": "<form><label>Email</label></form>",
}
HEADER_EXAMPLES = {
    "release_time": ("Release time: 2025-11-06", "2025-11-06"),
    "source": ("Source:China Land & Resources Economy", "China Land & Resources Economy"),
    "guide": ("Guide to Reading", ""),
    "citation": ("Information cited in this article", ""),
}


def test_every_rule_has_an_example() -> None:
    assert set(BLOCK_EXAMPLES) == set(BLOCK_RULES)
    assert set(INLINE_EXAMPLES) == set(INLINE_RULES)
    assert set(DEBRIS_EXAMPLES) == set(DEBRIS_RULES)
    assert set(ELEMENT_EXAMPLES) == set(ELEMENT_RULES)
    assert set(HEADER_EXAMPLES) == set(HEADER_LABELS)


@pytest.mark.parametrize("name", sorted(BLOCK_RULES))
def test_block_rule(name: str) -> None:
    positives, negative = BLOCK_EXAMPLES[name]
    for text in positives:
        result = structure_text(f"Lead paragraph.\n{text}")
        assert [(r.rule, r.text) for r in result.removed] == [(name, text)]
        assert text not in result.body_text
    assert not structure_text(negative).removed
    assert negative in structure_text(negative).body_text


@pytest.mark.parametrize("name", sorted(INLINE_RULES))
def test_inline_rule(name: str) -> None:
    before, after = INLINE_EXAMPLES[name]
    result = structure_text(f"{before}.")
    assert result.body_text == f"{after}."
    assert [r.rule for r in result.removed] == [name]


def test_inline_rules_only_match_text_with_the_inline_mark() -> None:
    for name, pattern in INLINE_RULES.items():
        before, _ = INLINE_EXAMPLES[name]
        assert INLINE_MARK in pattern.search(before).group()


def test_block_rules_union_names_the_first_matching_rule() -> None:
    union = anchored_union(BLOCK_RULES)
    texts = [text for positives, negative in BLOCK_EXAMPLES.values() for text in positives]
    texts += [negative for _, negative in BLOCK_EXAMPLES.values()]
    for text in texts:
        found = union.match(text)
        assert (found.lastgroup if found else None) == first_match(BLOCK_RULES, text)


def test_block_rules_union_refuses_an_unanchored_rule() -> None:
    with pytest.raises(ValueError, match="anchored"):
        anchored_union({"loose": re.compile("Share this")})


def test_element_rule_classes_are_whole_class_tokens() -> None:
    html = '<p>Kept.</p><div class="entry-metadata">x</div><div class="a\tentry-meta">y</div>'
    result = structure_html(f"<div>{html}</div>")
    assert result.body_text == "Kept.\nx"
    assert [(r.rule, r.text) for r in result.removed] == [("entry_meta", "y")]


@pytest.mark.parametrize("name", sorted(DEBRIS_RULES))
def test_debris_rule(name: str) -> None:
    flagged, clean = DEBRIS_EXAMPLES[name]
    assert DEBRIS_RULES[name](flagged)
    assert not DEBRIS_RULES[name](clean)


@pytest.mark.parametrize("name", sorted(ELEMENT_RULES))
def test_element_rule(name: str) -> None:
    result = structure_html(f"<div><p>Kept paragraph.</p>{ELEMENT_EXAMPLES[name]}</div>")
    assert result.body_text == "Kept paragraph."
    assert [r.rule for r in result.removed] == [name]


@pytest.mark.parametrize("name", sorted(HEADER_LABELS))
def test_header_label(name: str) -> None:
    label, value = HEADER_EXAMPLES[name]
    lines = [label] if value else [label, "Next block value."]
    result = structure_text("\n".join([*lines, "Body paragraph."]))
    assert result.header == {name: value or "Next block value."}
    assert result.body_text == "Body paragraph."


def test_header_labels_only_count_before_the_body() -> None:
    result = structure_text("Lead paragraph.\nBody paragraph.\nSource: Reuters")
    assert result.header == {}
    assert "Source: Reuters" in result.body_text


# --- smaller behaviours ----------------------------------------------------------------------


def test_empty_input_gives_empty_structure() -> None:
    assert structure_html("   ").sections == ()
    assert structure_text("").sections == ()


def test_bold_paragraph_is_a_subhead_and_table_rows_join_cells() -> None:
    html = (
        "<p><strong>Why Relevant?</strong></p><p>Because.</p>"
        "<figure class='wp-block-table'><table><tr><td>A</td><td>B</td></tr></table></figure>"
    )
    (section,) = structure_html(html).sections
    assert section.heading == "Why Relevant?"
    assert section.paragraphs == ("Because.", "A | B")


def test_links_are_absolute_outbound_and_not_share_buttons() -> None:
    html = (
        "<p><a href='/news/other/'>internal</a> <a href='#top'>anchor</a>"
        " <a href='https://x.com/intent/tweet?url=a'>share</a>"
        " <a href='http://www.minmetals.com/english/a.html'>release</a></p>"
    )
    result = structure_html(html, base_url=f"{BASE}/news/post/")
    assert [(link.url, link.text) for link in result.links] == [
        ("http://www.minmetals.com/english/a.html", "release")
    ]


def test_links_of_removed_blocks_are_dropped() -> None:
    html = (
        "<p>Body.</p><p>Visit the <a href='https://forum.example.org/'>Rare Earth Exchanges Forum"
        "</a> to discuss news.</p>"
    )
    assert structure_html(html).links == ()


# --- the five seeds --------------------------------------------------------------------------


def _snapshot(result) -> dict:
    """What the hand-reviewed snapshots hold: every field, paragraphs cut to their start."""
    return {
        "highlights": list(result.highlights),
        "sections": [
            {"heading": s.heading, "paragraphs": [p[:80] for p in s.paragraphs]}
            for s in result.sections
        ],
        "disclaimers": list(result.disclaimers),
        "header": {key: value[:80] for key, value in result.header.items()},
        "removed": [[r.rule, r.text[:80]] for r in result.removed],
        "debris": list(result.debris),
    }


@pytest.fixture(scope="module")
def recorded() -> dict[str, bytes]:
    bodies = {}
    with (REPO / "samples" / "sites.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                bodies[url] = record.content_stream().read()
    return bodies


@pytest.fixture(scope="module")
def api_posts(recorded) -> dict[str, dict]:
    posts = json.loads(recorded[api_url(BASE, page=1, per_page=100)])
    by_id = {post["id"]: post for post in posts}
    return {seed: by_id[post_id] for seed, post_id in POST_IDS.items()}


def _html_readings(seed: str, recorded, api_posts) -> dict[str, object]:
    """Every HTML form of a seed in the archive: API content and the whole page."""
    if seed == "004":
        return {"page": structure_html(recorded[CNGEO_URL].decode(), base_url=CNGEO_URL)}
    post = api_posts[seed]
    return {
        "api": structure_html(post["content"]["rendered"], base_url=post["link"]),
        "page": structure_html(recorded[post["link"]].decode(), base_url=post["link"]),
    }


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_text_matches_reviewed_snapshot(seed: str) -> None:
    result = structure_text(SEEDS[seed].read_text(encoding="utf-8"))
    expected = json.loads((EXPECTED / f"structure_{seed}.json").read_text(encoding="utf-8"))
    assert _snapshot(result) == expected


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_html_reading_agrees_with_text_reading(seed: str, recorded, api_posts) -> None:
    from_text = structure_text(SEEDS[seed].read_text(encoding="utf-8"))
    for where, result in _html_readings(seed, recorded, api_posts).items():
        assert result.highlights == from_text.highlights, where
        assert result.sections == from_text.sections, where
        assert result.disclaimers == from_text.disclaimers, where
        assert result.header == from_text.header, where
        assert result.debris == from_text.debris, where


BOILERPLATE = (
    "(opens in a new tab)",
    "wp:paragraph",
    "0 Comments",
    "Leave a Reply",
    "No replies yet",
    "Loading new replies",
    "Moderator",
    "Join the full discussion",
    "Table of Contents",
    "CONTENTS",
    "Spread the word",
    "Rare Earth Exchanges™",
    "Rare Earth Exchangesโข",
    "Visit the Rare Earth Exchanges Forum",
    "Sure, here is",
    "Release time",
    "Guide to Reading",
    "Disclaimer:",
)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_no_boilerplate_left_in_body_text(seed: str, recorded, api_posts) -> None:
    readings = {"text": structure_text(SEEDS[seed].read_text(encoding="utf-8"))}
    readings |= _html_readings(seed, recorded, api_posts)
    for where, result in readings.items():
        left = [s for s in BOILERPLATE if s in result.body_text]
        assert not left, (where, left)


@pytest.mark.parametrize(
    ("seed", "count", "first_words"),
    [
        ("000", 3, "China Minmetals and Guizhou province"),
        ("001", 7, "China Minmetals and CATL met in January"),
        ("002", 3, "China Minmetals holds crucial planning session"),
        ("003", 3, "China Minmetals and University of Science"),
        ("004", 0, ""),
    ],
)
def test_highlights(seed: str, count: int, first_words: str) -> None:
    result = structure_text(SEEDS[seed].read_text(encoding="utf-8"))
    assert len(result.highlights) == count
    assert not count or result.highlights[0].startswith(first_words)


def test_disclaimers_are_fields_not_body() -> None:
    texts = {seed: structure_text(path.read_text(encoding="utf-8")) for seed, path in SEEDS.items()}
    assert [len(texts[s].disclaimers) for s in sorted(texts)] == [1, 1, 0, 1, 0]
    assert texts["000"].disclaimers[0].startswith("Disclaimer: This report is based on a release")


def test_links_to_original_releases(api_posts) -> None:
    catl = structure_html(
        api_posts["001"]["content"]["rendered"], base_url=api_posts["001"]["link"]
    )
    assert {link.text: link.url for link in catl.links} == {
        "China Minmetals Corporation": (
            "http://www.minmetals.com/english/news/minmetalsnews/202601/t20260130_681244.html"
        ),
        "Contemporary Amperex Technology Co. Limited (CATL)": "https://www.catl.com/en/",
    }
    promo = structure_html(
        api_posts["002"]["content"]["rendered"], base_url=api_posts["002"]["link"]
    )
    assert [link.text for link in promo.links] == [
        "15th Five-Year Plan (2026–2030) planning session"
    ]


def test_cngeo_header_and_debris(recorded) -> None:
    result = structure_html(recorded[CNGEO_URL].decode(), base_url=CNGEO_URL)
    assert result.header["release_time"] == "2025-11-06"
    assert result.header["source"] == "China's Land and Resources Economics"
    assert result.header["guide"].startswith("With Trump returning to power")
    assert result.header["citation"].endswith("2025, 38(10):4-11.")
    assert any(d.endswith("Serious development trend Jùn") for d in result.debris)
    assert any(d.endswith("A dilemma situation") for d in result.debris)
    jun = next(s for s in result.sections if s.heading.endswith("Jùn"))
    assert jun.paragraphs, "flagged debris stays in the text"
    assert not any(d.startswith("3.2 ") for d in result.debris)

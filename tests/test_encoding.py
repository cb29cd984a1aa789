"""Text repair: Thai-codepage mojibake (all variants), ftfy's mojibake, full-width punctuation,
and the promise to leave clean English and foreign text byte-identical."""

import re
from pathlib import Path

import pytest
from ftfy.badness import BADNESS_RE, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms._mojibake_ftfy import _trigger_characters, looks_bad
from transforms._mojibake_model import QuoteModel, shipped_model, train
from transforms._mojibake_thai import _decode_paragraph, damage
from transforms.encoding import repair, repair_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"


def seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


# --- seed 003: the real damaged article -------------------------------------------------------


def test_seed003_matches_hand_checked_text() -> None:
    expected = (ROOT / "tests/expected/seed003_repaired.txt").read_text(encoding="utf-8")
    assert repair_text(seed("003")) == expected


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("underscores Chinaโs long-horizon", "underscores China’s long-horizon"),
        ("(USTB)โone of the countryโs top", "(USTB)—one of the country’s top"),
        ("in โStrategic Rare Metalsโ\n", "in “Strategic Rare Metals”\n"),
        (
            "โIndustryโacademiaโresearchโapplication integrationโ is now",
            "“Industry–academia–research–application integration” is now",
        ),
        ("China Minmetalsโaffiliated state media", "China Minmetals–affiliated state media"),
        (
            "ยฉ 2025 Rare Earth Exchangesโข โ Accelerating Transparency",
            "© 2025 Rare Earth Exchanges™ – Accelerating Transparency",
        ),
    ],
)
def test_seed003_fragments(damaged: str, repaired: str) -> None:
    assert repair_text(damaged) == repaired


def test_seed003_changes_point_into_the_input() -> None:
    text = seed("003")
    result = repair(text)
    assert len(result.changes) == 22
    for change in result.changes:
        assert text[change.offset : change.offset + len(change.before)] == change.before
        assert 0.5 < change.confidence <= 1.0
    assert {change.rule for change in result.changes} == {"thai-codepage", "thai-codepage-lossy"}


# --- each variant ------------------------------------------------------------------------------


def test_variant_b_cp1252_reread_is_exact() -> None:
    result = repair("Theyโ€™re here, peopleโ€”individuals, โ€œquotedโ€\x9d.")
    assert result.text == "They’re here, people—individuals, “quoted”."
    assert all(c.rule == "thai-codepage" and c.confidence == 1.0 for c in result.changes)


def test_variant_a2_c1_kept_is_exact() -> None:
    text = "Chinaโ\x80\x99s โ\x80\x9cbestโ\x80\x9d supplier โ\x80\x94 by far"
    assert repair_text(text) == "China’s “best” supplier — by far"


def test_variant_a_exact_two_byte_sequences() -> None:
    assert repair_text("cafรฉ, ยฉ 2025, 25ยฐC, ยฝ tonne") == "café, © 2025, 25°C, ½ tonne"


def test_variant_a_nbsp_becomes_nbsp() -> None:
    assert repair_text("price:ย\u00a0100 tonnes") == "price:\u00a0100 tonnes"


def test_variant_a_ellipsis_and_trademark_vs_bullet() -> None:
    text = "โข First point\nRare Earth Exchangesโข is a brand โฆ really"
    assert repair_text(text) == "• First point\nRare Earth Exchanges™ is a brand … really"


def test_cp874_reading_with_only_undefined_bytes_dropped() -> None:
    # cp874 defines 0x80 (€) but not 0x99, so ’ (E2 80 99) reads as "โ€" and ” as "โ€".
    assert repair_text("Chinaโ€s exports") == "China’s exports"


@pytest.mark.parametrize("c1", ["control", "cp1252"])
def test_reversible_variants_restore_clean_seeds_exactly(c1: str) -> None:
    clean = seed("001")
    assert repair_text(damage(clean, c1)) == clean


def test_lossy_variant_restores_most_of_a_clean_seed() -> None:
    clean = seed("002")
    repaired = repair_text(damage(clean, "dropped"))
    assert len(repaired) == len(clean)
    wrong = sum(a != b for a, b in zip(clean, repaired, strict=True))
    assert wrong <= 3


# --- ftfy layer, typography kept -------------------------------------------------------------


def test_ftfy_mojibake_fixed_and_reported() -> None:
    result = repair("The companyâ€™s CEO said â€œnoâ€\x9d. CafÃ© prices")
    assert result.text == "The company’s CEO said “no”. Café prices"
    assert all(c.rule.startswith("ftfy") for c in result.changes)
    original = "The companyâ€™s CEO said â€œnoâ€\x9d. CafÃ© prices"
    first = result.changes[0]
    assert original[first.offset : first.offset + len(first.before)] == first.before


@pytest.mark.parametrize(
    "text",
    [
        "She said “it’s fine” — really – 2020–2025, ½ tonne at 25°C, Brand™, H₂O, x².",
        "The ﬁnal ﬂow of ＡＢＣ full-width letters stays as written.",
        "Literal entities &amp; &lt;b&gt; stay, as do\r\nWindows line breaks.",
        "Ligature-free Zürich, São Paulo, Kraków, Đà Nẵng, naïve café.",
    ],
)
def test_legitimate_typography_is_untouched(text: str) -> None:
    assert repair(text).changes == ()
    assert repair_text(text) == text


# --- full-width punctuation -------------------------------------------------------------------


def test_fullwidth_punctuation_in_latin_text() -> None:
    result = repair("Sales reached RMB 1。6 trillion，up 5％ year on year（estimate）。The plan")
    assert result.text == "Sales reached RMB 1.6 trillion, up 5% year on year (estimate). The plan"
    assert {c.rule for c in result.changes} == {"fullwidth-punctuation"}


def test_fullwidth_digits_separator_gets_no_space() -> None:
    assert repair_text("output of 1，600 tonnes") == "output of 1,600 tonnes"


def test_fullwidth_punctuation_in_cjk_text_is_kept() -> None:
    text = "中国五矿集团（简称“中国五矿”）营业收入达1。6万亿元，同比增长。"
    assert repair_text(text) == text


def test_fullwidth_between_cjk_and_latin_is_kept() -> None:
    text = "稀土，rare earths"
    assert repair_text(text) == text


# --- left alone -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "002", "004"])
def test_clean_seeds_untouched(number: str) -> None:
    text = seed(number)
    assert repair(text).changes == ()


@pytest.mark.parametrize(
    "text",
    [
        "ประเทศไทยเป็นผู้ผลิตแร่หายากรายใหญ่ รัฐบาลประกาศแผนพัฒนาอุตสาหกรรมแร่ฉบับใหม่",
        "ผม ขับ รถ ไป ทำงาน ทุก วัน",
        "The Thai word รถ means car, and ไทย means Thai.",
        "Thai text: ประเทศไทย (Thailand) – ปี ๒๕๖๘",
        "中国五矿集团有限公司与北京科技大学签署战略合作协议，推动产学研用一体化。",
        "Việt Nam có trữ lượng đất hiếm lớn thứ hai thế giới – “đất hiếm” là ưu tiên.",
        "Привет, мир — «редкоземельные металлы».",
    ],
)
def test_foreign_text_untouched(text: str) -> None:
    assert repair_text(text) == text


def test_ascii_fast_path_returns_same_object() -> None:
    text = "Plain ASCII text, nothing to do."
    assert repair_text(text) is text


def test_seed003_is_idempotent() -> None:
    once = repair_text(seed("003"))
    assert repair_text(once) == once


# --- the learned model ------------------------------------------------------------------------


def test_shipped_model_is_what_the_corpus_trains() -> None:
    """The committed JSON must be re-generated (scripts/train_quote_model.py) with the corpus."""
    paths = [p for n in ("000", "001", "002", "004") for p in SEEDS.glob(f"{n}_*.txt")]
    paths += sorted((ROOT / "benchmarks/corpus").glob("*.txt"))
    shipped = (ROOT / "transforms/data/quote_model.json").read_text(encoding="utf-8").strip()
    assert train(p.read_text(encoding="utf-8") for p in paths).to_json() == shipped


def test_model_learns_from_context() -> None:
    model = train(["He said “yes” and “no”; it’s the firm’s view—all of it."] * 3)
    assert model.predict("’“”—", "He said ", "yes").char == "“"
    assert model.predict("’“”—", "it", "s the").char == "’"
    assert QuoteModel.from_json(model.to_json()).to_json() == model.to_json()


def test_model_ignores_candidates_it_does_not_know() -> None:
    assert shipped_model().predict("\u2060", "a", "b") is None


# --- properties -------------------------------------------------------------------------------

WORD = st.tuples(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéèêäöüçñ"), max_size=11),
).map("".join)
"""A word starts with an ASCII character: a lone "ä" damaged to "รค" is indistinguishable from a
two-letter Thai word, and those are left alone on purpose."""
TOKEN = st.tuples(
    st.sampled_from(["", "“", "‘", "(", "• ", "© ", "£", "€"]),
    WORD,
    st.sampled_from(["", "’s", "’", "”", ",", ".", ";", "…", "™", "°C", "½", "—", "–"]),
).map("".join)
LATIN_TEXT = st.lists(TOKEN, max_size=40).map(" ".join)
"""Clean Latin prose: words with typographic punctuation where English puts it. Capital accented
letters, ß and à are left out: "É°", "ß°" or "à½ " is byte for byte what UTF-8 read as Latin-1
looks like, and ftfy (by design, like us) treats it as mojibake."""
THAI = st.sampled_from([chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable()] + [" "])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_crashes_and_is_idempotent(text: str) -> None:
    once = repair_text(text)
    assert repair_text(once) == once


@settings(max_examples=300, deadline=None)
@given(LATIN_TEXT)
def test_clean_latin_with_typography_is_never_altered(text: str) -> None:
    assert repair_text(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(THAI, max_size=200))
def test_thai_is_never_altered(text: str) -> None:
    assert repair_text(text) == text


@settings(max_examples=200, deadline=None)
@given(LATIN_TEXT)
def test_reversible_variants_always_restore(text: str) -> None:
    text = "Price " + text  # a line of damage with no Latin letter at all is left alone
    assert repair_text(damage(text, "cp1252")) == text
    assert repair_text(damage(text, "control")) == text


MOJIBAKE_ALPHABET = st.sampled_from(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x80, 0x250)]
    + list("’‘“”—–…•™€‚„†‡‰‹›ŒœŠšŸŽžƒˆ˜√≈∂≠≤≥βΒΓΞΟВГРСЂўā")
)


@settings(max_examples=500, deadline=None)
@given(st.text(MOJIBAKE_ALPHABET, max_size=60))
def test_ftfy_prefilter_never_misses_what_is_bad_flags(text: str) -> None:
    assert looks_bad(text) or not is_bad(text)


def _required_character_sets(branch: re._parser.SubPattern) -> list[set[str] | None]:
    """Per top-level position of a pattern branch: the characters it takes (None if unknown)."""
    found: list[set[str] | None] = []
    for op, value in branch.data:
        chars: set[str] | None = None
        if op is re._constants.LITERAL:
            chars = {chr(value)}
        elif op is re._constants.IN and all(
            item_op in (re._constants.LITERAL, re._constants.RANGE) for item_op, _ in value
        ):
            chars = set()
            for item_op, item in value:
                low, high = (item, item) if item_op is re._constants.LITERAL else item
                chars.update(map(chr, range(low, high + 1)))
        found.append(chars)
    return found


def test_every_ftfy_badness_match_holds_a_trigger_character() -> None:
    """What lets clean text full of curly quotes skip ftfy: each alternative of ftfy's badness
    pattern has a position only trigger characters can fill."""
    (op, (_, branches)) = re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data[0]
    assert op is re._constants.BRANCH
    triggers = set(_trigger_characters())
    for branch in branches:
        assert any(chars and chars <= triggers for chars in _required_character_sets(branch)), (
            branch
        )


# --- lossy decoding in context ------------------------------------------------------------------


def _lossy_round_trip(text: str) -> str:
    return repair_text(damage(text, "dropped"))


def test_nested_quote_far_from_its_opening_quote() -> None:
    """The open “ is counted over the whole paragraph, not a fixed window that could cut it off
    (a window holding a ” but not its “ would read the quote as closed)."""
    text = (
        "He said: “Every customer asks where the ore came from, who mined it, which smelter "
        "refined it, how much power the plant used, whether the workers were paid, and what "
        "the carbon footprint is. Some of them ask for a ‘China-free’ certificate.”"
    )
    assert text.index("‘") - text.index("“") > 160
    assert _lossy_round_trip(text) == text


def test_quoted_words_are_closed_by_double_quotes() -> None:
    text = "They crack down on “illegal” trade and ban “blending” of ores."
    assert _lossy_round_trip(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "The deal covers government–enterprise–university cooperation on mining.",
        "The plant—which opened in 2024—has not reached capacity.",
        "Next week we’re travelling, and you’re invited; it’s the last trip.",
        "Quotas for 2026–2030 rose 5–8% a year.",
    ],
)
def test_lossy_dashes_and_apostrophes_from_context(text: str) -> None:
    assert _lossy_round_trip(text) == text


def test_distribution_is_a_probability_over_known_candidates() -> None:
    model = shipped_model()
    distribution = model.distribution("’“”—\u2060", "the firm", "s view")
    assert set(distribution) == set("’“”—")
    assert abs(sum(distribution.values()) - 1.0) < 1e-9
    assert max(distribution, key=distribution.__getitem__) == "’"
    assert model.distribution("\u2060", "a", "b") == {}


def test_beam_prefers_the_likelier_whole_reading() -> None:
    """Greedy would take ’ first (0.55) and then face a coin toss; the reading “ then ’ is
    likelier as a whole (0.45 x 0.99 > 0.55 x 0.55), and the beam finds it."""
    model = QuoteModel({"’": {"bias": 0.2, "l1=“": 5.0}, "“": {}})
    reading = _decode_paragraph(model, ["", ""], ["", ""], [("’", "“"), ("’", "“")])
    assert [char for char, _ in reading] == ["“", "’"]
    assert reading[1][1] > 0.99

"""Is a sentence a claim, and of which type: event, statistic, quote, analysis, forecast,
recommendation.

Definitions (docs/claims.md has examples from the seeds):
- event: a factual statement of what happened or what is (meetings, deals, appointments,
  a company's business lines); checkable against records.
- statistic: the sentence's point is a measured quantity (shares, reserves, prices, volumes).
- quote: what a named person or organisation said, directly or in reported speech.
- analysis: interpretation or evaluation by the writer ("signals", "underscores", "a
  wake-up call").
- forecast: a statement about the future ("will", "poised to", "expect tighter…").
- recommendation: what someone should do ("must", "should", "it is recommended").
Rules run in that precedence: quote, recommendation, forecast, statistic, event, then the
section's default (analysis in analysis/outlook sections, event elsewhere). Precompiled regexes
only, written in lower case and matched on the sentence lower-cased once (transforms/casefold.py):
this runs on every sentence of a backfill.
"""

from __future__ import annotations

import re

from transforms.casefold import FoldedPattern, fold
from transforms.section_roles import ANALYSIS, DISCLAIMER, OUTLOOK

EVENT = "event"
STATISTIC = "statistic"
QUOTE = "quote"
ANALYSIS_TYPE = "analysis"
FORECAST = "forecast"
RECOMMENDATION = "recommendation"
CLAIM_TYPES = (EVENT, STATISTIC, QUOTE, ANALYSIS_TYPE, FORECAST, RECOMMENDATION)
OPINION_TYPES = frozenset({ANALYSIS_TYPE, FORECAST, RECOMMENDATION})
"""Types an analyst cannot check against a record today: verification `not_checkable`."""

# Not a claim: navigation and calls to action at the start, a lead-in phrase anywhere, or a
# sentence ending in ":" or "?" (tested on the string: a regex for it would try every position).
_NAVIGATION = FoldedPattern(
    r"""^(?:on\ to\ |visit\ the|join\ the|subscribe|read\ more|click|sure,\ here|table\ of\ contents
    |disclaimer\b|leave\ a\ reply|\d+\ comments?)""",
    re.VERBOSE,
)
_LEAD_IN = FoldedPattern(
    r"\bthe following aspects\b|\b(?:several|the following) developments stand out\b"
)

_RECOMMENDATION = FoldedPattern(
    r"\b(?:must|ought to|needs? to|it is (?:recommended|suggested|imperative|essential|necessary)"
    r"|(?:strongly )?recommended|calls for|we should|(?:is|are) needed to|only by\b.*\bcan\b|"
    r"should (?!the\b|any\b|their\b|its\b|be (?:noted|said|pointed out)\b)\w+)"
    r"|^(?:accelerate|focus on|plan for|careful planning)\b"
)
_FORECAST = FoldedPattern(
    r"\b(?:(?<!national )(?<!political )will(?! of\b)|won[’']t|(?:is|are) (?:poised|set|expected|"
    r"likely|bound|about) to|poised to|in the future|going forward|years? ahead|"
    r"foreseeable (?:future|long term))\b|"
    r"^expect\b|,\s*expect\b"
)
_MODAL = FoldedPattern(r"\b(?:would|could|may|might)\b(?!\s+\d)")
"""A possibility or a conditional consequence is a statement about what has not happened."""
# A quantity is an amount (a currency or a number with a unit) or an approximation; a date is a
# month or a year. Amounts and years need a digit: one quick scan for any digit spares their
# searches in most sentences.
_DIGIT = re.compile(r"\d")
_AMOUNT = FoldedPattern(
    r"(?:us\$|£|€|¥|rmb|\$)\s?\d|\d(?:[\d,.]*\d)?\s*(?:%|(?:percent|per cent|billion|million|"
    r"trillion|tons?|tonnes|barrels|terawatt-hours|twh|gw|mw|yuan|yen|dollars)\b)"
)
_APPROXIMATION = FoldedPattern(
    r"\b(?:nearly|over|about|close to|almost|approximately) (?:\d|three-quarters|half)"
)
_EVENT = FoldedPattern(
    r"\b(?:met|meet|held|hold|signed|announced|formali[sz]ed|agreed|launched|acquired|proposed|"
    r"rejected|approved|issued|visited|chaired|brought together|promised|deployed|established|"
    r"discovered|withdrew|renamed|commissioned|expressed|raised|increased|sworn|took office|"
    r"made a (?:second )?bid|made a statement|returned|entered|taken control|imposed|"
    r"(?:was|were) (?:disclosed|announced|signed)|reported on|presented|brought|flagged|"
    r"operates|headquartered|hosts|is (?:one of|the world[’']s)|are (?:one of))\b"
)
_MONTH = FoldedPattern(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b(?:\s+\d{1,2})?"
)
_YEAR = FoldedPattern(r"\b(?:in|since|on|as early as) (?:late |early )?\d{4}\b")
_INTERPRETIVE = FoldedPattern(
    r"\b(?:signals?|underscores?|illustrates?|reinforces?|suggests?|implies|means|reflects?|"
    r"positions? \w+ to|significance|implications?|matters|wake-up call|sign of|code for|"
    r"based on (?:the above|this) analysis|judging from|"
    r"in other words|put simply|emerges? as|echoe[sd]|entails?|the west|western|"
    r"is (?:about|less|more)|state doctrine|unrivaled|unmatched|it should be (?:noted|said))\b"
)
_LEADING_FRAME = re.compile(r"^In a move that [^,]*,\s*", re.IGNORECASE)
_TRAILING_GLOSS = re.compile(r"—(?:language|an? \w+|which)\b[^—]*\bthat\b.*$")
_TIME_ANCHOR = FoldedPattern(
    r"\b(?:since (?:the )?(?:\d{4}|end|beginning|launch|\w+ \d{4})|as early as|after|during|"
    r"following|in recent years|recently|currently|previous term|already)\b"
)
_PAST = FoldedPattern(
    r"\b(?:has|have|had|was|were)\b|\b\w{3,}ed\b|\b(?:swept|made|took|began|became|saw|won|"
    r"lost|sent|met|held|brought|led|set)\b"
)


def is_claim(sentence: str, role: str, *, folded: str | None = None) -> bool:
    """False for navigation, lead-ins, questions, calls to action, disclaimers, fragments.

    `folded` is `casefold.fold(sentence)` when the caller already has it.
    """
    if role == DISCLAIMER:
        return False
    if len(sentence.split(None, 3)) < 4:  # fewer than four words (the rest is not split)
        return False
    folded = folded or fold(sentence)
    return not (
        _NAVIGATION.search(sentence, folded)
        or sentence.rstrip().endswith((":", "?"))
        or _LEAD_IN.search(sentence, folded)
    )


def _main_clause(sentence: str) -> str:
    """The sentence without a leading "In a move that underscores …," frame or a trailing
    "—language that … implies …" gloss, whose interpretive verbs do not make the reported
    event itself an analysis."""
    text = _LEADING_FRAME.sub("", sentence)
    return _TRAILING_GLOSS.sub("", text)


def _quantity(sentence: str, folded: str | None) -> bool:
    if _DIGIT.search(sentence) and _AMOUNT.search(sentence, folded):
        return True
    return _APPROXIMATION.search(sentence, folded) is not None


def _date(sentence: str, folded: str | None) -> bool:
    if _MONTH.search(sentence, folded):
        return True
    return bool(_DIGIT.search(sentence) and _YEAR.search(sentence, folded))


def claim_type(
    sentence: str,
    role: str,
    *,
    reported_speech: bool,
    hedged: bool = False,
    folded: str | None = None,
) -> str:
    """The claim type of a sentence already known to be a claim.

    `reported_speech` is True when attribution found a speaker with a speech verb or a
    "comment by" (transforms/attribution.py); `hedged` when the sentence carries a hedge cue
    (a hedged statement in a news section is the writer's reading, not the release's fact);
    `folded` is `casefold.fold(sentence)` when the caller already has it.
    """
    if reported_speech:
        return QUOTE
    folded = folded or fold(sentence)
    if _RECOMMENDATION.search(sentence, folded):
        return RECOMMENDATION
    if _FORECAST.search(sentence, folded) or _MODAL.search(sentence, folded):
        return FORECAST
    main = _main_clause(sentence)
    interpretive = (
        _INTERPRETIVE.search(main, folded if main is sentence else fold(main)) is not None
    )
    if not interpretive and _quantity(sentence, folded):
        event = _EVENT.search(sentence, folded) and _date(sentence, folded)
        return EVENT if event else STATISTIC
    if interpretive or (hedged and role not in (ANALYSIS, OUTLOOK)):
        return ANALYSIS_TYPE
    if role in (ANALYSIS, OUTLOOK):
        anchored = _date(sentence, folded) or _TIME_ANCHOR.search(sentence, folded)
        return EVENT if anchored and _PAST.search(sentence, folded) else ANALYSIS_TYPE
    return EVENT

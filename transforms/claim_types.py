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
only: this runs on every sentence of a backfill.
"""

from __future__ import annotations

import re

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

_NOT_A_CLAIM = re.compile(
    r"""^(?:on\ to\ |visit\ the|join\ the|subscribe|read\ more|click|sure,\ here|table\ of\ contents
    |disclaimer\b|leave\ a\ reply|\d+\ comments?)
    |[:?]\s*$
    |\bthe\ following\ aspects\b
    |\b(?:several|the\ following)\ developments\ stand\ out\b""",
    re.IGNORECASE | re.VERBOSE,
)

_RECOMMENDATION = re.compile(
    r"\b(?:must|ought to|needs? to|it is (?:recommended|suggested|imperative|essential|necessary)"
    r"|(?:strongly )?recommended|calls for|we should|should (?!the\b|any\b|their\b|its\b)\w+)"
    r"|^(?:accelerate|focus on|plan for|careful planning)\b",
    re.IGNORECASE,
)
_FORECAST = re.compile(
    r"\b(?:(?<!national )(?<!political )will(?! of\b)|won[’']t|(?:is|are) (?:poised|set|expected|"
    r"likely|bound|about) to|poised to|in the future|future\b|going forward|next decade|"
    r"years? ahead|outlook)\b|^expect\b|,\s*expect\b",
    re.IGNORECASE,
)
_CONDITIONAL_MODAL = re.compile(
    r"\b(?:would|could|may|might)\b(?!\s+\d)[^.]*\b(?:if|once|should)\b|"
    r"\b(?:if|once|should the)\b[^.]*\b(?:would|could|may|might)\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?:US\$|£|€|¥|RMB|\$)\s?\d|\d(?:[\d,.]*\d)?\s*(?:%|percent|per cent|billion|million|"
    r"trillion|tons?|tonnes|barrels|terawatt-hours|TWh|GW|MW|yuan|yen|dollars)\b|"
    r"\b(?:nearly|over|about|close to|almost|approximately) (?:\d|three-quarters|half)",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:met|meet|held|hold|signed|announced|formali[sz]ed|agreed|launched|acquired|proposed|"
    r"rejected|approved|issued|visited|chaired|brought together|promised|deployed|established|"
    r"discovered|withdrew|renamed|commissioned|expressed|raised|increased|sworn|took office|"
    r"made a (?:second )?bid|made a statement|returned|entered|taken control|imposed|"
    r"(?:was|were) (?:disclosed|announced|signed)|reported on|presented|brought|flagged|"
    r"operates|headquartered|hosts|is (?:one of|the world[’']s)|are (?:one of))\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b(?:\s+\d{1,2})?|\b(?:in|since|on|as early as) (?:late |early )?\d{4}\b",
    re.IGNORECASE,
)
_INTERPRETIVE = re.compile(
    r"\b(?:signals?|underscores?|illustrates?|reinforces?|suggests?|implies|means|reflects?|"
    r"positions?|significance|matters|wake-up call|sign of|code for|in other words|put simply|"
    r"is (?:about|less|more)|(?:is|are) (?:now )?(?:state doctrine|unrivaled|unmatched))\b",
    re.IGNORECASE,
)


def is_claim(sentence: str, role: str) -> bool:
    """False for navigation, lead-ins, questions, calls to action, disclaimers, fragments."""
    if role == DISCLAIMER:
        return False
    if len(sentence.split()) < 4:
        return False
    return _NOT_A_CLAIM.search(sentence) is None


def claim_type(sentence: str, role: str, *, reported_speech: bool) -> str:
    """The claim type of a sentence already known to be a claim.

    `reported_speech` is True when attribution found a speaker with a speech verb or a
    "comment by" (transforms/attribution.py).
    """
    if reported_speech:
        return QUOTE
    if _RECOMMENDATION.search(sentence):
        return RECOMMENDATION
    if _FORECAST.search(sentence) or _CONDITIONAL_MODAL.search(sentence):
        return FORECAST
    interpretive = _INTERPRETIVE.search(sentence) is not None
    if _QUANTITY.search(sentence) and not interpretive:
        return EVENT if _EVENT.search(sentence) and _DATE.search(sentence) else STATISTIC
    if role in (ANALYSIS, OUTLOOK):
        if _EVENT.search(sentence) and _DATE.search(sentence) and not interpretive:
            return EVENT
        return ANALYSIS_TYPE
    if interpretive:
        return ANALYSIS_TYPE
    return EVENT

"""Who a sentence says asserted it: in-sentence attribution cues.

Cues: "according to X" (and "according to a comment/analysis/data by|from X"), "X said / told /
noted / emphasized / underscored / highlighted / stressed / reiterated / pointed to / framed",
"X reports that", "as suggested by X", and relays "cited by Y" / "quoted by Y". Pronoun
subjects ("He emphasized…", "The company stated…") resolve to the last person or organisation
named before, which is how newsletter paragraphs about a meeting are written. Document-level
attribution (disclaimers, "Source:" headers, citations) is transforms/provenance.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.casefold import fold
from transforms.entities import Gazetteer, Mention

_SPEECH_VERBS = (
    r"said|says|told|noted|notes|emphasi[sz]ed|emphasi[sz]es|underscored|underscores|"
    r"highlighted|stressed|stated|reiterated|pointed to|pointed out|framed|added|warned|argued|"
    r"claimed|made a statement|commented|remarked|insisted|explained"
)
_ADVERB = r"(?:(?:also|further|once again|again|officially|repeatedly|publicly|\w+ly)\s+)?"
_SPEECH_AFTER = re.compile(rf"\s*,?\s*{_ADVERB}(?:{_SPEECH_VERBS})\b", re.IGNORECASE)
"""Matched at a mention's end (`match(sentence, end)`: anchored there, no copy of the rest)."""
_PRONOUN_SPEECH = re.compile(
    rf"^(?P<subject>He|She|They|The company|The group|The firm|The ministry)\s+{_ADVERB}"
    rf"(?:{_SPEECH_VERBS})\b"
)
_NAME_SPEECH = re.compile(
    rf"^(?:[A-Z][\w’'.-]*\s+){{0,3}}?(?P<subject>(?:[A-Z][\w’'.-]+\s?){{1,4}}?)\s+{_ADVERB}"
    rf"(?:{_SPEECH_VERBS})\b"
)
_ACCORDING = re.compile(
    r"\baccording to\s+(?:(?:a|an|the)\s+)?(?:(?P<speech>comments?|remarks?|statements?|"
    r"interviews?)|(?:analysis|analyses|data|figures|estimates?|reports?|research|statistics|"
    r"information|readout|official readout|release|survey))?\s*(?:(?:by|from|of)\s+)?"
    r"(?P<who>[^,;]+)?",
    re.IGNORECASE,
)
# Each unanchored cue comes with the literals one of which every match of it contains: most
# sentences contain none, and a few substring tests cost a fraction of the scan (this one's
# capitalised-words start is tried at every capital).
_RELAY_VERBS = ("cited", "quoted", "reported")
_CITED_BY = re.compile(r"\b(?:cited|quoted|reported)\s+by\s+(?:the\s+)?(?P<who>[^,;.]+)")
_SUGGESTED_BY = re.compile(r"\bas (?:suggested|noted|reported) by\s+(?P<who>[^,;.(]+)")
_SUGGESTED_BY_NEEDS = ("as suggested by", "as noted by", "as reported by")
_REPORTS_THAT = re.compile(
    r"(?P<who>(?:[A-Z][\w’'.-]*\s?){1,4}|market sources|analysts|officials|sources)\s+"
    r"(?:reported|reports|report|said|say) that\b"
)
_REPORTS_THAT_NEEDS = ("report that", "reports that", "reported that", "said that", "say that")
_DOCUMENT_READOUT = re.compile(
    r"^(?:the\s+)?(?:official\s+)?(?:readout|release|statement|announcement)\b", re.IGNORECASE
)
_UNNAMED = re.compile(r"^(?:incomplete information|sources?|reports?|media reports?)\b", re.I)
_NOT_A_SUBJECT = frozenset(
    (
        "This",
        "That",
        "Although",
        "Though",
        "When",
        "If",
        "Because",
        "Once",
        "These",
        "Those",
        "It",
        "Its",
        "The",
        "A",
        "An",
        "In",
        "On",
        "As",
        "For",
        "With",
        "While",
        "Meanwhile",
        "However",
        "Such",
        "Our",
        "We",
        "Their",
    )
)


@dataclass(frozen=True)
class SentenceAttribution:
    """What a sentence says about its own source.

    `asserter` is a canonical entity name when the gazetteer knows it, else the words used;
    `DOCUMENT_ORIGIN` means "the release this article is based on" ("according to the official
    readout"); `relays` are intermediaries named in the sentence (the AP in "cited by the AP").
    """

    asserter: str
    cue: str
    reported_speech: bool = False
    relays: tuple[str, ...] = ()
    entity_id: str | None = None


DOCUMENT_ORIGIN = "<document origin>"
_ORG_TYPES = frozenset({"company", "soe", "government", "research", "outlet"})


@dataclass
class AttributionContext:
    """The last person and organisation named so far in the article (for pronouns)."""

    last_person: str | None = None
    last_org: str | None = None
    names: dict[str, str] = field(default_factory=dict)

    def update(self, mentions: list[Mention], gazetteer: Gazetteer) -> None:
        """Remember the FIRST person and organisation of the latest sentence naming one: the
        subject, usually ("Nippon Steel … announced its plan to acquire … U.S. Steel. The
        company stated…" is Nippon Steel)."""
        person = org = None
        for mention in mentions:
            entity = gazetteer.entities[mention.entity_id]
            if entity.type == "person" and person is None:
                person = entity.entity_id
            elif entity.type in _ORG_TYPES and org is None:
                org = entity.entity_id
        self.last_person = person or self.last_person
        self.last_org = org or self.last_org


def _canonical(name: str, gazetteer: Gazetteer) -> tuple[str, str | None]:
    cleaned = re.sub(r"\s+", " ", name).strip(" .“”\"'")
    cleaned = re.split(r",|\s+\(|\s+who\b|\s+in\s+(?:19|20)\d\d", cleaned)[0].strip()
    entity = gazetteer.resolve(cleaned)
    if entity is None:
        # "a climate scientist at New York University" → keep the leading proper name only.
        head = re.match(r"(?:[A-Z][\w’'.-]+\s?){1,5}", cleaned)
        if head:
            entity = gazetteer.resolve(head.group(0).strip())
            cleaned = head.group(0).strip()
    if entity is not None:
        return entity.name, entity.entity_id
    return cleaned, None


def _speaker_at(sentence: str, mentions: list[Mention], gazetteer: Gazetteer) -> Mention | None:
    """A gazetteer person/organisation mention directly followed by a speech verb."""
    for mention in mentions:
        entity = gazetteer.entities[mention.entity_id]
        if entity.type in ("place", "mineral"):
            continue
        if _SPEECH_AFTER.match(sentence, mention.end):
            return mention
    return None


def attribute_sentence(
    sentence: str,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    context: AttributionContext,
    *,
    folded: str | None = None,
) -> SentenceAttribution | None:
    """The sentence's own attribution, or None when it names no source.

    `folded` is `casefold.fold(sentence)` when the caller has it. Most sentences name no source,
    so each unanchored cue is searched only when the words it cannot match without ("cited",
    "according to", "as noted by", "said that"…) are in the sentence: a substring test costs a
    fraction of a regex scan.
    """
    relays = ()
    if "by" in sentence and any(verb in sentence for verb in _RELAY_VERBS):
        relays = tuple(
            _canonical(m.group("who"), gazetteer)[0] for m in _CITED_BY.finditer(sentence)
        )
    folded = folded or fold(sentence)
    according = _ACCORDING.search(sentence) if folded is None or "according to" in folded else None
    if according:
        who = (according.group("who") or "").strip()
        speech = according.group("speech") is not None
        if _DOCUMENT_READOUT.match(who) or (not who and "readout" in according.group(0).lower()):
            return SentenceAttribution(DOCUMENT_ORIGIN, "according to the readout", speech)
        if who and not _UNNAMED.match(who):
            name, entity_id = _canonical(who, gazetteer)
            return SentenceAttribution(name, "according to", speech, relays, entity_id)
    speaker = _speaker_at(sentence, mentions, gazetteer)
    if speaker is not None and speaker.start <= 40:
        entity = gazetteer.entities[speaker.entity_id]
        return SentenceAttribution(entity.name, "speech verb", True, relays, entity.entity_id)
    pronoun = _PRONOUN_SPEECH.match(sentence)
    if pronoun:
        subject = pronoun.group("subject")
        target = context.last_person if subject in ("He", "She") else context.last_org
        if target is not None:
            entity = gazetteer.entities[target]
            return SentenceAttribution(entity.name, "speech verb", True, relays, target)
    named = _NAME_SPEECH.match(sentence)
    if named:
        subject = named.group("subject").strip()
        if subject.split()[0] not in _NOT_A_SUBJECT:
            name, entity_id = _canonical(subject, gazetteer)
            return SentenceAttribution(name, "speech verb", True, relays, entity_id)
    for pattern, cue, common, needs in (
        (_SUGGESTED_BY, "as suggested by", "ed by", _SUGGESTED_BY_NEEDS),
        (_REPORTS_THAT, "reports that", " that", _REPORTS_THAT_NEEDS),
    ):
        # `common` is in every needle: one test spares the others in most sentences.
        gated = common in sentence and any(needle in sentence for needle in needs)
        found = pattern.search(sentence) if gated else None
        if found:
            name, entity_id = _canonical(found.group("who"), gazetteer)
            return SentenceAttribution(name, cue, False, relays, entity_id)
    return None

"""Claim extraction: sentences -> typed, hedged, attributed claims with provenance chains and
an automatic verification status, plus the agents and entities they point to.

The pipeline per article: read document-level provenance once (disclaimer, origin links,
mirror header; transforms/provenance.py), then for each sentence of the highlights, the
mirror's "Guide to Reading" and every section (headings are structure, not claims): decide if
it is a claim and its type (transforms/claim_types.py), its hedges (transforms/hedging.py),
its in-sentence attribution (transforms/attribution.py), the entities it names
(transforms/entities.py), and build its chain. The rule that matters most for analysts: what a
newsletter adds (analysis, forecasts, recommendations, profiles) is the newsletter's claim,
while what it summarises from a state-owned release is the release's claim.

Corroboration across articles is NOT done here (it is a batch step over the warehouse:
transforms/corroboration.py); each claim only carries its `root` for that step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from transforms.attribution import (
    DOCUMENT_ORIGIN,
    AttributionContext,
    SentenceAttribution,
    attribute_sentence,
)
from transforms.casefold import fold
from transforms.claim_types import OPINION_TYPES, claim_type, is_claim
from transforms.entities import Gazetteer, Mention, default_gazetteer
from transforms.hedging import HedgeDetector, default_detector
from transforms.model import ArticleRecord, Claim, SourceProfile, stable_id
from transforms.provenance import (
    ASSERTED,
    FETCHED,
    MIRRORED,
    PIPELINE,
    RELAYED,
    Agent,
    DocumentProvenance,
    ProvenanceEdge,
    agent_for,
    chain_edges,
    document_provenance,
)
from transforms.section_roles import DISCLAIMER, HIGHLIGHTS, REPORTED_NEWS, section_roles
from transforms.sentences import split_sentences

TAGGER_VERSION = "claims-1"
"""Bump when tagging rules change in a way that changes stored claims."""

_RESEARCH_CLASSES = frozenset({"state_affiliated_research"})


_Paragraph = tuple[str, str, list[str], list[str | None], list[list[Mention]]]
"""A paragraph's heading and role, its sentences, their `casefold.fold`s and their gazetteer
mentions."""


@dataclass(frozen=True)
class TaggedSentence:
    """Every sentence the tagger saw, claim or not (for evaluation and audits)."""

    text: str
    section: str
    section_role: str
    is_claim: bool
    claim_id: str | None = None


@dataclass(frozen=True)
class ClaimEntity:
    """A claim names an entity (claim_entities row)."""

    claim_id: str
    entity_id: str


@dataclass(frozen=True)
class ClaimSet:
    """Everything the tagger found in one article."""

    claims: tuple[Claim, ...] = ()
    agents: tuple[Agent, ...] = ()
    edges: tuple[ProvenanceEdge, ...] = ()
    """Claim chains and article-level edges (authors, publisher, fetch)."""
    claim_entities: tuple[ClaimEntity, ...] = ()
    roots: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """claim_id -> root, `agent:<id>` of the original asserter (for a summarised release, the
    releasing organisation). Syndicated copies, mirrors and translations keep the root of what
    they copy, so they never corroborate it; the release URL is in `origin_url`."""
    sentences: tuple[TaggedSentence, ...] = ()
    tagger_version: str = TAGGER_VERSION


def _blocks(article: ArticleRecord, source: SourceProfile) -> list[tuple[str, str, str]]:
    """(section heading, role, paragraph) in reading order."""
    structure = article.structure
    blocks = [("Highlights", HIGHLIGHTS, text) for text in structure.highlights]
    guide = structure.header.get("guide", "")
    if guide:
        blocks.append(("Guide to Reading", HIGHLIGHTS, guide))
    default = "analysis" if source.origin_class in _RESEARCH_CLASSES else REPORTED_NEWS
    headings = [section.heading for section in structure.sections]
    for section, role in zip(structure.sections, section_roles(headings, default), strict=True):
        blocks.extend((section.heading, role, paragraph) for paragraph in section.paragraphs)
    blocks.extend(("Disclaimer", DISCLAIMER, text) for text in structure.disclaimers)
    return blocks


class _Attributed(NamedTuple):
    """Who a claim is attributed to (one per claim: a tuple is the cheapest record)."""

    asserter: Agent
    relays: tuple[Agent, ...]
    through_origin: bool
    origin_class: str | None


def _attribute(
    found: SentenceAttribution | None,
    ctype: str,
    role: str,
    doc: DocumentProvenance,
    gazetteer: Gazetteer,
) -> _Attributed:
    """Combine the sentence's own attribution with the document's."""
    summarised = role in (HIGHLIGHTS, REPORTED_NEWS) and ctype not in OPINION_TYPES
    if found is not None and found.asserter == DOCUMENT_ORIGIN:
        asserter = doc.origin or doc.mirrored_from or doc.publisher
        return _Attributed(asserter, (), doc.origin is not None, doc.origin_class)
    if found is not None:
        asserter = agent_for(found.asserter, gazetteer)
        relays = tuple(agent_for(name, gazetteer, kind="outlet") for name in found.relays)
        if asserter.agent_id == doc.publisher.agent_id:
            return _Attributed(doc.publisher, (), False, doc.publisher.origin_class)
        through = doc.origin is not None and (summarised or found.reported_speech)
        named_class = next((a.origin_class for a in (asserter, *relays) if a.origin_class), None)
        fallback = doc.origin_class if through else doc.publisher.origin_class
        return _Attributed(asserter, relays, through, named_class or fallback)
    if doc.mirrored_from is not None:
        return _Attributed(doc.mirrored_from, (), True, doc.origin_class)
    if doc.origin is not None and summarised:
        return _Attributed(doc.origin, (), True, doc.origin_class)
    return _Attributed(doc.publisher, (), False, doc.publisher.origin_class)


def _verification(ctype: str, who: _Attributed, doc: DocumentProvenance) -> tuple[str, str]:
    if ctype in OPINION_TYPES:
        return "not_checkable", f"{ctype}: opinion or prediction, no record to check it against"
    reason = f"single {who.origin_class or 'unknown'} origin"
    if who.asserter.agent_id != doc.publisher.agent_id:
        reason += f", relayed by {doc.publisher.name}"
    if who.through_origin and doc.not_verified_note:
        reason += "; disclaimer says not independently verified"
    return "unverified", reason


def extract_claims(
    article: ArticleRecord,
    source: SourceProfile,
    *,
    gazetteer: Gazetteer | None = None,
    hedges: HedgeDetector | None = None,
) -> ClaimSet:
    """Split an article into claims with provenance and verification status."""
    gazetteer = gazetteer or default_gazetteer()
    hedges = hedges or default_detector()
    # Split and scan every paragraph first: the document's provenance needs its entity counts,
    # which the sentence scans give without a second scan of the article.
    scanned: list[_Paragraph] = []
    for heading, role, paragraph in _blocks(article, source):
        sentences = split_sentences(paragraph)
        folds = [fold(sentence) for sentence in sentences]  # lower-cased once for every detector
        mentions = [gazetteer.find(s, lowered=f) for s, f in zip(sentences, folds, strict=True)]
        scanned.append((heading, role, sentences, folds, mentions))

    def known_entity_ids() -> dict[str, list[str]]:
        """Paragraph -> its entity ids, from the sentence scans (asked for only when the
        disclaimer sends provenance looking for the dominant SOE)."""
        known = {}
        for _, _, sentences, folds, mentions in scanned:
            ids = gazetteer.joined_entity_ids(sentences, folds, mentions)
            if ids is not None:
                known[" ".join(sentences)] = ids
        return known

    doc = document_provenance(article, source, gazetteer, known_entity_ids)
    context = AttributionContext()
    claims: list[Claim] = []
    edges: list[ProvenanceEdge] = []
    agents: dict[str, Agent] = {PIPELINE.agent_id: PIPELINE, doc.publisher.agent_id: doc.publisher}
    links: list[ClaimEntity] = []
    roots: dict[str, str] = {}
    tagged: list[TaggedSentence] = []
    occurrences: dict[str, int] = {}
    # Claims of one article with the same asserter, relays and origin share one chain shape.
    chains: dict[tuple, tuple[ProvenanceEdge, ...]] = {}
    for heading, role, sentences, folds, paragraph_mentions in scanned:
        for sentence, folded, mentions in zip(sentences, folds, paragraph_mentions, strict=True):
            if not is_claim(sentence, role, folded=folded):
                tagged.append(TaggedSentence(sentence, heading, role, False))
                context.update(mentions, gazetteer)
                continue
            found = attribute_sentence(sentence, mentions, gazetteer, context, folded=folded)
            context.update(mentions, gazetteer)
            ctype = claim_type(
                sentence,
                role,
                reported_speech=bool(found and found.reported_speech),
                folded=folded,
            )
            who = _attribute(found, ctype, role, doc, gazetteer)
            hedging = hedges.detect(sentence, folded=folded)
            status, reason = _verification(ctype, who, doc)
            occurrence = occurrences.get(sentence, 0)
            occurrences[sentence] = occurrence + 1
            claim_id = stable_id(article.article_id, sentence, str(occurrence))
            origin_url = doc.origin_url if who.through_origin else None
            for anchor, url in doc.origin_links.items():
                if anchor in sentence:  # a cited link in the sentence beats the document's
                    origin_url = url
                    break
            entity_ids = tuple(dict.fromkeys([m.entity_id for m in mentions]))
            claims.append(
                Claim(
                    claim_id=claim_id,
                    article_id=article.article_id,
                    seq=len(claims),
                    section=heading,
                    section_role=role,
                    text=sentence,
                    claim_type=ctype,
                    hedged=hedging.hedged,
                    hedge_cues=hedging.cues,
                    attributed_to=who.asserter.name,
                    origin_url=origin_url,
                    origin_class=who.origin_class,
                    verification_status=status,
                    verification_reason=reason,
                    entities=entity_ids,
                )
            )
            tagged.append(TaggedSentence(sentence, heading, role, True, claim_id))
            links += [ClaimEntity(claim_id, entity_id) for entity_id in entity_ids]
            for agent in (who.asserter, *who.relays):
                agents.setdefault(agent.agent_id, agent)
            key = (who.asserter.agent_id, who.relays, who.through_origin, origin_url)
            chain = chains.get(key)
            if chain is None:
                chain_doc = doc if who.through_origin else _without_origin(doc)
                chain = chains[key] = chain_edges(
                    "", who.asserter, who.relays, chain_doc, article.url, origin_url
                )
            edges += [
                ProvenanceEdge(claim_id, e.subject_kind, e.agent_id, e.role, e.position, e.url)
                for e in chain
            ]
            roots[claim_id] = f"agent:{who.asserter.agent_id}"
    for agent in (doc.origin, doc.mirrored_from, *doc.authors):
        if agent is not None:
            agents.setdefault(agent.agent_id, agent)
    edges.extend(_article_edges(article, doc))
    return ClaimSet(
        claims=tuple(claims),
        agents=tuple(agents.values()),
        edges=tuple(edges),
        claim_entities=tuple(links),
        roots=roots,
        sentences=tuple(tagged),
    )


def _without_origin(doc: DocumentProvenance) -> DocumentProvenance:
    """The document seen by a claim that did not come through its release (the newsletter's own
    analysis): same publisher and mirror, no release in the chain."""
    return DocumentProvenance(
        publisher=doc.publisher,
        origin=None,
        origin_class=None,
        origin_url=None,
        origin_links=doc.origin_links,
        translated=doc.translated and doc.mirrored_from is not None,
        mirrored_from=doc.mirrored_from,
        not_verified_note=doc.not_verified_note,
        authors=doc.authors,
    )


def _article_edges(article: ArticleRecord, doc: DocumentProvenance) -> list[ProvenanceEdge]:
    """Article-level chain: authors (asserted), the release or mirrored publication, the
    publisher, our fetch."""
    chain: list[tuple[Agent, str, str | None]] = [(a, ASSERTED, None) for a in doc.authors]
    if doc.origin is not None:
        chain.append((doc.origin, ASSERTED if not doc.authors else RELAYED, doc.origin_url))
    publisher_role = MIRRORED if doc.mirrored_from is not None else RELAYED
    chain.append((doc.publisher, publisher_role if chain else ASSERTED, article.url))
    chain.append((PIPELINE, FETCHED, article.url))
    return [
        ProvenanceEdge(article.article_id, "article", agent.agent_id, role, position, url)
        for position, (agent, role, url) in enumerate(chain)
    ]

"""Document-level provenance: who an article says its content comes from, and the chain of
agents from the original asserter to our fetch (in the spirit of W3C PROV: agents, and edges
with a role: asserted, relayed, translated, mirrored, fetched).

Evidence used, all from the structured article:
- disclaimers ("based on a release from a Chinese state-owned entity's media", "translated and
  summarized from reporting by media affiliated with…", "not independently verified");
- links to the original release: Gutenberg marks target=_blank links with the hidden text
  "(opens in a new tab)", so an anchor followed by that text is a link the writer cites;
  the publisher's own site (its forum) and bare homepages are never origins;
- CMS-mirror headers ("Source: China's Land and Resources Economics") and journal citations
  ("Zuo Geng and Li Xiaojie. Title [J]. China Land & Resources Economy, 2025…"): the page is a
  mirror of the named publication, whose authors asserted the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from transforms.entities import Gazetteer
from transforms.model import ArticleRecord, SourceProfile, StructuredText, stable_id

ASSERTED = "asserted"
RELAYED = "relayed"
TRANSLATED = "translated"
MIRRORED = "mirrored"
FETCHED = "fetched"
EDGE_ROLES = (ASSERTED, RELAYED, TRANSLATED, MIRRORED, FETCHED)

PIPELINE_AGENT = "claimtrail"
NEW_TAB = "(opens in a new tab)"

_STATE_DISCLAIMER = re.compile(
    r"state[- ]owned|state media|state-affiliated|government media|official media",
    re.IGNORECASE,
)
_NOT_VERIFIED = re.compile(
    r"not (?:been )?independently verified|should (?:be )?(?:independently )?verif|"
    r"should be (?:independently )?confirmed|independent sources should",
    re.IGNORECASE,
)
_TRANSLATED = re.compile(r"\btranslated\b", re.IGNORECASE)
_CITATION = re.compile(r"^(?P<authors>[^.]+)\.\s+.+?\[[A-Z]\]\.\s*(?P<journal>[^,]+),")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Agent:
    """Someone who asserted, relayed, translated, mirrored or fetched a claim."""

    agent_id: str
    name: str
    kind: str
    """organisation | person | outlet | research | government | pipeline | unknown"""
    origin_class: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True)
class ProvenanceEdge:
    """One link of a provenance chain: `subject_id` (a claim or an article) -> agent, with the
    agent's role and its position in the chain (0 = the original asserter)."""

    subject_id: str
    subject_kind: str
    agent_id: str
    role: str
    position: int
    url: str | None = None


@dataclass(frozen=True)
class DocumentProvenance:
    """What the article as a whole says about where its content comes from."""

    publisher: Agent
    """The source we fetched (a newsletter, a mirror, a news site)."""
    origin: Agent | None
    """The release the article summarises (from its disclaimer or mirror header), if any."""
    origin_class: str | None
    origin_url: str | None
    origin_links: dict[str, str]
    """anchor text -> URL of links the writer cites as sources."""
    translated: bool
    mirrored_from: Agent | None
    not_verified_note: bool
    authors: tuple[Agent, ...]


def agent_for(name: str, gazetteer: Gazetteer, kind: str = "unknown") -> Agent:
    """The agent for a name: the gazetteer entity when known (so aliases are one agent)."""
    entity = gazetteer.resolve(name)
    if entity is not None:
        return Agent(
            agent_id=stable_id("agent", entity.entity_id),
            name=entity.name,
            kind="person" if entity.type == "person" else _ENTITY_KIND.get(entity.type, kind),
            origin_class=entity.origin_class,
            entity_id=entity.entity_id,
        )
    return Agent(agent_id=stable_id("agent", name.casefold()), name=name, kind=kind)


_ENTITY_KIND = {
    "soe": "organisation",
    "company": "organisation",
    "government": "government",
    "research": "research",
    "outlet": "outlet",
}

PIPELINE = Agent(stable_id("agent", PIPELINE_AGENT), PIPELINE_AGENT, "pipeline")


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return ".".join(host.split(".")[-2:])


def origin_links(structure: StructuredText, article_url: str) -> dict[str, str]:
    """Links the writer cites as sources: anchors followed by "(opens in a new tab)", not on the
    publisher's own site and not a bare homepage."""
    text = "\n".join((structure.body_text, *structure.highlights, *structure.disclaimers))
    own_site = _site(article_url)
    found: dict[str, str] = {}
    for link in structure.links:
        anchor = link.text.replace(NEW_TAB, "").strip()
        cited = NEW_TAB in link.text or f"{anchor} {NEW_TAB}" in text
        path = urlsplit(link.url).path
        if not cited or not anchor or _site(link.url) == own_site or path in ("", "/"):
            continue
        found.setdefault(anchor, link.url)
    return found


def _dominant_soe(
    article: ArticleRecord, gazetteer: Gazetteer, known: Mapping[str, Sequence[str]]
) -> str | None:
    """The SOE named most often in the article (the likely releaser), if any. `known` maps
    paragraphs already scanned to their entity ids (see `document_provenance`)."""
    counts: dict[str, int] = {}
    text = "\n".join((*article.structure.highlights, article.structure.body_text))
    for entity_id in gazetteer.document_entity_ids(text, known):
        entity = gazetteer.entities[entity_id]
        if entity.type == "soe":
            top = entity.parent if entity.parent in gazetteer.entities else entity.entity_id
            counts[top] = counts.get(top, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def document_provenance(
    article: ArticleRecord,
    source: SourceProfile,
    gazetteer: Gazetteer,
    known_entity_ids: Callable[[], Mapping[str, Sequence[str]]] | None = None,
) -> DocumentProvenance:
    """Read disclaimers, links, mirror headers and citations into a `DocumentProvenance`.

    `known_entity_ids` gives, when called, the paragraphs the caller has already scanned with
    their entity ids in order (`Gazetteer.joined_entity_ids`): the claim tagger scans every
    sentence anyway, and reusing those scans spares a second one over the whole article. It is
    called only for an article whose disclaimer needs the dominant SOE."""
    structure = article.structure
    publisher = agent_for(source.name, gazetteer, kind="outlet")
    if publisher.origin_class is None:
        publisher = Agent(
            publisher.agent_id,
            publisher.name,
            publisher.kind,
            source.origin_class,
            publisher.entity_id,
        )
    links = origin_links(structure, article.url)
    disclaimer = " ".join(structure.disclaimers)
    origin: Agent | None = None
    origin_class: str | None = None
    state = _STATE_DISCLAIMER.search(disclaimer)
    if state:
        known = known_entity_ids() if known_entity_ids is not None else {}
        soe = _dominant_soe(article, gazetteer, known)
        if soe is not None and re.search(r"state-owned|released by", disclaimer, re.I):
            origin = agent_for(gazetteer.entities[soe].name, gazetteer)
            origin_class = "soe_corporate"
        else:
            origin = Agent(
                stable_id("agent", "chinese state media"),
                "Chinese state media",
                "outlet",
                "state_media",
            )
            origin_class = "state_media"
    mirrored_from: Agent | None = None
    authors: tuple[Agent, ...] = ()
    header_source = structure.header.get("source", "").strip()
    citation = _CITATION.match(structure.header.get("citation", "").strip())
    if citation:
        header_source = header_source or citation.group("journal").strip()
        authors = tuple(
            agent_for(name.strip(), gazetteer, kind="person")
            for name in re.split(r",| and ", citation.group("authors"))
            if name.strip()
        )
    if header_source and gazetteer.resolve(header_source) != gazetteer.resolve(source.name):
        mirrored_from = agent_for(header_source, gazetteer, kind="outlet")
        origin = origin or mirrored_from
        origin_class = origin_class or mirrored_from.origin_class or source.origin_class
    translated = bool(_TRANSLATED.search(disclaimer))
    if mirrored_from is not None and mirrored_from.entity_id is not None:
        entity = gazetteer.entities[mirrored_from.entity_id]
        translated = translated or any(_CJK.search(alias) for alias in entity.aliases)
    origin_url = None
    if origin is not None and links:
        in_disclaimer = [url for anchor, url in links.items() if anchor in disclaimer]
        origin_url = in_disclaimer[0] if in_disclaimer else next(iter(links.values()))
    return DocumentProvenance(
        publisher=publisher,
        origin=origin,
        origin_class=origin_class,
        origin_url=origin_url,
        origin_links=links,
        translated=translated,
        mirrored_from=mirrored_from,
        not_verified_note=bool(_NOT_VERIFIED.search(disclaimer)),
        authors=authors,
    )


def chain_edges(
    subject_id: str,
    asserter: Agent,
    relays: tuple[Agent, ...],
    doc: DocumentProvenance,
    fetched_url: str,
    origin_url: str | None,
) -> tuple[ProvenanceEdge, ...]:
    """The chain of one claim: asserter -> relays named in the sentence -> the release it came
    through -> the publisher (relayed/translated, or mirrored) -> our fetch."""
    chain: list[tuple[Agent, str, str | None]] = [(asserter, ASSERTED, origin_url)]
    for relay in relays:
        chain.append((relay, RELAYED, None))
    for intermediary in (doc.origin, doc.mirrored_from):
        if intermediary is not None and all(
            intermediary.agent_id != a.agent_id for a, _, _ in chain
        ):
            chain.append((intermediary, RELAYED, doc.origin_url))
    if doc.publisher.agent_id != asserter.agent_id:
        if doc.mirrored_from is not None:
            chain.append((doc.publisher, MIRRORED, fetched_url))
        else:
            chain.append((doc.publisher, RELAYED, fetched_url))
        if doc.translated:
            chain.append((doc.publisher, TRANSLATED, fetched_url))
    chain.append((PIPELINE, FETCHED, fetched_url))
    return tuple(
        ProvenanceEdge(subject_id, "claim", agent.agent_id, role, position, url)
        for position, (agent, role, url) in enumerate(chain)
    )

"""Cross-source corroboration: cluster near-duplicate and paraphrased claims, then decide which
claims another, independent root confirms.

Why MinHash/LSH on content words: paraphrases of one release ("China Minmetals and CATL met in
Ningde to expand cooperation" / "CATL and China Minmetals executives met in Ningde, agreeing to
expand their cooperation") share most content words but few word n-grams, and LSH finds such
pairs among all claims without comparing every pair. Candidate pairs are confirmed with the
exact Jaccard similarity of the word sets.

Why roots: a syndicated copy, a mirror or a translation of the same release is the same
evidence said twice. Each claim carries its root (the original release URL, else the original
asserter's agent id); a match counts only when the roots differ AND the matching claim's origin
class is independent of the Chinese state (independent news, price agencies). Opinions
(analysis, forecasts, recommendations) are never corroborated: agreement is not evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDEPENDENT_CLASSES = frozenset({"independent_news", "price_agency"})
CHECKABLE_TYPES = frozenset({"event", "statistic", "quote"})
SIMILARITY = 0.4
"""Minimum Jaccard similarity of content-word sets for two claims to be one cluster."""
MIN_WORDS = 5
"""Claims with fewer content words are too generic to match anything."""
NUM_PERM = 64

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "we",
        "our",
        "which",
        "who",
        "whom",
        "will",
        "would",
        "could",
        "may",
        "might",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "so",
        "than",
        "then",
        "also",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "both",
        "each",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "very",
        "can",
        "just",
        "while",
        "amid",
    )
)


@dataclass(frozen=True)
class ClaimForMatching:
    """What corroboration needs to know about a claim."""

    claim_id: str
    text: str
    claim_type: str
    origin_class: str | None
    root: str
    evidence_url: str | None = None


@dataclass(frozen=True)
class Corroboration:
    """`claim_id` is corroborated by `by_claim_id` (different root, independent origin)."""

    claim_id: str
    by_claim_id: str
    evidence_url: str | None
    note: str


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words, crude plural folding ("talks" ~ "talk")."""
    words = (w.removesuffix("s") if len(w) > 4 else w for w in _WORD.findall(text.lower()))
    return frozenset(w for w in words if w not in _STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def cluster(claims: list[ClaimForMatching]) -> dict[str, str]:
    """claim_id -> cluster_id (the smallest claim_id in its connected component)."""
    # Imported here: datasketch pulls in SciPy (~1 s), which every CLI command would pay.
    from datasketch import MinHash, MinHashLSH

    words = {c.claim_id: content_words(c.text) for c in claims}
    lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
    parent = {c.claim_id: c.claim_id for c in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Relays repeat a release's sentences verbatim: a claim whose word bag was seen before joins
    # that claim and is not compared again (comparing every copy with every other is quadratic).
    first_with_bag: dict[frozenset[str], str] = {}
    for claim in claims:
        bag = words[claim.claim_id]
        if len(bag) < MIN_WORDS:
            continue
        twin = first_with_bag.setdefault(bag, claim.claim_id)
        if twin != claim.claim_id:
            a, b = find(claim.claim_id), find(twin)
            if a != b:
                parent[max(a, b)] = min(a, b)
            continue
        signature = MinHash(num_perm=NUM_PERM)
        signature.update_batch([w.encode("utf-8") for w in bag])
        for other in lsh.query(signature):
            if jaccard(bag, words[other]) >= SIMILARITY:
                a, b = find(claim.claim_id), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        lsh.insert(claim.claim_id, signature)
    return {claim_id: find(claim_id) for claim_id in parent}


def corroborations(claims: list[ClaimForMatching], clusters: dict[str, str]) -> list[Corroboration]:
    """For each checkable claim, the first claim of its cluster from another root with an
    independent origin class."""
    members: dict[str, list[ClaimForMatching]] = {}
    for claim in claims:
        members.setdefault(clusters[claim.claim_id], []).append(claim)
    found: list[Corroboration] = []
    for claim in claims:
        if claim.claim_type not in CHECKABLE_TYPES:
            continue
        for other in members[clusters[claim.claim_id]]:
            if (
                other.claim_id != claim.claim_id
                and other.root != claim.root
                and other.origin_class in INDEPENDENT_CLASSES
                and other.claim_type in CHECKABLE_TYPES
            ):
                note = (
                    f"matches claim {other.claim_id} from an independent "
                    f"{other.origin_class} origin ({other.root})"
                )
                found.append(
                    Corroboration(claim.claim_id, other.claim_id, other.evidence_url, note)
                )
                break
    return found

"""Provenance chains: from the original asserter through relays, translators and mirrors to
claimtrail's fetch."""

from tests.seed_articles import seed_article, seed_source
from transforms.casefold import fold
from transforms.claims import ClaimSet, extract_claims
from transforms.entities import default_gazetteer
from transforms.model import Claim
from transforms.provenance import document_provenance
from transforms.sentences import split_sentences


def tagged(index: int) -> ClaimSet:
    return extract_claims(seed_article(index), seed_source(index))


def chain(claim_set: ClaimSet, claim: Claim) -> list[tuple[str, str]]:
    names = {a.agent_id: a.name for a in claim_set.agents}
    edges = sorted(
        (e for e in claim_set.edges if e.subject_id == claim.claim_id), key=lambda e: e.position
    )
    return [(names[e.agent_id], e.role) for e in edges]


def claim_starting(claim_set: ClaimSet, start: str) -> Claim:
    return next(c for c in claim_set.claims if c.text.startswith(start))


def test_david_holland_chain_through_the_ap_the_journal_and_the_mirror() -> None:
    claim_set = tagged(4)
    claim = claim_starting(claim_set, "According to a comment by David Holland")
    assert claim.attributed_to == "David Holland"
    assert claim.claim_type == "quote"
    assert chain(claim_set, claim) == [
        ("David Holland", "asserted"),
        ("Associated Press", "relayed"),
        ("China Land & Resources Economy", "relayed"),
        ("en.cngeo.com", "mirrored"),
        ("en.cngeo.com", "translated"),
        ("claimtrail", "fetched"),
    ]
    assert claim.origin_class == "independent_news"


def test_journal_claims_are_the_journals_mirrored_and_translated() -> None:
    claim_set = tagged(4)
    claim = claim_starting(claim_set, "On January 20, 2025, Trump was sworn in")
    assert claim.attributed_to == "China Land & Resources Economy"
    assert claim.origin_class == "state_affiliated_research"
    assert chain(claim_set, claim) == [
        ("China Land & Resources Economy", "asserted"),
        ("en.cngeo.com", "mirrored"),
        ("en.cngeo.com", "translated"),
        ("claimtrail", "fetched"),
    ]


def test_article_edges_name_the_citations_authors() -> None:
    claim_set = tagged(4)
    names = {a.agent_id: a.name for a in claim_set.agents}
    article_edges = [
        (names[e.agent_id], e.role) for e in claim_set.edges if e.subject_kind == "article"
    ]
    assert ("Zuo Geng", "asserted") in article_edges
    assert ("Li Xiaojie", "asserted") in article_edges
    assert article_edges[-1] == ("claimtrail", "fetched")


def test_summarised_claim_chain_and_origin_release_url() -> None:
    claim_set = tagged(0)
    claim = claim_starting(claim_set, "China Minmetals president Zhu Kebing met Luo Qiang")
    assert claim.origin_url.startswith("http://www.minmetals.com/english/news/")
    assert chain(claim_set, claim) == [
        ("China Minmetals", "asserted"),
        ("Rare Earth Exchanges", "relayed"),
        ("claimtrail", "fetched"),
    ]
    first = next(e for e in claim_set.edges if e.subject_id == claim.claim_id)
    assert first.url == claim.origin_url


def test_the_publishers_forum_is_never_an_origin() -> None:
    claim_set = tagged(0)
    urls = {c.origin_url for c in claim_set.claims}
    assert not any(url and "forum.rareearthexchanges.com" in url for url in urls)


def test_translated_summary_adds_a_translation_step_and_quotes_keep_their_speaker() -> None:
    claim_set = tagged(1)
    claim = claim_starting(claim_set, "For CATL, Zeng underscored")
    assert chain(claim_set, claim) == [
        ("Robin Zeng", "asserted"),
        ("China Minmetals", "relayed"),
        ("Rare Earth Exchanges", "relayed"),
        ("Rare Earth Exchanges", "translated"),
        ("claimtrail", "fetched"),
    ]


def test_newsletter_analysis_chain_has_no_state_media_in_it() -> None:
    claim_set = tagged(1)
    claim = claim_starting(
        claim_set, "The meeting reinforces a broader Chinese industrial strategy"
    )
    assert chain(claim_set, claim) == [
        ("Rare Earth Exchanges", "asserted"),
        ("claimtrail", "fetched"),
    ]
    assert claim.origin_url is None


def test_roots_are_the_original_asserters() -> None:
    claim_set = tagged(1)
    names = {f"agent:{a.agent_id}": a.name for a in claim_set.agents}
    readout = claim_starting(claim_set, "According to the official readout")
    assert names[claim_set.roots[readout.claim_id]] == "China Minmetals"


def test_the_dominant_soe_from_reused_sentence_scans_is_the_one_from_a_full_scan() -> None:
    gazetteer = default_gazetteer()
    found_by_soe = 0
    for index in range(5):
        article, source = seed_article(index), seed_source(index)
        known: dict[str, list[str]] = {}
        sections = article.structure.sections
        paragraphs = [p for section in sections for p in section.paragraphs]
        for paragraph in (*article.structure.highlights, *paragraphs):
            sentences = split_sentences(paragraph)
            folds = [fold(sentence) for sentence in sentences]
            mentions = [gazetteer.find(s, lowered=f) for s, f in zip(sentences, folds, strict=True)]
            ids = gazetteer.joined_entity_ids(sentences, folds, mentions)
            if ids is not None:
                known[" ".join(sentences)] = ids
        reused = document_provenance(article, source, gazetteer, lambda known=known: known)
        assert reused == document_provenance(article, source, gazetteer)
        found_by_soe += reused.origin_class == "soe_corporate" and bool(known)
    assert found_by_soe, "some seed's releaser is its dominant SOE, read from reused scans"

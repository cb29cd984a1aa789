"""Claim typing, hedging, roles, attribution and automatic verification on the seeds."""

import pytest

from tests.claims_fixtures import article
from tests.seed_articles import REEX, seed_article, seed_source
from transforms.claims import extract_claims
from transforms.model import Claim


@pytest.fixture(scope="module")
def seeds() -> dict[int, list[Claim]]:
    return {i: list(extract_claims(seed_article(i), seed_source(i)).claims) for i in range(5)}


def find(claims: list[Claim], start: str) -> Claim:
    return next(c for c in claims if c.text.startswith(start))


def test_official_readout_is_attributed_to_the_soe_with_a_state_affiliated_origin(seeds) -> None:
    claim = find(seeds[1], "According to the official readout")
    assert claim.attributed_to == "China Minmetals"
    assert claim.origin_class == "soe_corporate"
    assert claim.verification_status == "unverified"
    assert "disclaimer says not independently verified" in claim.verification_reason


def test_disclaimer_turns_every_summarised_claim_into_soe_media(seeds) -> None:
    for claim in seeds[0]:
        if claim.section_role in ("highlights", "reported_news") and claim.claim_type == "event":
            assert claim.attributed_to == "China Minmetals", claim.text
            assert claim.origin_class == "soe_corporate", claim.text


def test_state_media_disclaimer_without_an_identifiable_soe() -> None:
    source = REEX
    art = article(
        source,
        "https://rareearthexchanges.com/news/xinhua-quota/",
        sections=(("", ("MIIT issued the 2026 rare earth mining quota on March 3.",)),),
        disclaimers=("Disclaimer: This post is based on Chinese state media reporting.",),
    )
    (claim,) = extract_claims(art, source).claims
    assert claim.origin_class == "state_media"
    assert claim.attributed_to == "Chinese state media"


def test_without_disclaimer_the_newsletter_is_the_asserter(seeds) -> None:
    claim = find(seeds[2], "The meeting, chaired by Chen Dexin")
    assert (claim.attributed_to, claim.origin_class) == ("Rare Earth Exchanges", "newsletter")


def test_newsletter_analysis_is_its_own_claim(seeds) -> None:
    relevant = [c for c in seeds[0] if c.section == "Why Relevant?"]
    assert relevant
    for claim in relevant:
        assert claim.section_role == "analysis"
        assert claim.attributed_to == "Rare Earth Exchanges"
        assert claim.origin_class == "newsletter"
        assert claim.verification_status == "not_checkable"


def test_forecast_is_hedged_and_not_checkable(seeds) -> None:
    claim = find(seeds[0], "If Minmetals scales processing")
    assert claim.claim_type == "forecast"
    assert claim.hedged and "if" in claim.hedge_cues and "potentially" in claim.hedge_cues
    assert claim.verification_status == "not_checkable"
    poised = find(seeds[2], "With this planning initiative")
    assert poised.claim_type == "forecast" and "poised to" in poised.hedge_cues


def test_quotes_resolve_pronouns_to_the_last_speaker(seeds) -> None:
    assert find(seeds[1], "He emphasized").attributed_to == "Zhu Kebing"
    assert find(seeds[1], "He pointed to").attributed_to == "Robin Zeng"
    assert find(seeds[1], "He emphasized").claim_type == "quote"


def test_profiles_and_roles(seeds) -> None:
    catl = find(seeds[1], "CATL is the world’s largest")
    assert catl.section_role == "profile"
    assert catl.section == "Contemporary Amperex Technology Co. Limited (CATL)"
    assert find(seeds[0], "Minmetals is a full-stack").section_role == "analysis"
    assert find(seeds[4], "Faced with this new situation").section_role == "highlights"


def test_recommendations_in_the_journal(seeds) -> None:
    claim = find(seeds[4], "Therefore, we should appropriately reduce")
    assert claim.claim_type == "recommendation"
    assert {"tungsten", "antimony", "rare-earths"} <= set(claim.entities)


def test_statistic_with_its_source(seeds) -> None:
    claim = find(seeds[4], "For China, the share of new energy")
    assert claim.claim_type == "statistic"
    assert claim.attributed_to == "National Bureau of Statistics"


def test_non_claims_are_not_claims(seeds) -> None:
    texts = {c.text for c in seeds[0] + seeds[2]}
    assert "On to a more critical minerals-centered topic." not in texts
    assert not any(t.startswith(("Disclaimer", "Visit the Rare Earth")) for t in texts)


def test_claim_ids_are_stable_and_unique(seeds) -> None:
    again = extract_claims(seed_article(1), seed_source(1)).claims
    assert [c.claim_id for c in again] == [c.claim_id for c in seeds[1]]
    every = [c.claim_id for claims in seeds.values() for c in claims]
    assert len(every) == len(set(every))


def test_entities_are_linked_to_claims(seeds) -> None:
    claim = find(seeds[1], "Senior executives from China Minmetals")
    assert {"china-minmetals", "catl", "ningde", "fujian"} <= set(claim.entities)

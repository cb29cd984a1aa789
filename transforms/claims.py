"""Claim extraction (placeholder: one claim per paragraph, all unverified)."""

from dataclasses import dataclass

from transforms.model import ArticleRecord, Claim, SourceProfile, stable_id


@dataclass(frozen=True)
class ClaimSet:
    """Everything the tagger found in one article."""

    claims: tuple[Claim, ...] = ()


def extract_claims(article: ArticleRecord, source: SourceProfile) -> ClaimSet:
    """Split an article into claims with provenance and verification status."""
    claims = []
    for section in article.structure.sections:
        for paragraph in section.paragraphs:
            seq = len(claims)
            claims.append(
                Claim(
                    claim_id=stable_id(article.article_id, str(seq), paragraph),
                    article_id=article.article_id,
                    seq=seq,
                    section=section.heading,
                    section_role="reported_news",
                    text=paragraph,
                    claim_type="event",
                    attributed_to=source.name,
                    origin_class=source.origin_class,
                )
            )
    return ClaimSet(claims=tuple(claims))

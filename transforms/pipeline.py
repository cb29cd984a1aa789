"""From a parsed article to warehouse records: repair, structure, claims.

Pure: the same parsed article and code always give the same records, which is what makes
`reprocess` over archived raw documents equivalent to a fresh run. Each stage's time can be
measured through `timings` so benchmarks can show the slow stage.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from transforms.claims import ClaimSet, extract_claims
from transforms.encoding import repair, repair_text
from transforms.model import ArticleRecord, ParsedArticle, SourceProfile, stable_id
from transforms.structure import structure_html


@dataclass(frozen=True)
class ProcessedArticle:
    """One article and everything the tagger derived from it."""

    article: ArticleRecord
    claim_set: ClaimSet


class StageTimer:
    """Wall time per stage, summed over many articles (for benchmarks)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start


def article_id_for(source_id: str, url: str) -> str:
    """Stable article id: the same source and canonical URL always give the same id."""
    return stable_id(source_id, url.strip())


def process_article(
    parsed: ParsedArticle, source: SourceProfile, timer: StageTimer | None = None
) -> ProcessedArticle:
    """Repair the text, keep its structure, and tag its claims."""
    timer = timer or StageTimer()
    with timer.stage("repair"):
        repaired = repair(parsed.content_html)
        title = repair_text(html.unescape(parsed.title)).strip()
    with timer.stage("structure"):
        structure = structure_html(repaired.text, base_url=parsed.url)
    body_text = structure.body_text
    article_id = article_id_for(parsed.source_id, parsed.url)
    version_id = stable_id(
        title,
        body_text,
        "\n".join(structure.highlights),
        "\n".join(structure.disclaimers),
        "\n".join(f"{key}={value}" for key, value in sorted(structure.header.items())),
    )
    article = ArticleRecord(
        article_id=article_id,
        version_id=version_id,
        source_id=parsed.source_id,
        url=parsed.url,
        title=title,
        published_at=parsed.published_at,
        modified_at=parsed.modified_at,
        language=parsed.language,
        body_text=body_text,
        structure=structure,
        raw_id=parsed.raw_id,
        extraction_method=parsed.extraction_method,
        external_id=parsed.external_id,
        author=parsed.author,
        repairs=repaired.changes,
    )
    with timer.stage("claims"):
        claim_set = extract_claims(article, source)
    return ProcessedArticle(article=article, claim_set=claim_set)

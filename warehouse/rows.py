"""Transformed articles as Arrow tables: the shape the warehouse loads, built where they were made.

The transforms run on worker processes (flows/transform_pool.py). Sent back as dataclasses, an
article pickles to ~30 KB of small objects (every claim, edge, section and tagged sentence) and
the loading process spent longer unpickling it than loading it; as Arrow tables the same rows
cross the process boundary as a few flat buffers, and the loader only runs SQL over them.

Every table carries `item`, the article's position in its batch, so the loader can keep the
last version read of each article and the rows derived from it with one filter, whatever
process built which part. Columns the run adds (run id, code version, load time) are not here:
the loader adds them in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

import pyarrow as pa
import pyarrow.compute as pc

from transforms.model import ArticleRecord, Claim
from transforms.pipeline import ProcessedArticle

_TS = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())
_ITEM = pa.field("item", pa.int32())

ARTICLES = pa.schema(
    [
        _ITEM,
        ("article_id", pa.string()),
        ("version_id", pa.string()),
        ("source_id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TS),
        ("modified_at", _TS),
        ("language", pa.string()),
        ("body_text", pa.string()),
        ("highlights", _STRINGS),
        ("disclaimers", _STRINGS),
        ("sections", pa.string()),
        ("links", pa.string()),
        ("header", pa.string()),
        ("debris", _STRINGS),
        ("removed", pa.string()),
        ("external_id", pa.string()),
        ("author", pa.string()),
        ("extraction_method", pa.string()),
        ("raw_id", pa.string()),
    ]
)
REPAIRS = pa.schema(
    [
        _ITEM,
        ("article_id", pa.string()),
        ("version_id", pa.string()),
        ("seq", pa.int32()),
        ("offset", pa.int32()),
        ("before", pa.string()),
        ("after", pa.string()),
        ("rule", pa.string()),
        ("confidence", pa.float64()),
    ]
)
CLAIMS = pa.schema(
    [
        _ITEM,
        ("claim_id", pa.string()),
        ("article_id", pa.string()),
        ("version_id", pa.string()),
        ("seq", pa.int32()),
        ("section", pa.string()),
        ("section_role", pa.string()),
        ("text", pa.string()),
        ("claim_type", pa.string()),
        ("hedged", pa.bool_()),
        ("hedge_cues", _STRINGS),
        ("attributed_to", pa.string()),
        ("origin_url", pa.string()),
        ("origin_class", pa.string()),
        ("verification_status", pa.string()),
        ("verification_reason", pa.string()),
        ("entities", _STRINGS),
    ]
)
AGENTS = pa.schema(
    [
        _ITEM,
        ("agent_id", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("origin_class", pa.string()),
        ("entity_id", pa.string()),
    ]
)
EDGES = pa.schema(
    [
        _ITEM,
        ("subject_id", pa.string()),
        ("subject_kind", pa.string()),
        ("agent_id", pa.string()),
        ("role", pa.string()),
        ("position", pa.int32()),
        ("url", pa.string()),
    ]
)
CLAIM_ENTITIES = pa.schema([_ITEM, ("claim_id", pa.string()), ("entity_id", pa.string())])
ROOTS = pa.schema([_ITEM, ("claim_id", pa.string()), ("root", pa.string())])


def _json(values: Iterable[object]) -> list[str]:
    """JSON text of flat records (`vars()` of a structure dataclass serialises as `asdict()`
    would, at a fraction of its deep-copying cost)."""
    return [json.dumps(v, ensure_ascii=False) for v in values]


def _table(schema: pa.Schema, rows: Sequence[tuple[object, ...]]) -> pa.Table:
    """A table from row tuples in the schema's column order."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.Table.from_arrays(
        [pa.array(col, f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
    )


def _article_row(item: int, a: ArticleRecord) -> tuple[object, ...]:
    structure = a.structure
    return (
        item,
        a.article_id,
        a.version_id,
        a.source_id,
        a.url,
        a.title,
        a.published_at,
        a.modified_at,
        a.language,
        a.body_text,
        structure.highlights,
        structure.disclaimers,
        *_json(
            (
                [vars(s) for s in structure.sections],
                [vars(link) for link in structure.links],
                structure.header,
            )
        ),
        structure.debris,
        *_json([[vars(r) for r in structure.removed]]),
        a.external_id,
        a.author,
        a.extraction_method,
        a.raw_id,
    )


def _claim_row(item: int, version_id: str, c: Claim) -> tuple[object, ...]:
    return (
        item,
        c.claim_id,
        c.article_id,
        version_id,
        c.seq,
        c.section,
        c.section_role,
        c.text,
        c.claim_type,
        c.hedged,
        c.hedge_cues,
        c.attributed_to,
        c.origin_url,
        c.origin_class,
        c.verification_status,
        c.verification_reason,
        c.entities,
    )


@dataclass(frozen=True)
class TaggedRows:
    """The warehouse rows of some transformed articles, one Arrow table per target table."""

    articles: pa.Table
    repairs: pa.Table
    claims: pa.Table
    agents: pa.Table
    edges: pa.Table
    claim_entities: pa.Table
    roots: pa.Table

    def __len__(self) -> int:
        return self.articles.num_rows

    @classmethod
    def build(cls, items: Sequence[tuple[int, ProcessedArticle]]) -> TaggedRows:
        """The rows of `(item, processed article)` pairs."""
        arts = [(i, p.article) for i, p in items]
        sets = [(i, p.article.version_id, p.claim_set) for i, p in items]
        return cls(
            articles=_table(ARTICLES, [_article_row(i, a) for i, a in arts]),
            repairs=_table(
                REPAIRS,
                [
                    (
                        i,
                        a.article_id,
                        a.version_id,
                        seq,
                        r.offset,
                        r.before,
                        r.after,
                        r.rule,
                        r.confidence,
                    )
                    for i, a in arts
                    for seq, r in enumerate(a.repairs)
                ],
            ),
            claims=_table(CLAIMS, [_claim_row(i, v, c) for i, v, cs in sets for c in cs.claims]),
            agents=_table(
                AGENTS,
                [
                    (i, a.agent_id, a.name, a.kind, a.origin_class, a.entity_id)
                    for i, _, cs in sets
                    for a in cs.agents
                ],
            ),
            edges=_table(
                EDGES,
                [
                    (i, e.subject_id, e.subject_kind, e.agent_id, e.role, e.position, e.url)
                    for i, _, cs in sets
                    for e in cs.edges
                ],
            ),
            claim_entities=_table(
                CLAIM_ENTITIES,
                [(i, x.claim_id, x.entity_id) for i, _, cs in sets for x in cs.claim_entities],
            ),
            roots=_table(
                ROOTS, [(i, claim, root) for i, _, cs in sets for claim, root in cs.roots.items()]
            ),
        )

    @classmethod
    def concat(cls, parts: Sequence[TaggedRows]) -> TaggedRows:
        """One set of tables from several (e.g. the chunks of a batch from several workers)."""
        if not parts:
            return cls.build([])
        return cls(
            **{f.name: pa.concat_tables([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )

    def only(self, items: Iterable[int]) -> TaggedRows:
        """The rows of the given items only (these very tables when that is all of them)."""
        wanted = set(items)
        if wanted.issuperset(self.articles["item"].to_pylist()):
            return self
        keep = pa.array(sorted(wanted), pa.int32())
        return TaggedRows(
            **{
                f.name: getattr(self, f.name).filter(
                    pc.is_in(getattr(self, f.name)["item"], value_set=keep)
                )
                for f in fields(self)
            }
        )

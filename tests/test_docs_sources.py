"""docs/sources.md lists exactly the registry (regenerate: python -m extractors.catalog)."""

from __future__ import annotations

from pathlib import Path

from extractors.catalog import render
from extractors.registry import load_sources

REPO = Path(__file__).resolve().parent.parent


def test_sources_doc_matches_the_registry() -> None:
    expected = render(load_sources(REPO / "sources.toml"))
    actual = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    assert actual == expected, "run: uv run python -m extractors.catalog docs/sources.md"


def test_every_source_has_a_section() -> None:
    text = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    for source in load_sources(REPO / "sources.toml"):
        assert f"\n## {source.id}\n" in text

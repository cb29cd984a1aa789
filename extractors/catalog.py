"""docs/sources.md, generated from the source registry so the two cannot drift.

`tests/test_docs_sources.py` fails when the committed file differs from what this renders.
Regenerate after editing sources.toml:

    uv run python -m extractors.catalog docs/sources.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from extractors.registry import SourceConfig, load_sources

HEADER = """\
# Sources

Generated from `sources.toml` by `uv run python -m extractors.catalog docs/sources.md`; do not
edit by hand (a test compares the two). How to add one: [adding-a-source.md](adding-a-source.md).

**verified** says whether the kind's options (listing URL, link pattern, selectors, feed URL)
were checked against the live site. We have no live access: only standards (WordPress' REST
API and `/feed/`) count as verified; everything site-specific is inferred from stored copies of
the sites and stays unverified until `claimtrail canary` passes against the live site.
Disabled sources run only when named (`--source ID`), e.g. for a backfill.
"""


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render(sources: list[SourceConfig]) -> str:
    """The whole Markdown page: a summary table, then one section per source."""
    lines = [
        HEADER,
        "| id | name | kind | origin class | language | country | enabled | verified |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in sources:
        cells = (s.id, s.name, s.kind, s.origin_class, s.language, s.country)
        flags = ("yes" if s.enabled else "no", "yes" if s.verified else "**no**")
        lines.append("| " + " | ".join(_cell(c) for c in (*cells, *flags)) + " |")
    for s in sources:
        lines += [
            "",
            f"## {s.id}",
            "",
            f"- **{_cell(s.name)}**, {s.kind}, <{s.base_url}>",
            f"- owner: {_cell(s.owner) or 'unknown'}; origin class `{s.origin_class}`",
            f"- allowed domains: {', '.join(f'`{d}`' for d in s.allowed_domains)}; "
            f"at most one request per {s.rate_limit:g} s per host",
        ]
        if s.options:
            options = ", ".join(f"`{k}`" for k in sorted(s.options))
            lines.append(f"- options: {options}")
        if s.notes:
            lines.append(f"- notes: {_cell(s.notes)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path("docs/sources.md")
    config = Path(argv[2]) if len(argv) > 2 else None
    target.write_text(render(load_sources(config)), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

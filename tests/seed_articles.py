"""The five seed texts as `ArticleRecord`s, for the claim tagger's gold evaluation and tests.

The seeds are plain-text copies (samples/seeds/*.txt), so this builds their `StructuredText`
with a small plain-text reader of its own: the structure stage proper works on HTML and may
change, and the gold labels must not move when it does. Plain text carries no URLs, so the
links of seeds 000 and 001 are ILLUSTRATIVE fixtures (marked as such): a minmetals.com release
page behind "report (opens in a new tab)" / "China Minmetals Corporation (opens in a new tab)",
and the publisher's forum, which must never count as an origin.
"""

from __future__ import annotations

import re
from pathlib import Path

from transforms.encoding import repair_text
from transforms.model import ArticleRecord, Link, Section, SourceProfile, StructuredText, stable_id

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"

REEX = SourceProfile(
    source_id="rareearthexchanges",
    name="Rare Earth Exchanges",
    origin_class="newsletter",
    owner="private US newsletter",
    country="US",
)
CNGEO = SourceProfile(
    source_id="cngeo",
    name="en.cngeo.com",
    origin_class="state_affiliated_research",
    owner="unidentified",
    country="CN",
)

_ILLUSTRATIVE_LINKS: dict[int, tuple[Link, ...]] = {
    0: (
        Link(
            "http://www.minmetals.com/english/news/minmetalsnews/202511/t20251118_1.html",
            "report (opens in a new tab)",
        ),
        Link("https://forum.rareearthexchanges.com/threads/1234/", "Join the full discussion"),
    ),
    1: (
        Link(
            "http://www.minmetals.com/english/news/minmetalsnews/202602/t20260202_2.html",
            "China Minmetals Corporation (opens in a new tab)",
        ),
        Link("https://www.catl.com/en/", "Contemporary Amperex Technology Co. Limited (CATL)"),
    ),
}

_FOOTER = re.compile(
    r"^(?:©|\d+ Comments?$|No replies yet|Loading new replies|Moderator$|Join the full discussion|"
    r"Leave a Reply|Spread the word|Sure, here is|Table of Contents$|CONTENTS$)"
)
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")
_TABLE_ROW = re.compile(r"^(?P<head>[^|]{1,60}) \| (?P<body>.+?)\s*\|\s*$")


def _is_heading(line: str) -> bool:
    words = len(line.split())
    if _NUMBERED.match(line):
        return words < 40
    return words <= 14 and not line.endswith((".", ".”", '."', ":", "…"))


def parse_seed_text(text: str) -> tuple[str, StructuredText]:
    """(title, structure) of a seed text: Highlights bullets, sections, disclaimers, the CMS
    header of the cngeo mirror (release time, source, guide, citation), footers removed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = ""
    header: dict[str, str] = {}
    if len(lines) > 1 and lines[1] == "Release time:":
        title = lines.pop(0)
    highlights: list[str] = []
    disclaimers: list[str] = []
    sections: list[tuple[str, list[str]]] = [("", [])]
    in_toc = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        labels = {
            "Release time:": "release_time",
            "Source:": "source",
            "Guide to Reading": "guide",
            "Information cited in this article": "citation",
        }
        if line in labels and i < len(lines):
            header[labels[line]] = lines[i]
            i += 1
            continue
        if line in ("Table of Contents", "CONTENTS"):
            in_toc = bool(header)
            continue
        if (in_toc and _NUMBERED.match(line)) or (in_toc and re.match(r"^\d\s", line)):
            continue
        in_toc = False
        if _FOOTER.match(line):
            continue
        if line == "Highlights":
            while i < len(lines) and lines[i].startswith("- "):
                highlights.append(lines[i][2:].strip())
                i += 1
            continue
        if line.startswith("Disclaimer:"):
            disclaimers.append(line)
            continue
        row = _TABLE_ROW.match(line)
        if row:
            sections[-1][1].append(f"{row.group('head').strip()}: {row.group('body').strip()}")
        elif _is_heading(line):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    structure = StructuredText(
        highlights=tuple(highlights),
        sections=tuple(Section(h, tuple(p)) for h, p in sections if h or p),
        disclaimers=tuple(disclaimers),
        header=header,
    )
    return title, structure


def seed_path(index: int) -> Path:
    return next(SEEDS.glob(f"{index:03d}_*.txt"))


def seed_source(index: int) -> SourceProfile:
    return CNGEO if index == 4 else REEX


def seed_article(index: int) -> ArticleRecord:
    """Seed `index` (0-4) as an ArticleRecord, text repaired by the repair stage."""
    path = seed_path(index)
    text = repair_text(path.read_text(encoding="utf-8"))
    title, structure = parse_seed_text(text)
    if index in _ILLUSTRATIVE_LINKS:
        structure = StructuredText(
            highlights=structure.highlights,
            sections=structure.sections,
            disclaimers=structure.disclaimers,
            links=_ILLUSTRATIVE_LINKS[index],
            header=structure.header,
        )
    source = seed_source(index)
    url = (
        f"http://en.cngeo.com/Blog_Details/{path.stem.split('_')[1]}.html"
        if index == 4
        else f"https://rareearthexchanges.com/news/seed-{index:03d}/"
    )
    return ArticleRecord(
        article_id=stable_id(source.source_id, url),
        version_id=stable_id(text),
        source_id=source.source_id,
        url=url,
        title=title,
        published_at=None,
        modified_at=None,
        language="en",
        body_text=structure.body_text,
        structure=structure,
        raw_id=stable_id("seed", path.name),
        extraction_method="seed-text",
    )

"""A realistic archive of N articles, built from the seed shapes, for benchmarks and fault tests.

The recorded sample (samples/sites.warc.gz) holds five documents: far too few to show how the
pipeline scales. This generator renders many more with the sample builder's own renderers
(scripts/build_samples.py), so the pages have exactly the shapes the extractors meet there:

- WordPress REST API pages of 100 posts (`X-WP-Total`, `X-WP-TotalPages`, oldest change first),
  plus the empty answer a daily run gets once the cursor has caught up;
- posts whose bodies recombine the seeds' paragraphs (a varied number of them, so lengths vary),
  with the companies, provinces and partners swapped for others and dates spread over years;
- a share of posts in the broken encoding of seed 003 (Thai-decoded UTF-8 punctuation);
- a share of translated-mirror pages in the shape of seed 004 (a `pages` source);
- the HTML page of a sample of posts (for the trafilatura comparison; the API makes them
  unnecessary to the crawl, and the replay transport keeps every body in memory).

Deterministic: the same `n` and `seed` give the same bytes. It also writes the source registry
that points the extractors at the generated hosts.

Usage: uv run python -m benchmarks.generate --n 10000 --out /tmp/bench
"""

from __future__ import annotations

import argparse
import io
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scripts import build_samples as samples

WP_BASE = "https://reex.bench.invalid"
MIRROR_BASE = "http://mirror.bench.invalid"
WP_SOURCE = "bench-wordpress"
MIRROR_SOURCE = "bench-mirror"
PER_PAGE = 100
MOJIBAKE_SEED = "003_7bb33853570bb538.txt"
FIRST_DAY = datetime(2019, 1, 1, tzinfo=UTC)
LAST_DAY = datetime(2026, 2, 1, tzinfo=UTC)

SWAPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "China Minmetals",
        (
            "China Minmetals",
            "China Northern Rare Earth",
            "China Rare Earth Group",
            "Shenghe Resources",
            "Xiamen Tungsten",
            "Zijin Mining",
            "Jiangxi Copper",
        ),
    ),
    ("Guizhou", ("Guizhou", "Jiangxi", "Inner Mongolia", "Sichuan", "Yunnan", "Guangxi")),
    ("CATL", ("CATL", "BYD", "Gotion", "EVE Energy", "CALB")),
    (
        "University of Science and Technology Beijing",
        (
            "University of Science and Technology Beijing",
            "Central South University",
            "Northeastern University",
            "Jiangxi University of Science and Technology",
        ),
    ),
)
"""Entity names the seeds use, and what a generated post may say instead."""


@dataclass(frozen=True)
class GeneratedArchive:
    """What `generate` wrote and how many articles a full crawl should find."""

    warc: Path
    config: Path
    wordpress_posts: int
    mirror_pages: int
    html_pages: tuple[str, ...]
    final_cursor: str

    @property
    def articles(self) -> int:
        return self.wordpress_posts + self.mirror_pages


@dataclass(frozen=True)
class _PostPlan:
    """A post's identity and dates, decided before any text so pages can be sorted first."""

    index: int
    post_id: int
    template: int
    date: datetime
    modified: datetime


def _swap(text: str, choice: dict[str, str]) -> str:
    for old, new in choice.items():
        if old != new:
            text = text.replace(old, new)
    return text


def _is_paragraph(line: str, template: dict) -> bool:
    headings = set(template["headings"]) | set(template["subheadings"])
    return bool(
        line.strip()
        and line not in headings
        and not line.startswith("- ")
        and not line.endswith(" |")
        and line != "Table of Contents"
    )


class Generator:
    """Renders posts and mirror pages from the seeds; every choice comes from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.config = tomllib.loads(samples.CONFIG.read_text(encoding="utf-8"))
        self.site = dict(self.config["site"], base=WP_BASE)
        self.templates: list[dict] = self.config["post"]
        self.bodies = [self._body_lines(t) for t in self.templates]
        self.clean_pool = [
            line
            for t, lines in zip(self.templates, self.bodies, strict=True)
            if t["seed"] != MOJIBAKE_SEED
            for line in lines
            if _is_paragraph(line, t)
        ]
        self.mirror_lines = samples.read_seed(self.config["cngeo"]["seed"])
        every_link = {link["anchor"]: link for t in self.templates for link in t["links"]}
        self.links = list(every_link.values())

    @staticmethod
    def _body_lines(template: dict) -> list[str]:
        lines = samples.read_seed(template["seed"])
        return lines[: -template["page_only_lines"]]

    def _rng(self, *key: object) -> random.Random:
        return random.Random(f"{self.seed}:" + ":".join(map(str, key)))

    def plan(self, n: int, mojibake_share: float) -> list[_PostPlan]:
        rng = self._rng("plan", n)
        clean = [i for i, t in enumerate(self.templates) if t["seed"] != MOJIBAKE_SEED]
        broken = [i for i, t in enumerate(self.templates) if t["seed"] == MOJIBAKE_SEED]
        span = int((LAST_DAY - FIRST_DAY).total_seconds())
        plans = []
        for index in range(n):
            template = rng.choice(broken if rng.random() < mojibake_share else clean)
            date = FIRST_DAY + timedelta(seconds=rng.randrange(span))
            modified = date + timedelta(seconds=rng.choice((60, 600, 3600, 86400 * 3)))
            plans.append(_PostPlan(index, 100_000 + index, template, date, modified))
        return sorted(plans, key=lambda p: (p.modified, p.post_id))

    def post(self, plan: _PostPlan) -> tuple[dict, str]:
        """The post's settings (in sample_posts.toml's shape) and its rendered content."""
        rng = self._rng("post", plan.index)
        template = self.templates[plan.template]
        choice = {old: rng.choice(options) for old, options in SWAPS}
        own = [line for line in self.bodies[plan.template] if _is_paragraph(line, template)]
        pool = own if template["seed"] == MOJIBAKE_SEED else self.clean_pool
        lines: list[str] = []
        for line in self.bodies[plan.template]:
            if not _is_paragraph(line, template):
                lines.append(line)
                continue
            lines.extend(rng.choice(pool) for _ in range(rng.choice((0, 1, 1, 2, 3))))
        lines = [_swap(line, choice) for line in lines]
        links = [dict(link, anchor=_swap(link["anchor"], choice)) for link in self.links]
        lines, links = _place_links_once(lines, links)
        title = _swap(template["title"], choice)
        local = timedelta(hours=self.site["utc_offset_hours"])
        post = dict(
            template,
            id=plan.post_id,
            title=title,
            slug=f"{samples.anchor_id(title)[:60].rstrip('-')}-{plan.post_id}",
            date=(plan.date + local).strftime("%Y-%m-%dT%H:%M:%S"),
            modified=(plan.modified + local).strftime("%Y-%m-%dT%H:%M:%S"),
            featured_media=plan.post_id + 1,
            headings=[_swap(h, choice) for h in template["headings"]],
            subheadings=[_swap(h, choice) for h in template["subheadings"]],
            links=links,
        )
        return post, samples.render_content(post, lines)

    def mirror_page(self, index: int) -> samples.Exchange:
        """A translated-mirror article in seed 004's layout, with a varied body and date."""
        rng = self._rng("mirror", index)
        lines = list(self.mirror_lines)
        lines[0] = f"{lines[0]} ({index + 1})"
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        lines[2] = day.strftime("%Y-%m-%d")
        head, body = lines[:11], lines[11:]
        paragraphs = [line for line in body if len(line) >= samples.HEADING_MAX]
        chosen = set(rng.sample(paragraphs, rng.randrange(6, 20)))
        kept = [line for line in body if len(line) < samples.HEADING_MAX or line in chosen]
        return samples.cngeo_page({"url": mirror_url(index)}, head + kept)


def mirror_url(index: int) -> str:
    return f"{MIRROR_BASE}/Blog_Details/{2_000_000_000_000_000_000 + index}.html"


def _place_links_once(lines: list[str], links: list[dict]) -> tuple[list[str], list[dict]]:
    """Link each anchor at its first occurrence only; unlinked markers become plain text.

    Recombined paragraphs can repeat a sentence that carried a link, or bring one from another
    seed; the renderer (like the block editor) links an anchor once.
    """
    kept = []
    for link in links:
        needle = f"{link['anchor']} {samples.NEW_TAB}"
        first = True
        for i, line in enumerate(lines):
            while needle in line:
                if first:
                    kept.append(link)
                    head, _, tail = line.partition(needle)
                    line = head + link["anchor"] + "\x00" + tail
                    first = False
                else:
                    line = line.replace(needle, link["anchor"], 1)
            lines[i] = line
    marker = f" {samples.NEW_TAB}"
    placed = [line.replace(marker, "").replace("\x00", marker) for line in lines]
    return placed, kept


def _exchanges(
    gen: Generator,
    plans: list[_PostPlan],
    mirrors: int,
    html_sample: int,
    html_urls: list[str],
    cursor_out: list[str],
    backfill: tuple[datetime, datetime] | None,
) -> Iterator[samples.Exchange]:
    """Every exchange of the archive, rendered page by page (never all posts in memory)."""
    site = gen.site
    yield samples.robots(f"{WP_BASE}/robots.txt", samples.WP_ROBOTS, "nginx")
    cursor = ""
    for page, objects in _pages(gen, plans):
        for plan in plans[(page - 1) * PER_PAGE : page * PER_PAGE]:
            if plan.index < html_sample:
                post, content = gen.post(plan)
                exchange = samples.post_page(site, post, content, site["footer"])
                html_urls.append(exchange.url)
                yield exchange
        cursor = max(cursor, objects[-1]["modified_gmt"]) if objects else cursor
        yield _as_page(site, objects, page, len(plans), {})
    cursor_out.append(cursor)
    if backfill is not None:
        since, until = backfill
        window = {
            k: v.strftime("%Y-%m-%dT%H:%M:%S") for k, v in (("after", since), ("before", until))
        }
        inside = [p for p in plans if since <= p.date < until]
        for page, objects in _pages(gen, inside):
            yield _as_page(site, objects, page, len(inside), window)
    yield samples.api_exchange(site, [], 1, PER_PAGE, modified_after=cursor)
    yield samples.robots(f"{MIRROR_BASE}/robots.txt", samples.CNGEO_ROBOTS, "Microsoft-IIS/10.0")
    for index in range(mirrors):
        yield gen.mirror_page(index)


def _pages(gen: Generator, plans: list[_PostPlan]) -> Iterator[tuple[int, list[dict]]]:
    """The API's pages over `plans` (already in modified order): page number, post objects."""
    pages = max(1, -(-len(plans) // PER_PAGE))
    for page in range(1, pages + 1):
        chunk = plans[(page - 1) * PER_PAGE : page * PER_PAGE]
        yield page, [samples.post_object(gen.site, *gen.post(plan)) for plan in chunk]


def _as_page(
    site: dict, objects: list[dict], page: int, total: int, window: dict[str, str]
) -> samples.Exchange:
    """Page `page` of the posts endpoint holding `objects`, with the totals of the whole answer.

    `api_exchange` slices a full post list; rendering only one page's posts at a time keeps
    memory flat, so the URL and the paging headers are set here instead.
    """
    exchange = samples.api_exchange(site, objects, 1, PER_PAGE, **window)
    pages = max(1, -(-total // PER_PAGE))
    url = samples.api_url(site["base"], page=page, per_page=PER_PAGE, **window)
    totals = {"x-wp-total": str(total), "x-wp-totalpages": str(pages)}
    headers = [(k, totals.get(k.lower(), v)) for k, v in exchange.headers]
    headers = [(k, v) for k, v in headers if k.lower() != "link"]
    return samples.Exchange(url, "wp_api", exchange.body, headers, note={"page": str(page)})


def registry_toml(mirrors: int) -> str:
    """The source registry for a generated archive: one WordPress site, one mirror."""
    urls = ",\n  ".join(f'"{mirror_url(i)}"' for i in range(mirrors))
    return f"""# Sources of a generated benchmark archive (benchmarks/generate.py).

[[source]]
id = "{WP_SOURCE}"
name = "Generated WordPress newsletter"
kind = "wordpress"
base_url = "{WP_BASE}"
origin_class = "newsletter"
allowed_domains = ["reex.bench.invalid"]
rate_limit = 0.0

[source.options]
per_page = {PER_PAGE}

[[source]]
id = "{MIRROR_SOURCE}"
name = "Generated translated mirror"
kind = "pages"
base_url = "{MIRROR_BASE}"
origin_class = "state_affiliated_research"
allowed_domains = ["mirror.bench.invalid"]
rate_limit = 0.0

[source.options]
title_selector = "h1"
body_selector = ".blog_details"
date_selector = ".blog_details_info .info_item .value"
urls = [
  {urls}
]
"""


def generate(
    out_dir: Path,
    n: int = 10_000,
    *,
    seed: int = 7,
    mirror_share: float = 0.05,
    mojibake_share: float = 0.1,
    html_sample: int = 300,
    backfill: tuple[datetime, datetime] | None = None,
) -> GeneratedArchive:
    """Write `archive.warc.gz` and `sources.toml` for `n` articles into `out_dir`.

    `backfill` (since, until) adds the API pages a backfill of that range asks for
    (`after`/`before`), so a windowed backfill replays too.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    mirrors = round(n * mirror_share)
    gen = Generator(seed)
    plans = gen.plan(n - mirrors, mojibake_share)
    html_urls: list[str] = []
    cursor: list[str] = []
    warc = out_dir / "archive.warc.gz"
    buffer = io.BufferedWriter(io.FileIO(warc, "w"), buffer_size=1 << 20)
    with buffer:
        samples.write_warc(
            _exchanges(gen, plans, mirrors, html_sample, html_urls, cursor, backfill), buffer
        )
    config = out_dir / "sources.toml"
    config.write_text(registry_toml(mirrors), encoding="utf-8")
    return GeneratedArchive(warc, config, len(plans), mirrors, tuple(html_urls), cursor[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles in the archive")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    archive = generate(args.out, args.n, seed=args.seed)
    size = archive.warc.stat().st_size / 2**20
    print(
        f"{archive.warc} ({size:.1f} MiB): {archive.wordpress_posts} posts, "
        f"{archive.mirror_pages} mirror pages; registry {archive.config}"
    )


if __name__ == "__main__":
    main()

"""The source registry: `sources.toml`, validated when it is loaded.

Adding a source of an existing kind is one `[[source]]` entry. Everything that can be checked
without the network is checked here, so a typo fails at load time with the entry named, not
halfway through a run.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractors.base import extractor_for
from transforms.model import SourceProfile

DEFAULT_CONFIG = Path("sources.toml")

ORIGIN_CLASSES = frozenset(
    {
        "official_primary",
        "soe_corporate",
        "state_media",
        "state_affiliated_research",
        "newsletter",
        "independent_news",
        "price_agency",
    }
)

_COMMON_KEYS = frozenset(
    {
        "id",
        "name",
        "kind",
        "base_url",
        "language",
        "country",
        "owner",
        "origin_class",
        "allowed_domains",
        "rate_limit",
        "recheck_days",
        "enabled",
        "verified",
        "allow_private_network",
        "notes",
        "options",
    }
)


class SourceConfigError(ValueError):
    """`sources.toml` is wrong; the message names the entry and the problem."""


@dataclass(frozen=True)
class SourceConfig:
    """One source: who it is, how to read it, and how politely."""

    id: str
    name: str
    kind: str
    base_url: str
    origin_class: str
    language: str = "en"
    country: str = ""
    owner: str = ""
    allowed_domains: tuple[str, ...] = ()
    rate_limit: float = 1.0
    """Seconds between two requests to the same host (robots.txt Crawl-delay may raise it)."""
    recheck_days: float | None = None
    """Article pages already stored are asked for again, conditionally, once this many days
    have passed since they were last fetched. None: never (changes come through indexes that
    carry modification dates, e.g. the WordPress API, or through `reprocess`). Meant for fixed
    page lists and mirrors that edit pages in place without saying so."""
    enabled: bool = True
    verified: bool = False
    """Whether the kind options (selectors, feed URL) were checked against the live site."""
    allow_private_network: bool = False
    notes: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def profile(self) -> SourceProfile:
        return SourceProfile(
            source_id=self.id,
            name=self.name,
            origin_class=self.origin_class,
            owner=self.owner,
            country=self.country,
            language=self.language,
        )

    def allows(self, url: str) -> bool:
        """Whether `url` is on one of the source's domains (or a subdomain of one)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def default_config_path() -> Path:
    """`CLAIMTRAIL_CONFIG` if set, else `sources.toml` in the working directory."""
    return Path(os.environ.get("CLAIMTRAIL_CONFIG", DEFAULT_CONFIG))


def _source_from_entry(entry: dict[str, Any], position: int) -> SourceConfig:
    label = f"source #{position} ({entry.get('id', 'no id')})"
    missing = [k for k in ("id", "name", "kind", "base_url", "origin_class") if not entry.get(k)]
    if missing:
        raise SourceConfigError(f"{label}: missing {', '.join(missing)}")
    unknown = sorted(set(entry) - _COMMON_KEYS)
    if unknown:
        raise SourceConfigError(
            f"{label}: unknown keys {', '.join(unknown)} (kind-specific settings go in [options])"
        )
    if entry["origin_class"] not in ORIGIN_CLASSES:
        raise SourceConfigError(
            f"{label}: origin_class {entry['origin_class']!r} is not one of "
            f"{', '.join(sorted(ORIGIN_CLASSES))}"
        )
    try:
        extractor_for(entry["kind"])
    except ValueError as exc:
        raise SourceConfigError(f"{label}: {exc}") from None
    domains = entry.get("allowed_domains") or [urlsplit(entry["base_url"]).hostname or ""]
    recheck = entry.get("recheck_days")
    if recheck is not None and (
        isinstance(recheck, bool) or not isinstance(recheck, int | float) or recheck < 0
    ):
        raise SourceConfigError(f"{label}: recheck_days must be a number of days >= 0")
    return SourceConfig(
        id=entry["id"],
        name=entry["name"],
        kind=entry["kind"],
        base_url=entry["base_url"].rstrip("/"),
        origin_class=entry["origin_class"],
        language=entry.get("language", "en"),
        country=entry.get("country", ""),
        owner=entry.get("owner", ""),
        allowed_domains=tuple(d.lower() for d in domains),
        rate_limit=float(entry.get("rate_limit", 1.0)),
        recheck_days=None if recheck is None else float(recheck),
        enabled=bool(entry.get("enabled", True)),
        verified=bool(entry.get("verified", False)),
        allow_private_network=bool(entry.get("allow_private_network", False)),
        notes=entry.get("notes", ""),
        options=dict(entry.get("options", {})),
    )


def parse_sources(text: str, *, origin: str = "sources.toml") -> list[SourceConfig]:
    """Validate and build the sources of a TOML document."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{origin}: not valid TOML: {exc}") from None
    entries = document.get("source", [])
    if not isinstance(entries, list):
        raise SourceConfigError(f"{origin}: sources must be [[source]] tables")
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        source = _source_from_entry(entry, position)
        if source.id in seen:
            raise SourceConfigError(f"{origin}: duplicate source id {source.id!r}")
        seen.add(source.id)
        sources.append(source)
    return sources


def load_sources(path: Path | str | None = None) -> list[SourceConfig]:
    """Read and validate `sources.toml` (or `path`)."""
    config_path = Path(path) if path is not None else default_config_path()
    if not config_path.exists():
        raise SourceConfigError(f"no source registry at {config_path}")
    return parse_sources(config_path.read_text(encoding="utf-8"), origin=str(config_path))


def select_sources(sources: list[SourceConfig], ids: list[str] | None = None) -> list[SourceConfig]:
    """The enabled sources, or exactly those named (an unknown id is an error)."""
    if not ids:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise SourceConfigError(
            f"unknown source id(s): {', '.join(unknown)}; known: {', '.join(sorted(by_id))}"
        )
    return [by_id[i] for i in ids]

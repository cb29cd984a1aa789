"""The small protocol every source kind implements, and the registry of kinds.

A kind is one module in `extractors/` that exposes `extractor`, an object with a `kind` name,
`start()` (the first requests of a run) and `parse()` (read one fetched document: articles,
further requests, problems). Fetching, politeness, archiving and loading are shared and live
elsewhere, so a kind is only about reading a site's shape. `parse()` must be pure: `reprocess`
calls it again on archived documents with no network.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from transforms.model import FetchRequest, ParseResult, RawDocument

if TYPE_CHECKING:
    from extractors.registry import SourceConfig


@dataclass(frozen=True)
class Window:
    """What a run asks of a source: daily runs resume from a cursor, backfills take a range.

    A backfill range is half-open, [since, until), and never moves the daily cursor.
    """

    cursor: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def is_backfill(self) -> bool:
        return self.since is not None or self.until is not None

    def as_meta(self) -> dict[str, str]:
        """The window as request meta: it travels with the request so a pure `parse` sees it."""
        meta = {
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "cursor": self.cursor or "",
        }
        return {k: v for k, v in meta.items() if v}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> Window:
        def when(key: str) -> datetime | None:
            return datetime.fromisoformat(meta[key]) if meta.get(key) else None

        return cls(cursor=meta.get("cursor") or None, since=when("since"), until=when("until"))

    def contains(self, when: datetime | None) -> bool:
        """Whether a publication time falls in the range (unknown times are kept)."""
        if when is None:
            return True
        if self.since is not None and when < self.since:
            return False
        return not (self.until is not None and when >= self.until)


@runtime_checkable
class Extractor(Protocol):
    """One source kind."""

    kind: str

    def start(self, source: SourceConfig, window: Window) -> list[FetchRequest]:
        """The first requests of a run for this source."""
        ...

    def parse(self, source: SourceConfig, raw: RawDocument) -> ParseResult:
        """Read one archived response. Pure: no network, no database."""
        ...


class UnknownKind(ValueError):
    """A source names a kind that no module in `extractors/` provides."""


@cache
def kinds() -> dict[str, Extractor]:
    """Every extractor kind, discovered from the modules of this package."""
    import extractors

    found: dict[str, Extractor] = {}
    for module_info in pkgutil.iter_modules(extractors.__path__):
        module = importlib.import_module(f"extractors.{module_info.name}")
        candidate = getattr(module, "extractor", None)
        if isinstance(candidate, Extractor):
            if candidate.kind in found:
                raise RuntimeError(f"two extractor modules claim kind {candidate.kind!r}")
            found[candidate.kind] = candidate
    return found


def extractor_for(kind: str) -> Extractor:
    """The extractor for `kind`, or a clear error listing the kinds that exist."""
    try:
        return kinds()[kind]
    except KeyError:
        raise UnknownKind(
            f"unknown source kind {kind!r}; known kinds: {', '.join(sorted(kinds()))}"
        ) from None

"""Fetch state kept between runs: validators for conditional GET and backfill checkpoints.

Every write here is a callable handed to a `Batch` (`Batch.state_writes`), so it commits in the
same transaction as the documents and articles it describes: an ETag is never stored for a feed
whose articles were lost in a crash, and a backfill checkpoint never runs ahead of its data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from transforms.model import FetchRequest, RawDocument, stable_id

StateWrite = Callable[[duckdb.DuckDBPyConnection], None]


@dataclass(frozen=True)
class Validators:
    """What the last good answer for a URL said about itself."""

    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None

    def conditional_headers(self) -> dict[str, str]:
        """Headers that let the server answer 304 Not Modified."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load_validators(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[str, Validators]:
    """Validators of every index URL of a source, by URL."""
    rows = con.execute(
        "SELECT url, etag, last_modified, body_sha256 FROM fetch_state WHERE source_id = ?",
        [source_id],
    ).fetchall()
    return {url: Validators(etag, modified, sha) for url, etag, modified, sha in rows}


def due_for_recheck(
    con: duckdb.DuckDBPyConnection, source_id: str, days: float, now: datetime
) -> set[str]:
    """Stored article pages of a source not looked at for `days` days: since their last
    recheck (fetch_state, kept under the URL asked for), or since they were last loaded if
    never rechecked. Both the canonical URL and the URL asked for are returned, so the page is
    recognised whichever one a request names."""
    cutoff = now - timedelta(days=days)
    rows = con.execute(
        "SELECT a.url, r.url FROM articles a "
        "LEFT JOIN raw_documents r ON r.raw_id = a.raw_id "
        "LEFT JOIN fetch_state f ON f.url = coalesce(r.url, a.url) "
        "WHERE a.source_id = ? "
        "AND greatest(a.updated_at, coalesce(f.last_fetched_at, a.updated_at)) <= ?",
        [source_id, cutoff],
    ).fetchall()
    return {url for row in rows for url in row if url}


def record_fetch(raw: RawDocument) -> StateWrite:
    """Remember a 200 answer's validators and hash, or that a 304 confirmed them."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        if raw.status == 304:
            con.execute(
                "UPDATE fetch_state SET status = 304, last_fetched_at = ?, run_id = ? "
                "WHERE url = ?",
                [raw.fetched_at, raw.run_id, raw.request.url],
            )
            return
        con.execute(
            "INSERT INTO fetch_state (url, source_id, role, etag, last_modified, body_sha256,"
            " status, last_fetched_at, last_changed_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
            " etag = excluded.etag, last_modified = excluded.last_modified,"
            " last_changed_at = CASE WHEN fetch_state.body_sha256 IS DISTINCT FROM"
            " excluded.body_sha256 THEN excluded.last_changed_at"
            " ELSE fetch_state.last_changed_at END,"
            " body_sha256 = excluded.body_sha256, status = excluded.status,"
            " last_fetched_at = excluded.last_fetched_at, run_id = excluded.run_id",
            [
                raw.request.url,
                raw.source_id,
                raw.request.role,
                raw.headers.get("etag"),
                raw.headers.get("last-modified"),
                raw.sha256,
                raw.status,
                raw.fetched_at,
                raw.fetched_at,
                raw.run_id,
            ],
        )

    return write


def backfill_id(source_id: str, since: datetime | None, until: datetime | None) -> str:
    """The same source and range always name the same checkpoint."""
    return stable_id(
        "backfill",
        source_id,
        since.isoformat() if since else "",
        until.isoformat() if until else "",
    )


@dataclass(frozen=True)
class Checkpoint:
    """Where a backfill range stands: what is left to fetch and what is done."""

    backfill_id: str
    source_id: str
    since: datetime | None
    until: datetime | None
    frontier: tuple[FetchRequest, ...]
    requested: frozenset[str]
    pages: int
    done: bool = False


def load_checkpoint(con: duckdb.DuckDBPyConnection, checkpoint_id: str) -> Checkpoint | None:
    rows = con.execute(
        'SELECT source_id, since, "until", frontier, requested, pages, status '
        "FROM backfill_checkpoints WHERE backfill_id = ?",
        [checkpoint_id],
    ).fetchall()
    if not rows:
        return None
    source_id, since, until, frontier, requested, pages, status = rows[0]
    return Checkpoint(
        backfill_id=checkpoint_id,
        source_id=source_id,
        since=since,
        until=until,
        frontier=tuple(
            FetchRequest(source_id, item["url"], item["role"], dict(item["meta"]))
            for item in json.loads(frontier)
        ),
        requested=frozenset(requested),
        pages=pages,
        done=status == "done",
    )


def save_checkpoint(checkpoint: Checkpoint, run_id: str) -> StateWrite:
    """Store a checkpoint (with the batch that brought the range to this point)."""
    frontier = json.dumps(
        [{"url": r.url, "role": r.role, "meta": r.meta} for r in checkpoint.frontier]
    )

    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            'INSERT INTO backfill_checkpoints (backfill_id, source_id, since, "until",'
            " frontier, requested, pages, status, run_id, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) ON CONFLICT (backfill_id)"
            " DO UPDATE SET frontier = excluded.frontier, requested = excluded.requested,"
            " pages = excluded.pages, status = excluded.status, run_id = excluded.run_id,"
            " updated_at = excluded.updated_at",
            [
                checkpoint.backfill_id,
                checkpoint.source_id,
                checkpoint.since,
                checkpoint.until,
                frontier,
                sorted(checkpoint.requested),
                checkpoint.pages,
                "done" if checkpoint.done else "running",
                run_id,
            ],
        )

    return write


def recent_robots(con: duckdb.DuckDBPyConnection, max_age_hours: float = 24.0) -> dict:
    """robots.txt answers archived in the last `max_age_hours`, by URL: (status, body).

    Reused instead of fetched again, so a daily run with nothing new costs one request per
    source, not two. Only definite answers count (2xx, 4xx); a 5xx or a failed fetch is retried.
    """
    rows = con.execute(
        "SELECT url, arg_max(status, fetched_at), arg_max(body, fetched_at) FROM raw_documents"
        " WHERE role = 'robots' AND status BETWEEN 200 AND 499"
        " AND fetched_at >= now() - to_hours(CAST(? AS BIGINT)) GROUP BY url",
        [int(max_age_hours)],
    ).fetchall()
    return {url: (status, bytes(body or b"")) for url, status, body in rows}

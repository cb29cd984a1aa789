"""Run bookkeeping: every run is a row, so every other row can name the run that made it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import duckdb

from extractors.registry import SourceConfig
from warehouse.db import transaction


@dataclass
class RunSummary:
    """What a run did, as printed at the end and stored in `runs`."""

    run_id: str
    run_kind: str
    sources: list[str] = field(default_factory=list)
    requests: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    claims: int = 0
    status: str = "running"
    error: str | None = None

    def as_row(self) -> dict[str, object]:
        return asdict(self)


def new_run_id(run_kind: str) -> str:
    """Time-ordered and unique enough for one machine: kind, UTC time, microseconds."""
    return f"{run_kind}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"


def register_sources(con: duckdb.DuckDBPyConnection, sources: list[SourceConfig]) -> None:
    """Upsert the configured sources, keeping their cursors."""
    with transaction(con):
        for source in sources:
            con.execute(
                "INSERT INTO sources (source_id, name, kind, base_url, language, country, owner, "
                "origin_class, config, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
                "ON CONFLICT (source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
                " base_url = excluded.base_url, language = excluded.language,"
                " country = excluded.country, owner = excluded.owner,"
                " origin_class = excluded.origin_class, config = excluded.config,"
                " updated_at = excluded.updated_at",
                [
                    source.id,
                    source.name,
                    source.kind,
                    source.base_url,
                    source.language,
                    source.country,
                    source.owner,
                    source.origin_class,
                    json.dumps(asdict(source), default=list),
                ],
            )


def start_run(
    con: duckdb.DuckDBPyConnection,
    summary: RunSummary,
    code_version: str,
    params: dict[str, object],
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, run_kind, started_at, status, code_version, source_ids, params)"
        " VALUES (?, ?, now(), 'running', ?, ?, ?)",
        [summary.run_id, summary.run_kind, code_version, summary.sources, json.dumps(params)],
    )


def finish_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    with transaction(con):
        con.execute(
            "UPDATE runs SET finished_at = now(), status = ?, requests = ?, fetched = ?,"
            " new_articles = ?, updated_articles = ?, quarantined = ?, claims = ?, error = ?"
            " WHERE run_id = ?",
            [
                summary.status,
                summary.requests,
                summary.fetched,
                summary.new,
                summary.updated,
                summary.quarantined,
                summary.claims,
                summary.error,
                summary.run_id,
            ],
        )
        con.execute(
            "UPDATE sources SET last_run_id = ? WHERE source_id IN (SELECT unnest(?::VARCHAR[]))",
            [summary.run_id, summary.sources],
        )


def daily_cursor(con: duckdb.DuckDBPyConnection, source_id: str) -> str | None:
    rows = con.execute(
        "SELECT daily_cursor FROM sources WHERE source_id = ?", [source_id]
    ).fetchall()
    return rows[0][0] if rows else None


def known_article_urls(con: duckdb.DuckDBPyConnection, source_id: str) -> set[str]:
    """URLs of the articles already stored for a source (their pages need no new fetch): the
    canonical URL, and the URL that was asked for when it differs (a listed page that redirects
    or names another canonical URL is asked for by the listed one)."""
    rows = con.execute(
        "SELECT a.url, r.url FROM articles a LEFT JOIN raw_documents r ON r.raw_id = a.raw_id "
        "WHERE a.source_id = ?",
        [source_id],
    ).fetchall()
    return {url for row in rows for url in row if url}


def source_states(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, ...]]:
    """source id -> (daily cursor, last run id, that run's status)."""
    rows = con.execute(
        "SELECT s.source_id, s.daily_cursor, s.last_run_id, r.status "
        "FROM sources s LEFT JOIN runs r ON r.run_id = s.last_run_id"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}

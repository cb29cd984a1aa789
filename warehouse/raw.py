"""Reading archived raw documents back, exactly as the fetcher first returned them.

`reprocess` re-parses these with no network; the SQL lives here so flows never hold it.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from transforms.model import FetchRequest, RawDocument

_SELECT = (
    "SELECT raw_id, source_id, run_id, url, final_url, role, request_meta, status, headers,"
    " fetched_at, sha256, body FROM raw_documents"
)


def reprocessable_ids(
    con: duckdb.DuckDBPyConnection, source_id: str, since: datetime | None
) -> list[str]:
    """Documents worth re-reading: good answers (not robots.txt), oldest first."""
    rows = con.execute(
        "SELECT raw_id FROM raw_documents WHERE source_id = ? AND error IS NULL"
        " AND status = 200 AND role <> 'robots' AND (? IS NULL OR fetched_at >= ?)"
        " ORDER BY fetched_at, raw_id",
        [source_id, since, since],
    ).fetchall()
    return [row[0] for row in rows]


def stored_documents(con: duckdb.DuckDBPyConnection, raw_ids: list[str]) -> list[RawDocument]:
    """Raw documents back from the warehouse, as the fetcher first returned them.

    Takes a connection, not a path: reprocess reads through the write session it loads with,
    since opening the file again would make that session close, and so checkpoint, every time.
    """
    rows = con.execute(
        f"{_SELECT} WHERE raw_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY fetched_at, raw_id",
        [raw_ids],
    ).fetchall()
    return [_document(*row) for row in rows]


def _document(
    raw_id: str,
    source_id: str,
    run_id: str,
    url: str,
    final_url: str,
    role: str,
    meta: str | None,
    status: int,
    headers: str | None,
    fetched_at: datetime,
    sha256: str,
    body: bytes | None,
) -> RawDocument:
    return RawDocument(
        raw_id=raw_id,
        source_id=source_id,
        run_id=run_id,
        request=FetchRequest(source_id, url, role, json.loads(meta or "{}")),
        final_url=final_url,
        status=status,
        headers=json.loads(headers or "{}"),
        fetched_at=fetched_at,
        body=bytes(body or b""),
        sha256=sha256,
    )

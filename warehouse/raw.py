"""Reading archived raw documents back, exactly as the fetcher first returned them.

`reprocess` re-parses these with no network; the SQL lives here so flows never hold it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from transforms.model import FetchRequest, RawDocument
from warehouse import db

_SELECT = (
    "SELECT raw_id, source_id, run_id, url, final_url, role, request_meta, status, headers,"
    " fetched_at, sha256, body FROM raw_documents"
)


def reprocessable_ids(db_path: Path, source_id: str, since: datetime | None) -> list[str]:
    """Documents worth re-reading: good answers (not robots.txt), oldest first."""
    with db.connect(db_path, read_only=True) as con:
        rows = con.execute(
            "SELECT raw_id FROM raw_documents WHERE source_id = ? AND error IS NULL"
            " AND status = 200 AND role <> 'robots' AND (? IS NULL OR fetched_at >= ?)"
            " ORDER BY fetched_at, raw_id",
            [source_id, since, since],
        ).fetchall()
    return [row[0] for row in rows]


def stored_documents(db_path: Path, raw_ids: list[str]) -> Iterator[RawDocument]:
    """Raw documents back from the warehouse, as the fetcher first returned them."""
    with db.connect(db_path, read_only=True) as con:
        rows = con.execute(
            f"{_SELECT} WHERE raw_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY fetched_at, raw_id",
            [raw_ids],
        ).fetchall()
    for raw_id, source_id, run_id, url, final, role, meta, status, headers, at, sha, body in rows:
        yield RawDocument(
            raw_id=raw_id,
            source_id=source_id,
            run_id=run_id,
            request=FetchRequest(source_id, url, role, json.loads(meta or "{}")),
            final_url=final,
            status=status,
            headers=json.loads(headers or "{}"),
            fetched_at=at,
            body=bytes(body or b""),
            sha256=sha,
        )

"""Exporting every table and view as files for other tools (Parquet or CSV)."""

from __future__ import annotations

from pathlib import Path

import duckdb

EXPORT_FORMATS = ("parquet", "csv")


def export_all(con: duckdb.DuckDBPyConnection, out: Path, fmt: str) -> list[str]:
    """Write one file per table and view into `out`; returns the names written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    names = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary "
            "ORDER BY 1"
        ).fetchall()
    ]
    for name in names:
        target = str(out / f"{name}.{fmt}").replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{target}' (FORMAT {fmt})")
    return names

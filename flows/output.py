"""Printing query results and run summaries for people and for other programs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from warehouse.runs import RunSummary

FORMATS = ("table", "csv", "json")


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def render_rows(
    columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, console: Console
) -> None:
    """Print rows as a rich table, CSV or JSON (one object per row)."""
    if fmt == "json":
        records = [dict(zip(columns, map(_plain, row), strict=True)) for row in rows]
        console.print_json(json.dumps(records, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                for v in map(_plain, row)
            )
        console.file.write(buffer.getvalue())
    else:
        table = Table(show_lines=False)
        for name in columns:
            # Ids are what users copy into the next command: never truncate them.
            table.add_column(name, no_wrap=name.endswith("_id"), min_width=None)
        for row in rows:
            table.add_row(*(str(_plain(v)) if v is not None else "" for v in row))
        console.print(table)


def render_summary(summary: RunSummary, console: Console) -> None:
    """The short line-per-figure summary printed after every run."""
    console.print(
        f"[bold]{summary.run_kind} run {summary.run_id}[/bold] {summary.status}: "
        f"sources={len(summary.sources)} requests={summary.requests} "
        f"fetched={summary.fetched} new={summary.new} updated={summary.updated} "
        f"unchanged={summary.unchanged} quarantined={summary.quarantined} "
        f"claims={summary.claims}"
    )

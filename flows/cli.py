"""The `claimtrail` command: runs, the demo, ad hoc SQL, exports and text repair.

Prefect is imported only by the commands that run flows, so `sql`, `sources` and friends start
in a fraction of a second.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from extractors.registry import SourceConfigError, default_config_path, load_sources
from flows import cli_claims, cli_fetch
from flows.cli_common import (
    ConfigOption,
    DbOption,
    FormatOption,
    SourceOption,
    check_format,
    console,
    err,
    fail,
)
from flows.output import render_rows, render_summary
from warehouse import db
from warehouse.export import export_all
from warehouse.runs import source_states

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARCHIVE = REPO_ROOT / "samples" / "sites.warc.gz"
SAMPLE_SOURCES = ["rareearthexchanges", "cngeo"]

DEMO_QUERIES = (
    (
        "Articles per source",
        "SELECT source_id, count(*) AS articles, sum(n_claims) AS claims "
        "FROM articles_v GROUP BY source_id ORDER BY source_id",
    ),
    (
        "Newest articles",
        "SELECT published_at::DATE AS published, source_id, left(title, 45) AS title, n_claims "
        "FROM articles_v ORDER BY published_at DESC LIMIT 5",
    ),
    (
        "Claims by verification status and origin",
        "SELECT verification_status, origin_class, count(*) AS claims "
        "FROM claims_v GROUP BY ALL ORDER BY claims DESC",
    ),
)

app = typer.Typer(
    help="claimtrail: track what state media and the newsletters that relay them claim.",
    no_args_is_help=True,
    add_completion=False,
)


def _prefect_start_failure(exc: BaseException) -> bool:
    """Whether a flow failed because Prefect's temporary server did not come up.

    On a fresh PREFECT_HOME its SQLite database initialises while the first client connects and
    can answer "database is locked" or time out; that is Prefect's start-up, not the run.
    """
    text = f"{type(exc).__module__}.{type(exc).__name__}: {exc}".lower()
    return "database is locked" in text or (
        "prefect" in text and ("ephemeral" in text or "timed out" in text)
    )


def _run_flow(**kwargs: object) -> None:
    from flows.daily import daily_flow

    for attempt in (1, 2):
        try:
            summary = asyncio.run(daily_flow(**kwargs))
            break
        except (SourceConfigError, db.WarehouseBusy, db.WarehouseReadOnly) as exc:
            raise fail(str(exc)) from None
        except duckdb.IOException as exc:  # e.g. "No space left on device"
            raise fail(
                f"the warehouse could not be written: {exc}. Batches already committed are "
                "intact; free space (or fix the file) and run again to resume."
            ) from None
        except Exception as exc:
            if attempt == 2 or not _prefect_start_failure(exc):
                raise
            # Safe to repeat: loads are idempotent and keyed on stable ids.
            err.print(f"Prefect's temporary server failed to start ({exc}); retrying once.")
    render_summary(summary, console)


@app.command()
def run(
    config: ConfigOption = None,
    db_path: DbOption = None,
    source: SourceOption = None,
    replay: Annotated[
        list[Path] | None, typer.Option("--replay", help="Answer requests from this WARC")
    ] = None,
    record: Annotated[
        Path | None, typer.Option("--record", help="Write every live response into this WARC")
    ] = None,
) -> None:
    """Daily run: fetch what is new since each source's cursor and load it."""
    _run_flow(
        config=config or default_config_path(),
        db_path=db_path or db.default_db_path(),
        source_ids=source or None,
        replay=replay or None,
        record=record,
        run_kind="daily",
    )


@app.command()
def demo(db_path: DbOption = None) -> None:
    """Replay the recorded sample of the real sites through the daily flow, then query it."""
    target = db_path or db.default_db_path()
    _run_flow(
        config=REPO_ROOT / "sources.toml",
        db_path=target,
        source_ids=SAMPLE_SOURCES,
        replay=[SAMPLE_ARCHIVE],
        record=None,
        run_kind="demo",
    )
    console.print(f'\nWarehouse: {target}  (try: claimtrail sql "SELECT * FROM claims_v")')
    with db.connect(target, read_only=True) as con:
        for title, query in DEMO_QUERIES:
            console.print(f"\n[bold]{title}[/bold]\n[dim]{query}[/dim]")
            cursor = con.execute(query)
            render_rows([d[0] for d in cursor.description], cursor.fetchall(), "table", console)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only)")],
    db_path: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run ad hoc SQL against the warehouse through a read-only connection."""
    check_format(fmt)
    try:
        with db.connect(db_path, read_only=True) as con:
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
    except (FileNotFoundError, db.WarehouseBusy) as exc:
        raise fail(str(exc)) from None
    except duckdb.Error as exc:
        if "read-only" in str(exc):
            raise fail(
                "claimtrail sql is read-only (analysts query, runs write); "
                f"the statement was refused: {exc}"
            ) from None
        raise fail(str(exc)) from None
    render_rows(columns, rows, fmt, console)


@app.command()
def sources(
    config: ConfigOption = None,
    db_path: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List configured sources with their daily cursor and last run."""
    try:
        configured = load_sources(config)
    except SourceConfigError as exc:
        raise fail(str(exc)) from None
    state: dict[str, tuple[str | None, ...]] = {}
    target = db_path or db.default_db_path()
    if target.exists():
        with db.connect(target, read_only=True) as con:
            state = source_states(con)
    columns = ["id", "kind", "origin_class", "enabled", "verified", "cursor", "last_run", "status"]
    rows_out = [
        [s.id, s.kind, s.origin_class, s.enabled, s.verified, *state.get(s.id, (None,) * 3)]
        for s in configured
    ]
    render_rows(columns, rows_out, fmt, console)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write into")],
    fmt: Annotated[str, typer.Option("--format", help="parquet | csv")] = "parquet",
    db_path: DbOption = None,
) -> None:
    """Export every table and view (one file each) for other tools."""
    try:
        with db.connect(db_path, read_only=True) as con:
            names = export_all(con, out, fmt)
    except (FileNotFoundError, ValueError, db.WarehouseBusy) as exc:
        raise fail(str(exc)) from None
    console.print(f"exported {len(names)} tables and views to {out}/ as {fmt}")


@app.command("repair-text")
def repair_text_command() -> None:
    """Repair mojibake in stdin and write the result to stdout (for your own files)."""
    from transforms.encoding import repair_text

    sys.stdout.write(repair_text(sys.stdin.read()))


app.command()(cli_claims.verify)
app.command()(cli_claims.claims)
app.command()(cli_fetch.backfill)
app.command()(cli_fetch.reprocess)
app.command()(cli_fetch.canary)
app.command()(cli_fetch.serve)


def _quiet_teardown() -> None:
    """Hide what native extensions print while the interpreter shuts down.

    After a Prefect flow, Prefect's daemon event-loop threads are still alive at exit, so
    DuckDB's nanobind module is finalised with objects outstanding and prints a "leaked
    instances" report to stderr. It is noise (the process is exiting; the warehouse is already
    committed and closed) but alarming, so once the command has printed everything it has to
    say, stderr is pointed at /dev/null for the teardown.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stderr.fileno())


def main() -> None:
    try:
        app()
    finally:
        _quiet_teardown()

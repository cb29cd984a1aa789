"""CLI commands for fetching beyond the daily run: backfill, reprocess, serve, canary.

Plain Typer-annotated functions, registered on the `claimtrail` app in flows/cli.py.
"""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from extractors.registry import SourceConfigError, default_config_path, load_sources, select_sources
from flows.cli_common import ConfigOption, DbOption, SourceOption, console, fail
from flows.output import render_rows, render_summary
from warehouse import db

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]


def _utc(value: datetime | None) -> datetime | None:
    """Dates on the command line are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def backfill(
    since: Annotated[
        datetime, typer.Option("--since", formats=DATE_FORMATS, help="Range start (inclusive, UTC)")
    ],
    until: Annotated[
        datetime | None,
        typer.Option("--until", formats=DATE_FORMATS, help="Range end (exclusive, UTC)"),
    ] = None,
    source: SourceOption = None,
    config: ConfigOption = None,
    db_path: DbOption = None,
    replay: Annotated[
        list[Path] | None, typer.Option("--replay", help="Answer requests from this WARC")
    ] = None,
) -> None:
    """Fetch the range [since, until) without moving the daily cursor; rerun to resume."""
    from flows.backfill import BackfillRequest, run_backfill

    start, end = _utc(since), _utc(until)
    if start and end and start >= end:
        raise fail("--since must be before --until (the range is [since, until))")
    request = BackfillRequest(
        config=config or default_config_path(),
        db_path=db_path or db.default_db_path(),
        since=start,
        until=end,
        source_ids=source or None,
        replay=replay or None,
    )
    try:
        summary = run_backfill(request, console=console)
    except KeyboardInterrupt:
        raise fail("interrupted; progress is saved: run the same command to resume") from None
    except (SourceConfigError, db.WarehouseBusy, db.WarehouseReadOnly) as exc:
        raise fail(str(exc)) from None
    render_summary(summary, console)


def reprocess(
    source: SourceOption = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=DATE_FORMATS, help="Only documents fetched since (UTC)"),
    ] = None,
    config: ConfigOption = None,
    db_path: DbOption = None,
) -> None:
    """Re-run every transform from stored raw documents (no network) and re-tag claims."""
    from flows.reprocess import run_reprocess

    try:
        summary = run_reprocess(
            config or default_config_path(),
            db_path or db.default_db_path(),
            source or None,
            _utc(since),
            console=console,
        )
    except (SourceConfigError, db.WarehouseBusy, db.WarehouseReadOnly, FileNotFoundError) as exc:
        raise fail(str(exc)) from None
    render_summary(summary, console)


def canary(source: SourceOption = None, config: ConfigOption = None) -> None:
    """Fetch one live item per source and report which sources broke (exit 1 if any)."""
    from extractors.http import Fetcher, build_transport
    from flows.canary import canary_rows, run_canary

    try:
        sources = select_sources(load_sources(config), source or None)
    except SourceConfigError as exc:
        raise fail(str(exc)) from None
    fetcher = Fetcher(build_transport(), "canary")
    try:
        results = run_canary(fetcher, sources)
    finally:
        fetcher.close()
    columns, rows = canary_rows(results)
    render_rows(columns, rows, "table", console)
    if any(r.verdict not in ("ok", "fallback") for r in results):
        raise typer.Exit(code=1)


def serve(config: ConfigOption = None, db_path: DbOption = None) -> None:
    """Run the daily flow and the canary on schedule (the schedule table of sources.toml)."""
    from flows.serve import find_or_start_server, load_schedule, serve_flows

    config_path = config or default_config_path()
    target = db_path or db.default_db_path()
    try:
        load_sources(config_path)
        schedule = load_schedule(config_path)
        choice = find_or_start_server(target.parent / "prefect-server.log")
    except (SourceConfigError, ValueError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    os.environ["PREFECT_API_URL"] = choice.api_url
    if choice.how == "started":
        console.print(
            f"started a Prefect server at {choice.api_url} (pid {choice.process.pid}, "
            f"log {target.parent / 'prefect-server.log'}); it stops with this command"
        )
    else:
        console.print(f"using the Prefect server at {choice.api_url}")
    console.print(
        f"daily run: '{schedule.daily_cron}', canary: '{schedule.canary_cron}' "
        f"({schedule.timezone}); Ctrl-C to stop"
    )
    # A service manager stops us with SIGTERM: unwind like Ctrl-C so the server we started stops.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        serve_flows(config_path, target, schedule)
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        if choice.process is not None:
            choice.process.terminate()
            choice.process.wait(timeout=30)

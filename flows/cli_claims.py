"""`claimtrail verify` and `claimtrail claims`: the analyst's side of the verification log.

Plain functions with Typer annotations; flows/cli.py registers them as top-level commands
(`app.command()(verify)`, `app.command()(claims)`).
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from typing import Annotated

import typer

from flows.cli_common import DbOption, FormatOption, check_format, console, fail
from flows.output import render_rows
from warehouse import db
from warehouse.provenance import LIST_COLUMNS, UnknownClaim, list_claims, record_verdict

TABLE_COLUMNS = ("claim_id", "claim_type", "attributed_to", "verification_status", "text")
"""What fits a terminal; csv and json carry every column of LIST_COLUMNS."""


class Verdict(StrEnum):
    """What an analyst can conclude about a claim from the command line."""

    verified = "verified"
    refuted = "refuted"
    disputed = "disputed"


def _default_user() -> str:
    return os.environ.get("USER") or getpass.getuser()


def verify(
    claim_id: Annotated[str, typer.Argument(help="Claim id (claims_v.claim_id)")],
    status: Annotated[Verdict, typer.Option("--status", help="verified | refuted | disputed")],
    evidence: Annotated[str, typer.Option("--evidence", help="URL of the evidence")],
    note: Annotated[str, typer.Option("--note", help="Why, in a sentence")] = "",
    by: Annotated[str | None, typer.Option("--by", help="Analyst [default: $USER]")] = None,
    db_path: DbOption = None,
) -> None:
    """Record an analyst verdict on a claim (appended to the log; it overrides automatic
    statuses, and the history is kept)."""
    if not evidence.startswith(("http://", "https://")):
        raise fail("--evidence must be an http(s) URL")
    analyst = by or _default_user()
    try:
        with db.writer(db_path) as con, db.transaction(con):
            record_verdict(con, claim_id, status.value, evidence, note, analyst)
    except (UnknownClaim, ValueError, db.WarehouseBusy, db.WarehouseReadOnly) as exc:
        raise fail(str(exc)) from None
    console.print(f"claim {claim_id}: {status.value} (by {analyst})")


def claims(
    status: Annotated[str | None, typer.Option("--status", help="Derived status")] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Entity id, name or alias (e.g. antimony)")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source id")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Most rows to show")] = 100,
    db_path: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List claims with provenance chain, entities and derived verification status."""
    check_format(fmt)
    try:
        with db.connect(db_path, read_only=True) as con:
            rows = list_claims(con, status=status, entity=entity, source=source, limit=limit)
    except (FileNotFoundError, ValueError, db.WarehouseBusy) as exc:
        raise fail(str(exc)) from None
    columns = list(TABLE_COLUMNS if fmt == "table" else LIST_COLUMNS)
    render_rows(columns, [[row[c] for c in columns] for row in rows], fmt, console)

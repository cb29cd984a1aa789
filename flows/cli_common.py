"""What every `claimtrail` command shares: consoles, common options, one way to fail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB file [env CLAIMTRAIL_DB; default data/claimtrail.duckdb]"),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Source registry [env CLAIMTRAIL_CONFIG; default sources.toml]"),
]
SourceOption = Annotated[
    list[str] | None, typer.Option("--source", help="Only this source id (repeatable)")
]
FormatOption = Annotated[str, typer.Option("--format", help="table | csv | json")]


def fail(message: str) -> typer.Exit:
    """Print `message` as an error and return the exit to raise (status 1)."""
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


def check_format(fmt: str) -> None:
    """Refuse an unknown --format before any work is done."""
    from flows.output import FORMATS

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}")

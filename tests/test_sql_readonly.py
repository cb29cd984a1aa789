"""`claimtrail sql` is for reading: each kind of write is refused, says why, changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.registry import parse_sources
from flows.cli import app
from warehouse import db
from warehouse.runs import register_sources

SOURCES = """
[[source]]
id = "one"
name = "One"
kind = "rss"
base_url = "https://one.test"
origin_class = "newsletter"
"""

WRITES = [
    "DELETE FROM sources",
    "INSERT INTO sources (source_id, name, kind, base_url, origin_class) "
    "VALUES ('two', 'Two', 'rss', 'https://two.test', 'newsletter')",
    "UPDATE sources SET name = 'changed'",
    "DROP TABLE quarantine",
    "CREATE TABLE scratch (x INTEGER)",
    "ALTER TABLE sources ADD COLUMN extra INTEGER",
    "SELECT 1; DELETE FROM sources",
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with db.writer(path) as con:
        register_sources(con, parse_sources(SOURCES))
    return path


def contents(path: Path) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        tables = con.execute(
            "SELECT table_name, column_count FROM duckdb_tables() ORDER BY 1"
        ).fetchall()
        sources = con.execute("SELECT source_id, name FROM sources ORDER BY 1").fetchall()
    return [*tables, *sources]


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_and_say_so(warehouse: Path, statement: str) -> None:
    before = contents(warehouse)
    result = CliRunner().invoke(app, ["sql", statement, "--db", str(warehouse)])
    assert result.exit_code == 1
    assert "read-only" in result.output
    assert contents(warehouse) == before


def test_reads_work(warehouse: Path) -> None:
    result = CliRunner().invoke(
        app, ["sql", "SELECT source_id FROM sources", "--db", str(warehouse)]
    )
    assert result.exit_code == 0, result.output
    assert "one" in result.output


def test_the_installed_command_refuses_a_write(warehouse: Path) -> None:
    claimtrail = Path(sys.executable).with_name("claimtrail")
    done = subprocess.run(
        [str(claimtrail), "sql", "DELETE FROM sources", "--db", str(warehouse)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=60,
    )
    assert done.returncode == 1
    assert "read-only" in done.stderr + done.stdout
    assert contents(warehouse)[-1] == ("one", "One")

"""The README tells the truth: its SQL runs on the sample warehouse, every command is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.cli import app
from warehouse import db

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def sql_statements() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", README, flags=re.DOTALL)
    return [s.strip() for block in blocks for s in block.split(";") if s.strip()]


def test_readme_has_sql_examples() -> None:
    assert len(sql_statements()) >= 3


def test_readme_sql_runs_on_the_sample(db_path: Path, sample_archive: Path, crawl) -> None:
    crawl(db_path, [sample_archive])
    with db.connect(db_path, read_only=True) as con:
        for statement in sql_statements():
            rows = con.execute(statement).fetchall()
            assert isinstance(rows, list), statement


@pytest.mark.parametrize(
    "command", sorted(c.name or c.callback.__name__ for c in app.registered_commands)
)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"claimtrail {command}" in README


def test_quickstart_is_exactly_two_command_lines() -> None:
    quickstart = README.split("## Quickstart", 1)[1]
    block = quickstart.split("```", 2)[1]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "claimtrail demo" in lines[0]
    assert "pytest" in lines[1]

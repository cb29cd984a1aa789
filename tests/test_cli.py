"""The `claimtrail` command line, end to end on the recorded sample."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


@pytest.fixture
def loaded_db(db_path: Path, sample_archive: Path, crawl) -> Path:
    crawl(db_path, [sample_archive])
    return db_path


def invoke(*args: str) -> object:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def test_sql_table_csv_and_json(loaded_db: Path) -> None:
    query = "SELECT source_id, count(*) AS n FROM articles_v GROUP BY 1 ORDER BY 1"
    table = invoke("sql", query, "--db", str(loaded_db))
    assert table.exit_code == 0
    assert "rareearthexchanges" in table.output
    csv_out = invoke("sql", query, "--db", str(loaded_db), "--format", "csv")
    assert csv_out.output.splitlines() == ["source_id,n", "cngeo,1", "rareearthexchanges,4"]
    json_out = invoke("sql", query, "--db", str(loaded_db), "--format", "json")
    assert json.loads(json_out.output) == [
        {"source_id": "cngeo", "n": 1},
        {"source_id": "rareearthexchanges", "n": 4},
    ]


def test_sql_cannot_write_and_says_so(loaded_db: Path) -> None:
    result = runner.invoke(app, ["sql", "DELETE FROM articles", "--db", str(loaded_db)])
    assert result.exit_code == 1
    assert "read-only" in result.output
    check = invoke("sql", "SELECT count(*) AS n FROM articles", "--db", str(loaded_db))
    assert "5" in check.output


def test_sql_on_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no warehouse" in result.output


def test_sources_lists_cursor_and_last_run(loaded_db: Path, in_tmp_cwd: Path) -> None:
    result = invoke("sources", "--db", str(loaded_db), "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["rareearthexchanges"]["cursor"] == "2026-02-03T14:31:09"
    assert rows["rareearthexchanges"]["last_run"].startswith("test-")
    assert rows["rareearthexchanges"]["status"] == "succeeded"
    assert rows["cngeo"]["cursor"] is None


def test_export_writes_every_table_and_view(loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = invoke("export", "--format", "parquet", "--out", str(out), "--db", str(loaded_db))
    assert result.exit_code == 0
    names = {p.stem for p in out.iterdir()}
    assert {"articles", "claims", "raw_documents", "quarantine", "articles_v", "claims_v"} <= names
    assert pq.read_table(out / "articles_v.parquet").num_rows == 5
    csv_out = tmp_path / "csv"
    invoke("export", "--format", "csv", "--out", str(csv_out), "--db", str(loaded_db))
    assert (csv_out / "claims_v.csv").read_text(encoding="utf-8").startswith("claim_id,")


def test_repair_text_filters_stdin() -> None:
    result = runner.invoke(app, ["repair-text"], input="In a move that underscores Chinaโs plan")
    assert result.exit_code == 0
    assert result.output == "In a move that underscores China’s plan"


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text(
        '[[source]]\nid = "x"\nname = "X"\nkind = "nope"\n'
        'base_url = "https://x.org"\norigin_class = "newsletter"\n'
    )
    result = runner.invoke(app, ["sources", "--config", str(config)])
    assert result.exit_code == 1
    assert "unknown source kind 'nope'" in result.output


@pytest.mark.slow
def test_run_and_demo_through_the_prefect_flow(
    prefect_harness: None, in_tmp_cwd: Path, sample_archive: Path
) -> None:
    db_file = in_tmp_cwd / "run.duckdb"
    run_args = ["run", "--db", str(db_file), "--replay", str(sample_archive)]
    run_args += ["--source", "rareearthexchanges", "--source", "cngeo"]
    first = invoke(*run_args)
    assert first.exit_code == 0, first.output
    assert "new=5" in first.output
    second = invoke(*run_args)
    assert "new=0" in second.output
    assert "updated=0" in second.output

    demo = runner.invoke(app, ["demo"], catch_exceptions=False, terminal_width=200)
    assert demo.exit_code == 0, demo.output
    assert "new=5" in demo.output
    assert "Claims by verification status" in demo.output
    assert (in_tmp_cwd / "data" / "claimtrail.duckdb").exists()


def test_prefect_start_failures_are_told_apart_from_run_failures() -> None:
    from flows.cli import _prefect_start_failure

    locked = RuntimeError("(sqlite3.OperationalError) database is locked")
    timeout = RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server")
    assert _prefect_start_failure(locked)
    assert _prefect_start_failure(timeout)
    assert not _prefect_start_failure(ValueError("bad date in sources.toml"))


def test_export_refuses_an_unknown_format_and_survives_quotes_in_paths(
    loaded_db: Path, tmp_path: Path
) -> None:
    bad = runner.invoke(
        app, ["export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--db", str(loaded_db)]
    )
    assert bad.exit_code == 1
    assert "parquet, csv" in bad.output
    odd = tmp_path / "analyst's exports"
    assert invoke("export", "--out", str(odd), "--db", str(loaded_db)).exit_code == 0
    assert (odd / "claims_v.parquet").exists()


def test_unknown_output_format_is_refused(loaded_db: Path) -> None:
    result = runner.invoke(app, ["claims", "--format", "xml", "--db", str(loaded_db)])
    assert result.exit_code == 1
    assert "table, csv, json" in result.output

"""The write session a crawl loads through: one connection across batches, handed back to
readers at the end, after its hold time, or when this process wants to read."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from warehouse import db

READ_COUNT = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
    "print(con.execute('SELECT count(*) FROM runs').fetchall()[0][0])"
)


def _add_run(con, run_id: str) -> None:
    with db.transaction(con):
        con.execute(
            "INSERT INTO runs (run_id, run_kind, started_at, status, code_version) "
            "VALUES (?, 'test', now(), 'ok', 'test')",
            [run_id],
        )


def _count_from_another_process(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", READ_COUNT, str(path)], capture_output=True, text=True, timeout=60
    )


def test_batches_share_one_connection_and_release_hands_the_file_back(db_path: Path) -> None:
    session = db.WriteSession(db_path, hold=600)
    with session.connection() as first:
        _add_run(first, "a")
    with session.connection() as second:
        _add_run(second, "b")
    assert second is first
    assert "lock" in _count_from_another_process(db_path).stderr.lower()
    session.release()
    assert _count_from_another_process(db_path).stdout.strip() == "2"


def test_reading_in_the_same_process_releases_the_session(db_path: Path) -> None:
    session = db.WriteSession(db_path, hold=600)
    with session.connection() as con:
        _add_run(con, "a")
    with db.connect(db_path, read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM runs").fetchall()[0][0] == 1
    with session.connection() as con:  # reopened for the next batch
        _add_run(con, "b")
    session.release()
    assert _count_from_another_process(db_path).stdout.strip() == "2"


def test_a_forgotten_session_lets_readers_in_after_its_hold_time(db_path: Path) -> None:
    session = db.WriteSession(db_path, hold=0.2)
    with session.connection() as con:
        _add_run(con, "a")
    time.sleep(1.0)
    assert _count_from_another_process(db_path).stdout.strip() == "1"

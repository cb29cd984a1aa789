"""Crashes and contention: kill -9 mid-load, two runs at once, a read-only or full disk.

Each case runs the crawl engine in a child process on a small generated archive (replayed, no
network, no Prefect) and then checks the warehouse the way an analyst would find it: it opens,
every article is there exactly once with all its claims, and nothing half-written is left.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows import runlock
from warehouse import db

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # benchmarks/ is not an installed package
from benchmarks.generate import generate  # noqa: E402

SINCE = datetime(2018, 1, 1, tzinfo=UTC)
UNTIL = datetime(2027, 1, 1, tzinfo=UTC)
ARTICLES = 400
"""Four API pages of 100 posts: a backfill commits (and checkpoints) once per page."""

CHILD = """
import json, os, sys, time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from extractors.base import Window
from extractors.http import Fetcher, build_transport
from extractors.registry import load_sources
from flows import runlock
from flows.crawl import CrawlContext, crawl_source
from warehouse import db, load
from warehouse.runs import register_sources

archive, db_path = Path(sys.argv[1]), Path(sys.argv[2])
since, until = datetime.fromisoformat(sys.argv[3]), datetime.fromisoformat(sys.argv[4])
pause_at = int(os.environ.get("PAUSE_AT_COMMIT", "0"))
hold_until = os.environ.get("HOLD_UNTIL_FILE")
real_transaction = load.transaction
commits = 0


@contextmanager
def pausing_transaction(con):
    # Every row of the batch is written; the child stops before COMMIT when told to.
    global commits
    with real_transaction(con):
        yield con
        commits += 1
        if commits == pause_at:
            print("MIDLOAD", flush=True)
            time.sleep(600)


if __name__ == "__main__":  # the transform pool's workers import this file too
    load.transaction = pausing_transaction
    source = next(s for s in load_sources(archive / "sources.toml") if s.kind == "wordpress")
    with runlock.hold(db_path, wait=float(os.environ.get("RUN_LOCK_WAIT", "30"))):
        print("LOCKED", flush=True)
        with db.writer(db_path) as con:
            register_sources(con, [source])
        fetcher = Fetcher(build_transport([archive / "archive.warc.gz"]), f"run-{os.getpid()}")
        ctx = CrawlContext(db_path, fetcher, f"run-{os.getpid()}", "test")
        result = crawl_source(ctx, source, Window(since=since, until=until))
        while hold_until and not Path(hold_until).exists():
            time.sleep(0.05)
    print(json.dumps({"requests": result.requests, "new": result.stats.new}), flush=True)
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    generate(out, ARTICLES, mirror_share=0.0, html_sample=0, backfill=(SINCE, UNTIL))
    return out


@pytest.fixture(scope="module")
def child_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("child") / "backfill_child.py"
    path.write_text(CHILD, encoding="utf-8")
    return path


def start_child(script: Path, archive: Path, db_path: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(script),
            str(archive),
            str(db_path),
            SINCE.isoformat(),
            UNTIL.isoformat(),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 120) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def wait_for_line(process: subprocess.Popen, expected: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == expected:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"child exited before {expected}: {process.stderr.read()[-2000:]}")
    raise AssertionError(f"child never printed {expected}")


def snapshot(db_path: Path) -> dict[str, object]:
    """What an analyst would see: article ids (with duplicates), claims per article, raw ids."""
    with db.connect(db_path, read_only=True) as con:
        articles = [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
        claims = dict(con.execute("SELECT article_id, count(*) FROM claims GROUP BY 1").fetchall())
        claim_ids = [r[0] for r in con.execute("SELECT claim_id FROM claims").fetchall()]
        raw_ids = [r[0] for r in con.execute("SELECT raw_id FROM raw_documents").fetchall()]
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
    return {
        "articles": articles,
        "claims": claims,
        "claim_ids": claim_ids,
        "raw_ids": raw_ids,
        "quarantined": quarantined,
    }


@pytest.fixture(scope="module")
def reference(archive: Path, child_script: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same backfill, uninterrupted."""
    db_path = tmp_path_factory.mktemp("reference") / "ref.duckdb"
    finish(start_child(child_script, archive, db_path))
    return snapshot(db_path)


def test_reference_backfill_loads_every_article_once(reference: dict) -> None:
    assert len(reference["articles"]) == len(set(reference["articles"])) == ARTICLES
    assert sum(reference["claims"].values()) == len(reference["claim_ids"]) > 0
    assert reference["quarantined"] == 0


def test_kill_9_in_the_middle_of_a_load_then_rerun(
    archive: Path, child_script: Path, reference: dict, tmp_path: Path
) -> None:
    db_path = tmp_path / "crash.duckdb"
    victim = start_child(child_script, archive, db_path, PAUSE_AT_COMMIT="3")
    wait_for_line(victim, "MIDLOAD")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)

    after_crash = snapshot(db_path)
    # Two pages were committed; the third, written but not committed, vanished whole.
    assert len(after_crash["articles"]) == 200
    assert len(set(after_crash["articles"])) == 200
    for article_id in after_crash["articles"]:
        assert after_crash["claims"].get(article_id, 0) == reference["claims"].get(article_id, 0)

    rerun = finish(start_child(child_script, archive, db_path))
    # The backfill resumed from its checkpoint: pages 3 and 4 only (plus robots.txt at most).
    assert rerun["new"] == ARTICLES - 200
    assert rerun["requests"] <= 3

    final = snapshot(db_path)
    assert sorted(final["articles"]) == sorted(reference["articles"])
    assert final["claims"] == reference["claims"]
    assert sorted(final["claim_ids"]) == sorted(reference["claim_ids"])
    assert len(final["raw_ids"]) == len(set(final["raw_ids"]))
    assert final["quarantined"] == 0


def test_a_second_run_waits_then_exits_naming_the_first(
    archive: Path, child_script: Path, reference: dict, tmp_path: Path
) -> None:
    db_path = tmp_path / "shared.duckdb"
    release = tmp_path / "release"
    first = start_child(child_script, archive, db_path, HOLD_UNTIL_FILE=str(release))
    wait_for_line(first, "LOCKED")

    second = start_child(child_script, archive, db_path, RUN_LOCK_WAIT="1")
    _, err = second.communicate(timeout=60)
    assert second.returncode != 0
    assert f"another claimtrail run (pid {first.pid}) is writing {db_path}" in err

    waiting = start_child(child_script, archive, db_path, RUN_LOCK_WAIT="120")
    time.sleep(0.5)
    assert waiting.poll() is None, "the third run should be waiting for the lock"
    release.touch()
    assert finish(first)["new"] == ARTICLES
    assert finish(waiting)["new"] == 0

    final = snapshot(db_path)
    assert sorted(final["articles"]) == sorted(reference["articles"])
    assert final["claims"] == reference["claims"]


def test_run_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from flows import runlock\n"
            f"with runlock.hold({str(db_path)!r}):\n"
            "    print('LOCKED', flush=True); time.sleep(600)",
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_line(holder, "LOCKED")
    with (
        pytest.raises(runlock.RunInProgress, match=f"pid {holder.pid}"),
        runlock.hold(db_path, wait=0.3),
    ):
        pass
    holder.kill()
    holder.wait(timeout=30)
    with runlock.hold(db_path, wait=5) as path:
        assert path.read_text().strip() == str(os.getpid())


def _read_only_dir(directory: Path) -> None:
    """Make `directory` unwritable, for root too (a read-only bind mount), else by mode."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(directory), str(directory)], check=True)
        subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(directory)], check=True, capture_output=True
        )
    else:
        for path in directory.iterdir():
            path.chmod(0o444)
        directory.chmod(0o555)


def _undo_read_only(directory: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["umount", str(directory)], check=False)
    else:
        directory.chmod(0o755)


def test_read_only_warehouse_is_a_clear_error_and_nothing_changes(
    archive: Path, tmp_path: Path
) -> None:
    from flows.daily import run_sources

    folder = tmp_path / "ro"
    folder.mkdir()
    db_path = folder / "w.duckdb"
    with db.writer(db_path):
        pass
    before = snapshot(db_path)
    try:
        _read_only_dir(folder)
    except subprocess.CalledProcessError:
        pytest.skip("cannot make a read-only mount here")
    try:
        with pytest.raises(db.WarehouseReadOnly, match="nothing was written"):
            asyncio.run(
                run_sources(
                    config=archive / "sources.toml",
                    db_path=db_path,
                    source_ids=None,
                    replay=[archive / "archive.warc.gz"],
                    record=None,
                    run_kind="daily",
                )
            )
        assert snapshot(db_path) == before
    finally:
        _undo_read_only(folder)


def _small_filesystem(directory: Path, megabytes: int) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}M", "tmpfs", str(directory)],
        capture_output=True,
    )
    return done.returncode == 0


def test_disk_full_fails_clearly_and_keeps_only_whole_batches(
    archive: Path, child_script: Path, reference: dict, tmp_path: Path
) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    if not _small_filesystem(folder, 6):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        db_path = folder / "w.duckdb"
        full = start_child(child_script, archive, db_path)
        _, err = full.communicate(timeout=120)
        assert full.returncode != 0, "the backfill should not fit in 6 MB"
        assert "No space left on device" in err, err[-2000:]

        state = snapshot(db_path)
        assert len(state["articles"]) == len(set(state["articles"]))
        assert len(state["articles"]) % 100 == 0  # whole API pages only
        for article_id in state["articles"]:
            assert state["claims"].get(article_id, 0) == reference["claims"].get(article_id, 0)
    finally:
        subprocess.run(["umount", str(folder)], check=False)

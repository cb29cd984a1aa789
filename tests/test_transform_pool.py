"""Parallel transforms give exactly what in-process transforms give."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows import transform_pool
from transforms.model import ParsedArticle, SourceProfile

PROFILE = SourceProfile("rex", "Rare Earth Exchanges", "newsletter")


def article(n: int) -> ParsedArticle:
    return ParsedArticle(
        source_id="rex",
        url=f"https://example.org/news/{n}/",
        title=f"China Minmetals signs deal {n}",
        content_html=(
            "<h2>Highlights</h2><ul><li>China Minmetals and CATL met.</li></ul>"
            f"<p>China Minmetals said on May {n % 28 + 1} it will build a plant in Guizhou "
            "that could process 20,000 tonnes of antimony ore a year.</p>"
            "<p>Disclaimer: This report is based on a release from a Chinese state-owned "
            "entity’s media.</p>"
        ),
        raw_id=f"raw{n}",
        extraction_method="wp-api",
        published_at=datetime(2025, 5, 1, tzinfo=UTC),
    )


def test_pool_and_in_process_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [(article(n), PROFILE) for n in range(12)]
    monkeypatch.setenv("CLAIMTRAIL_WORKERS", "1")
    serial = transform_pool.start_transforms(items).result()
    monkeypatch.setenv("CLAIMTRAIL_WORKERS", "2")
    monkeypatch.setattr(transform_pool, "MIN_PARALLEL_BATCH", 2)
    parallel = transform_pool.start_transforms(items).result()
    for table in ("articles", "repairs", "claims", "agents", "edges", "claim_entities", "roots"):
        assert getattr(parallel.rows, table).equals(getattr(serial.rows, table)), table
    assert parallel.problems == serial.problems == []
    # Every article is numbered by its place in the batch, whichever worker transformed it.
    assert parallel.rows.articles["item"].to_pylist() == list(range(12))
    assert set(parallel.rows.claims["item"].to_pylist()) == set(range(12))
    assert parallel.rows.claims.num_rows >= 24


def test_a_crashing_article_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("tagger bug")

    monkeypatch.setattr(transform_pool, "process_article", boom)
    transformed = transform_pool.start_transforms([(article(1), PROFILE)]).result()
    assert len(transformed.rows) == 0
    [problem] = transformed.problems
    assert (problem.stage, problem.reason, problem.raw_id) == (
        "transform",
        "transform_error",
        "raw1",
    )
    assert "tagger bug" in problem.detail


def test_a_batch_fed_while_read_gives_what_one_sent_whole_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [(article(n), PROFILE) for n in range(7)]
    whole = transform_pool.start_transforms(items).result()
    monkeypatch.setenv("CLAIMTRAIL_WORKERS", "2")
    monkeypatch.setattr(transform_pool, "MIN_PARALLEL_BATCH", 2)
    monkeypatch.setattr(transform_pool, "CHUNK_ARTICLES", 3)
    reading: list = []
    pending = transform_pool.PendingTransforms()
    for item in items:  # articles arrive one by one; whole chunks leave as soon as they fill
        reading.append(item)
        pending.offer(reading)
    # Two chunks of 3 went to the pool while reading; the last article is transformed here.
    fed = pending.result()
    for table in ("articles", "claims", "edges", "roots"):
        assert getattr(fed.rows, table).equals(getattr(whole.rows, table)), table
    assert fed.rows.articles["item"].to_pylist() == list(range(7))


ORPHAN_PARENT = """
import os, signal, sys, time
sys.path.insert(0, {repo!r})
from flows import transform_pool

if __name__ == "__main__":
    pool = transform_pool._shared_pool(2)
    for future in [pool.submit(time.sleep, 0.5) for _ in range(4)]:  # both workers start
        future.result()
    print(sorted(pool._processes), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    """A `kill -9` of a crawl must not leave its transform workers waiting for ever."""
    script = tmp_path / "parent.py"
    script.write_text(ORPHAN_PARENT.format(repo=str(Path(__file__).resolve().parents[1])))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    workers = json.loads(done.stdout.splitlines()[0])
    assert len(workers) == 2
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_a_submit_that_fails_midway_redoes_the_batch_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shutting the pool down cancels the chunks already queued: the batch must still come
    back whole, transformed in this process, not fail with CancelledError."""
    items = [(article(n), PROFILE) for n in range(8)]
    whole = transform_pool.start_transforms(items).result()
    monkeypatch.setenv("CLAIMTRAIL_WORKERS", "2")
    monkeypatch.setattr(transform_pool, "MIN_PARALLEL_BATCH", 2)
    monkeypatch.setattr(transform_pool, "CHUNK_ARTICLES", 2)
    queued: list[Future] = []

    class FailingOnThirdSubmit:
        def submit(self, *args: object) -> Future:
            if len(queued) == 2:
                raise OSError(11, "Resource temporarily unavailable")
            queued.append(Future())  # queued, never run: shutting down cancels it
            return queued[-1]

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            for future in queued:
                future.cancel()

    pool = FailingOnThirdSubmit()
    monkeypatch.setattr(transform_pool, "_shared_pool", lambda workers: pool)
    monkeypatch.setattr(transform_pool, "_pool", pool)
    pending = transform_pool.PendingTransforms()
    with pytest.warns(RuntimeWarning, match="parallel transforms unavailable"):
        pending.offer(items, final=True)
    transformed = pending.result()
    assert all(f.cancelled() for f in queued)
    assert transformed.rows.articles.equals(whole.rows.articles)
    assert transformed.rows.claims.equals(whole.rows.claims)

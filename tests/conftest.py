"""Shared test fixtures: offline by construction, one Prefect harness per session."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import prefect_env

prefect_env.configure()

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARCHIVE = REPO_ROOT / "samples" / "sites.warc.gz"
SAMPLE_SOURCES = REPO_ROOT / "sources.toml"
SHARED = REPO_ROOT.parent / "shared"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    """Refuse any connection that would leave this machine (tests are offline)."""
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and not (
        str(host).startswith("127.") or host in ("::1", "localhost", "0.0.0.0")
    ):
        raise OSError(f"tests are offline: refused a connection to {address!r}")
    _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _offline() -> Iterator[None]:
    socket.socket.connect = _loopback_only  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test of the session (~13 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "test.duckdb"


@pytest.fixture
def sample_archive() -> Path:
    return SAMPLE_ARCHIVE


@pytest.fixture
def in_tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the working directory in tmp, as a user would in a fresh checkout."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE_SOURCES, tmp_path / "sources.toml")
    for name in ("CLAIMTRAIL_DB", "CLAIMTRAIL_CONFIG"):
        os.environ.pop(name, None)
    return tmp_path


def crawl_offline(
    db: Path,
    archives: list[Path],
    source_ids: list[str] | None = None,
    config: Path = SAMPLE_SOURCES,
    run_kind: str = "test",
) -> list:
    """Crawl sources from WARC archives with the engine alone (no Prefect), as one run."""
    from extractors.base import Window
    from extractors.http import Fetcher, build_transport
    from extractors.registry import load_sources, select_sources
    from flows.crawl import CrawlContext, crawl_source
    from warehouse import db as warehouse_db
    from warehouse.runs import (
        RunSummary,
        finish_run,
        new_run_id,
        register_sources,
        start_run,
    )

    sources = select_sources(load_sources(config), source_ids or ["rareearthexchanges", "cngeo"])
    summary = RunSummary(new_run_id(run_kind), run_kind, [s.id for s in sources])
    with warehouse_db.writer(db) as con:
        register_sources(con, sources)
        start_run(con, summary, "test", {})
    fetcher = Fetcher(build_transport(archives), summary.run_id)
    ctx = CrawlContext(db, fetcher, summary.run_id, "test")
    try:
        results = [crawl_source(ctx, source, Window()) for source in sources]
    finally:
        fetcher.close()
    summary.status = "succeeded"
    with warehouse_db.writer(db) as con:
        finish_run(con, summary)
    return results


@pytest.fixture
def crawl() -> object:
    return crawl_offline

"""Opening the DuckDB warehouse: one writer at a time, migrations applied on open.

DuckDB lets one process hold a database file for writing and locks every other process out,
readers included, failing at once rather than waiting. Write connections are therefore kept
short and both writers and readers retry with backoff, then give up with a message that says
who holds the lock.

Closing a write connection checkpoints: DuckDB rewrites every row group that changed, and the
tables of raw documents and articles fit in one row group each (they have few, large rows), so
a checkpoint costs the size of the warehouse, not of the batch. A crawl therefore loads its
batches through a `WriteSession`: one connection, one transaction per batch, handed back (and
checkpointed) at the end of the crawl or after `WRITER_HOLD_SECONDS`, so readers still get in.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB = Path("data/claimtrail.duckdb")
LOCK_WAIT_SECONDS = float(os.environ.get("CLAIMTRAIL_LOCK_WAIT", "60"))
WRITER_HOLD_SECONDS = float(os.environ.get("CLAIMTRAIL_WRITER_HOLD", "30"))
"""Longest a crawl keeps the file between batches before letting readers in (they wait 60 s)."""
_RETRY_CAP_SECONDS = 0.2
"""Lock retries poll this often at most: a session hands the file back only briefly."""
_SESSION_CHECKPOINT_THRESHOLD = "256MB"
"""WAL size at which a session's commit checkpoints anyway: bounds the memory DuckDB holds for
data not yet in the file (the hold time usually releases the session first)."""
_SESSION_THREADS = 1
"""DuckDB threads for a write session. A batch load is a few small statements that gain little
from parallelism, while the transform workers already keep every core busy: one thread loads
10k articles in 4.5 s where the default (one per core) took 5.5 s even on an idle machine."""
_SESSION_MEMORY_LIMIT = "1GB"
"""DuckDB's memory for a write session. By default DuckDB may cache up to 80 % of RAM, and over
a long backfill it cached the whole growing warehouse: peak RSS went from 830 MiB at 10k
articles to 2.2 GiB at 50k. Loads only append and look up the batch's own rows, so a bounded
cache costs little. 512 MB was tried and is too tight: a reprocess holds up to the checkpoint
threshold (256 MB) of uncommitted-to-file rows plus the documents it reads, and failed at 50k
articles; with 1 GB the 50k reprocess peaks at 1.25 GiB."""
_migrate_lock = threading.Lock()
_sessions: weakref.WeakSet[WriteSession] = weakref.WeakSet()


class WarehouseBusy(RuntimeError):
    """Another process holds the database file; raised after waiting `LOCK_WAIT_SECONDS`."""


class WarehouseReadOnly(RuntimeError):
    """A write was attempted through a connection or file that cannot be written."""


def default_db_path() -> Path:
    """`CLAIMTRAIL_DB` if set, else `data/claimtrail.duckdb` under the working directory."""
    return Path(os.environ.get("CLAIMTRAIL_DB", DEFAULT_DB))


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"\(PID (\d+)\)", message)
                who = f"process {holder.group(1)}" if holder else "another process"
                raise WarehouseBusy(
                    f"{path} is in use by {who} (a run is probably loading); "
                    f"waited {wait:.0f}s. Try again when it finishes."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, _RETRY_CAP_SECONDS)


def connect(
    path: Path | str | None = None, *, read_only: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting politely for another process's lock.

    A writable connection applies pending migrations first; a read-only one requires an existing
    file (a reader never creates an empty warehouse by accident).
    """
    db_path = Path(path) if path is not None else default_db_path()
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    if read_only:
        _release_sessions(db_path)  # DuckDB refuses a read-only and a writable open in one process
        if not db_path.exists():
            raise FileNotFoundError(
                f"no warehouse at {db_path}: run `claimtrail demo` or `claimtrail run` first"
            )
        return _open(db_path, True, wait)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists() and not os.access(db_path, os.W_OK):
        raise WarehouseReadOnly(f"{db_path} is read-only; nothing was written")
    con = _open(db_path, False, wait)
    try:
        migrate(con)
    except Exception:
        con.close()
        raise
    return con


@contextmanager
def writer(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived write connection: open, yield, close (so readers are locked out briefly)."""
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


class WriteSession:
    """One write connection shared by the batches of a crawl (one transaction each).

    `connection()` opens it on first use; `release()` closes it, which checkpoints. It is also
    released `hold` seconds after opening (by a timer, once the batch in flight commits) and
    when this process opens the same file read-only, so a forgotten session never keeps readers
    out for long. Commits land in the WAL, so a crash loses only the batch in flight, as with
    a connection per batch; the next open replays the WAL.
    """

    def __init__(self, path: Path | str, hold: float | None = None) -> None:
        self.path = Path(path)
        self.hold = WRITER_HOLD_SECONDS if hold is None else hold
        self._con: duckdb.DuckDBPyConnection | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.RLock()
        _sessions.add(self)

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The session's connection, opened if needed; held for the duration of the block."""
        with self._lock:
            if self._con is None:
                self._con = connect(self.path)
                self._con.execute(f"SET checkpoint_threshold = '{_SESSION_CHECKPOINT_THRESHOLD}'")
                self._con.execute(f"SET threads = {_SESSION_THREADS}")
                self._con.execute(f"SET memory_limit = '{_SESSION_MEMORY_LIMIT}'")
                self._timer = threading.Timer(self.hold, self.release)
                self._timer.daemon = True
                self._timer.start()
            yield self._con

    def release(self) -> None:
        """Close the connection (checkpointing what it wrote); the next batch opens a new one."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._con is not None:
                con, self._con = self._con, None
                con.close()

    def __enter__(self) -> WriteSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _release_sessions(path: Path | None = None) -> None:
    """Close the open write sessions of this process (on `path` only, if given)."""
    for session in list(_sessions):
        if path is None or session.path.resolve() == path.resolve():
            session.release()


atexit.register(_release_sessions)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: a crash or error inside leaves no partial batch behind."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migration_files() -> list[tuple[str, str]]:
    """(version, sql) for every file in warehouse/migrations, in filename order."""
    folder = resources.files("warehouse") / "migrations"
    files = sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
    return [(name.removesuffix(".sql"), sql) for name, sql in files]


def _ensure_migrations_table(con: duckdb.DuckDBPyConnection) -> None:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if exists:
        return
    with transaction(con):
        con.execute(
            "CREATE TABLE schema_migrations ("
            " version VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        con.execute(
            "COMMENT ON TABLE schema_migrations IS "
            "'Warehouse schema versions applied (one row per file in warehouse/migrations).'"
        )
        con.execute(
            "COMMENT ON COLUMN schema_migrations.version IS 'Migration file name without .sql.'"
        )
        con.execute(
            "COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied (UTC).'"
        )


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns the versions applied."""
    with _migrate_lock:
        _ensure_migrations_table(con)
        done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, sql in migration_files():
            if version in done:
                continue
            with transaction(con):
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
            applied.append(version)
        return applied

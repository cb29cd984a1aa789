"""One writing run per warehouse at a time: an advisory lock next to the database file.

DuckDB's own file lock only covers an open connection, and runs keep their write connections
short (one batch each) so that `claimtrail sql` can read in between. Two runs on the same file
would therefore interleave their batches, race on the daily cursor and fight over the lock for
their whole duration. Every writing run holds `<db>.run.lock` (an `flock`, released by the
kernel even on `kill -9`) for as long as it runs; a second run waits up to a timeout, then exits
with a message naming the process that holds it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.db import WarehouseBusy, WarehouseReadOnly

WAIT_SECONDS = float(os.environ.get("CLAIMTRAIL_RUN_LOCK_WAIT", "30"))
_POLL_SECONDS = 0.2


class RunInProgress(WarehouseBusy):
    """Another claimtrail run holds the warehouse's run lock (raised after waiting).

    A `WarehouseBusy`, so every command that already reports a busy warehouse reports this too.
    """


def lock_path(db_path: Path | str) -> Path:
    """Where the run lock of a warehouse lives: beside it, so it moves with the file."""
    db = Path(db_path)
    return db.with_name(db.name + ".run.lock")


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except OSError:
        pid = ""
    return pid or "unknown"


@contextmanager
def hold(db_path: Path | str, *, wait: float | None = None) -> Iterator[Path]:
    """Hold the run lock of `db_path` for the duration of the block.

    Waits up to `wait` seconds (default `CLAIMTRAIL_RUN_LOCK_WAIT`, 30) for another run to
    finish, then raises `RunInProgress`. The lock file keeps the holder's PID for that message;
    it is left in place afterwards (removing it would let a third run lock a different inode).
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseReadOnly(
            f"{db_path}: cannot create the run lock {path} ({exc.strerror}); nothing was written"
        ) from exc
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunInProgress(
                        f"another claimtrail run (pid {_holder(path)}) is writing {db_path}; "
                        f"waited {wait:.0f}s. Try again when it finishes."
                    ) from None
                time.sleep(_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        os.fsync(fd)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

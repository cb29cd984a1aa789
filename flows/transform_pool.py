"""Running the pure transforms (repair, structure, claims) on every core.

The transforms are CPU-bound Python, so threads don't help; a process pool does, because each
article is independent: plain picklable dataclasses go in, Arrow tables (warehouse/rows.py) come
back. The pool is started once per process: up front (`warm_up`) for runs known to be large,
otherwise only when a batch is big enough to repay the hand-off (a daily run with a handful of
new articles transforms them in-process). Results are identical either way: the same
`process_article` runs in both places.

Like every forkserver/spawn pool, workers import the launching script as `__mp_main__`: a script
that drives the engine must keep its work under `if __name__ == "__main__":` (the `claimtrail`
command does), or set CLAIMTRAIL_WORKERS=1. Whatever that script imports at the top, each worker
imports again before its first article (0.23 s for the `claimtrail` command).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import threading
import warnings
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection

from transforms.model import ParsedArticle, Problem, SourceProfile
from transforms.pipeline import ProcessedArticle, StageTimer, process_article
from warehouse.rows import TaggedRows

MIN_PARALLEL_BATCH = 40
"""Below this many articles the hand-off to worker processes costs more than it saves."""


def worker_count() -> int:
    """`CLAIMTRAIL_WORKERS` if set (1 = no pool), else one worker per core."""
    configured = os.environ.get("CLAIMTRAIL_WORKERS")
    return max(1, int(configured)) if configured else (os.cpu_count() or 1)


@dataclass(frozen=True)
class Transformed:
    """A batch's (or a chunk's) transforms: the rows to load, the problems that replaced the
    articles that failed, and seconds per stage."""

    rows: TaggedRows
    problems: list[Problem]
    seconds: dict[str, float]

    @classmethod
    def combine(cls, parts: list[Transformed]) -> Transformed:
        seconds: dict[str, float] = {}
        for part in parts:
            for stage, value in part.seconds.items():
                seconds[stage] = seconds.get(stage, 0.0) + value
        return cls(
            TaggedRows.concat([p.rows for p in parts]),
            [problem for p in parts for problem in p.problems],
            seconds,
        )


def _transform_chunk(
    items: list[tuple[ParsedArticle, SourceProfile]], first_item: int = 0
) -> Transformed:
    """Transform articles numbered from `first_item` and turn them into warehouse rows here, in
    the worker: Arrow tables cross back to the loading process as flat buffers. An article whose
    transform crashes becomes a quarantine problem, never a failed batch."""
    timer = StageTimer()
    done: list[tuple[int, ProcessedArticle]] = []
    problems: list[Problem] = []
    for item, (parsed, profile) in enumerate(items, start=first_item):
        try:
            done.append((item, process_article(parsed, profile, timer)))
        except Exception as exc:
            problems.append(
                Problem(
                    "transform",
                    parsed.url,
                    "transform_error",
                    f"{type(exc).__name__}: {exc}",
                    parsed.raw_id,
                )
            )
    with timer.stage("rows"):
        rows = TaggedRows.build(done)
    return Transformed(rows, problems, dict(timer.seconds))


def _start_worker(parent_alive: Connection) -> None:
    """Set a worker up: it exits with the process that started the pool, and collects garbage
    cheaply.

    A killed parent (`kill -9`, the OOM killer) never tells its workers: they wait on their
    task queue for ever (they hold its write end themselves), keeping their memory and the
    forkserver alive. `parent_alive` is the read end of a pipe whose only write end the parent
    holds and never writes to: a daemon thread waits on it, and its end of file means the
    parent is gone, even while the parent is still an unreaped zombie.

    The transforms allocate millions of short-lived objects that form no cycles, and every full
    collection would also walk the objects loaded at import (gazetteer, compiled patterns, the
    repair model). Freezing those and collecting the young generation less often saves ~8 % of
    the transforms' CPU time (per article on the benchmark sample: 2.42 -> 2.22 ms).
    """
    threading.Thread(target=_exit_with_parent, args=(parent_alive,), daemon=True).start()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _exit_with_parent(parent_alive: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        parent_alive.recv()  # nothing is ever sent: this returns when the parent's end closes
    os._exit(1)


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
_alive_write_end: Connection | None = None
"""Held open (never written) for as long as this process lives: see `_start_worker`."""


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool, started on first use; forkserver because the parent runs threads
    (Prefect, DuckDB) that must not be forked, with the transforms preloaded once."""
    global _pool, _alive_write_end
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["transforms.pipeline", "warehouse.rows"])
            alive_read_end, _alive_write_end = context.Pipe(duplex=False)
            _pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(alive_read_end,),
            )
            atexit.register(_pool.shutdown)
        return _pool


CHUNK_ARTICLES = 25
"""Articles per task sent to a worker: small enough that workers start on a batch while it is
still being read, large enough that the per-task overhead stays negligible."""


def warm_up() -> None:
    """Start the worker processes now, in the background, for a run known to be large (a
    backfill, a source's first run, a reprocess): their start-up (the forkserver importing the
    transforms, ~0.4 s) then overlaps the first fetches instead of delaying the first batch."""
    workers = worker_count()
    if workers > 1:
        threading.Thread(target=_start_workers, args=(workers,), daemon=True).start()


def _start_workers(workers: int) -> None:
    try:
        pool = _shared_pool(workers)
        for _ in range(workers):
            pool.submit(int)
    except (BrokenProcessPool, OSError, RuntimeError) as exc:  # RuntimeError: shut down
        _disable_pool(exc)


class PendingTransforms:
    """A batch's transforms, started on the pool a chunk at a time while the batch is read
    (or done in-process when the batch stays small); `result()` waits for all of them."""

    def __init__(self) -> None:
        self._items: list[tuple[ParsedArticle, SourceProfile]] = []
        self._futures: list[Future[Transformed]] = []
        self._sent = 0
        self._done: Transformed | None = None

    def offer(
        self, items: list[tuple[ParsedArticle, SourceProfile]], *, final: bool = False
    ) -> None:
        """Send the articles of `items` (the batch's list so far) not sent yet, whole chunks
        only unless `final`. Nothing goes to the pool before the batch is big enough to repay
        the hand-off, so a daily run with a handful of new articles never starts it."""
        self._items = items
        workers = worker_count()
        if workers == 1 or len(items) < MIN_PARALLEL_BATCH:
            return
        while len(items) - self._sent >= CHUNK_ARTICLES or (final and self._sent < len(items)):
            chunk = items[self._sent : self._sent + CHUNK_ARTICLES]
            try:
                future = _shared_pool(workers).submit(_transform_chunk, chunk, self._sent)
            except (BrokenProcessPool, OSError) as exc:
                # E.g. a script without an `if __name__ == "__main__":` guard cannot start
                # workers. Correct results matter more than speed: the rest is done here.
                _disable_pool(exc)
                return
            self._futures.append(future)
            self._sent += len(chunk)

    def done(self) -> bool:
        """Whether every chunk sent to the pool is done (what was not sent is done in-process
        by `result()`, as for a small batch)."""
        return self._done is not None or all(f.done() for f in self._futures)

    def result(self) -> Transformed:
        if self._done is None:
            try:
                parts = [f.result() for f in self._futures]
            except (BrokenProcessPool, OSError, CancelledError) as exc:
                # A broken pool, or one shut down (with its queued chunks cancelled) because a
                # later submit failed: the whole batch is redone here, from its first article.
                _disable_pool(exc)
                parts, self._sent = [], 0
            if self._sent < len(self._items):
                parts.append(_transform_chunk(self._items[self._sent :], self._sent))
            self._done = Transformed.combine(parts)
        return self._done


def start_transforms(items: list[tuple[ParsedArticle, SourceProfile]]) -> PendingTransforms:
    """Start transforming a whole batch at once: on the worker processes when it pays."""
    pending = PendingTransforms()
    pending.offer(items, final=True)
    return pending


def _disable_pool(reason: BaseException) -> None:
    """Carry on in this process from now on (said once, however many batches find out)."""
    global _pool
    if os.environ.get("CLAIMTRAIL_WORKERS") != "1":
        warnings.warn(
            f"parallel transforms unavailable ({type(reason).__name__}: {reason}); "
            "transforming in-process",
            RuntimeWarning,
            stacklevel=3,
        )
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
    os.environ["CLAIMTRAIL_WORKERS"] = "1"

"""Running the pure transforms (repair, structure, claims) on every core.

The transforms are CPU-bound Python, so threads don't help; a process pool does, because each
article is independent and its inputs and outputs are plain picklable dataclasses. The pool is
started once per process and only when a batch is big enough to repay the hand-off (a daily run
with a handful of new articles transforms them in-process). Results are identical either way:
the same `process_article` runs in both places.

Like every forkserver/spawn pool, workers import the launching script as `__mp_main__`: a script
that drives the engine must keep its work under `if __name__ == "__main__":` (the `claimtrail`
command does), or set CLAIMTRAIL_WORKERS=1.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from transforms.model import ParsedArticle, Problem, SourceProfile
from transforms.pipeline import ProcessedArticle, StageTimer, process_article

MIN_PARALLEL_BATCH = 40
"""Below this many articles the hand-off to worker processes costs more than it saves."""


def worker_count() -> int:
    """`CLAIMTRAIL_WORKERS` if set (1 = no pool), else one worker per core."""
    configured = os.environ.get("CLAIMTRAIL_WORKERS")
    return max(1, int(configured)) if configured else (os.cpu_count() or 1)


@dataclass(frozen=True)
class Outcome:
    """One article's transform: the result, or the problem that replaced it, and stage times."""

    processed: ProcessedArticle | None
    problem: Problem | None
    seconds: dict[str, float]


def transform_one(parsed: ParsedArticle, profile: SourceProfile) -> Outcome:
    """Transform one article; a crash becomes a quarantine problem, never a failed batch."""
    timer = StageTimer()
    try:
        return Outcome(process_article(parsed, profile, timer), None, dict(timer.seconds))
    except Exception as exc:
        problem = Problem(
            "transform",
            parsed.url,
            "transform_error",
            f"{type(exc).__name__}: {exc}",
            parsed.raw_id,
        )
        return Outcome(None, problem, dict(timer.seconds))


def _transform_chunk(items: list[tuple[ParsedArticle, SourceProfile]]) -> list[Outcome]:
    return [transform_one(parsed, profile) for parsed, profile in items]


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool, started on first use; forkserver because the parent runs threads
    (Prefect, DuckDB) that must not be forked, with the transforms preloaded once."""
    global _pool
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["transforms.pipeline"])
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            atexit.register(_pool.shutdown)
        return _pool


class PendingTransforms:
    """Transforms under way on the pool (or already done in-process); `result()` waits."""

    def __init__(
        self,
        items: list[tuple[ParsedArticle, SourceProfile]],
        futures: list[Future[list[Outcome]]] | None = None,
        done: list[Outcome] | None = None,
    ) -> None:
        self._items, self._futures, self._done = items, futures, done

    def done(self) -> bool:
        """Whether `result()` would return without waiting."""
        return self._done is not None or all(f.done() for f in self._futures or [])

    def result(self) -> list[Outcome]:
        if self._done is None:
            try:
                self._done = [o for future in self._futures or [] for o in future.result()]
            except (BrokenProcessPool, OSError) as exc:
                _disable_pool(exc)
                self._done = _transform_chunk(self._items)
        return self._done


def start_transforms(items: list[tuple[ParsedArticle, SourceProfile]]) -> PendingTransforms:
    """Start transforming a batch: on the worker processes when it pays, else right here.

    Returning before the work is done lets the caller load the previous batch meanwhile.
    """
    workers = worker_count()
    if workers == 1 or len(items) < MIN_PARALLEL_BATCH:
        return PendingTransforms(items, done=_transform_chunk(items))
    size = max(4, len(items) // (workers * 4))
    try:
        pool = _shared_pool(workers)
        futures = [
            pool.submit(_transform_chunk, items[i : i + size]) for i in range(0, len(items), size)
        ]
    except (BrokenProcessPool, OSError) as exc:
        # E.g. a script without an `if __name__ == "__main__":` guard cannot start workers.
        # Correct results matter more than speed: carry on in this process from now on.
        _disable_pool(exc)
        return PendingTransforms(items, done=_transform_chunk(items))
    return PendingTransforms(items, futures=futures)


def _disable_pool(reason: BaseException) -> None:
    global _pool
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

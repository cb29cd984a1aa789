"""The measured workloads of `benchmarks.run`, each run in its own process.

Each workload prints one JSON object on its last line. Running them as child processes gives
every measurement a fresh interpreter, so the peak RSS (`ru_maxrss`, a high-water mark) belongs
to that workload alone, and a size's figures do not inherit caches from the previous size.

This entry module imports nothing heavy at the top: the transform workers (forkserver) import
the launching module again, and the workloads' imports (0.6 s per worker) made the benchmark's
start-up heavier than the `claimtrail` command's own (0.23 s per worker for flows.cli).

Usage (normally called by `benchmarks.run`):
    python -m benchmarks.pipeline_bench crawl ARCHIVE_DIR DB      (backfill, or daily on a full DB)
    python -m benchmarks.pipeline_bench reprocess ARCHIVE_DIR DB
    python -m benchmarks.pipeline_bench transform-parallel ARCHIVE_DIR SAMPLE
    python -m benchmarks.pipeline_bench prefect-tasks ARCHIVE_DIR SAMPLE
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    from benchmarks import workloads

    workload, archive = sys.argv[1], Path(sys.argv[2])
    run_id = f"bench-{workload}-{os.getpid()}"
    if workload == "crawl":
        result = workloads.crawl(archive, Path(sys.argv[3]), run_id)
    elif workload == "reprocess":
        result = workloads.reprocess(archive, Path(sys.argv[3]), run_id)
    elif workload == "transform-parallel":
        result = workloads.transform_parallel(archive, int(sys.argv[3]))
    elif workload == "prefect-tasks":
        result = workloads.prefect_tasks(archive, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown workload {workload!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

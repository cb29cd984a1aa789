"""`claimtrail serve`: the daily run and the canary on a schedule, on one machine.

Prefect cannot schedule on the temporary server it starts when none is configured (runs are
silently never created), so serving needs a real `prefect server start`. This command finds
one (PREFECT_API_URL, else http://127.0.0.1:4200) or starts one as a child process, says which,
then registers the two deployments and serves them until interrupted. Teams with a Prefect
server and a work pool use `prefect.yaml` instead (`prefect deploy --all`).

The schedule lives in `sources.toml`:

    [schedule]
    daily_cron = "0 6 * * *"     # default: 06:00 every day
    canary_cron = "30 5 * * *"   # default: 05:30, so a broken source is known before the run
    timezone = "UTC"             # default
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import httpx

DEFAULT_API_URL = "http://127.0.0.1:4200/api"
SERVER_START_SECONDS = 90.0


@dataclass(frozen=True)
class Schedule:
    """When the scheduled flows run (cron expressions, in `timezone`)."""

    daily_cron: str = "0 6 * * *"
    canary_cron: str = "30 5 * * *"
    timezone: str = "UTC"


def load_schedule(config: Path) -> Schedule:
    """The `[schedule]` table of the source registry, over the defaults."""
    table = tomllib.loads(config.read_text(encoding="utf-8")).get("schedule", {})
    unknown = sorted(set(table) - set(Schedule.__dataclass_fields__))
    if unknown:
        raise ValueError(f"{config}: unknown [schedule] keys {', '.join(unknown)}")
    return Schedule(**table)


def server_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at `api_url`."""
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class ServerChoice:
    api_url: str
    how: str
    """found | started"""
    process: subprocess.Popen | None = None


def find_or_start_server(log_path: Path, wait: float = SERVER_START_SECONDS) -> ServerChoice:
    """A running Prefect server's API URL, starting `prefect server start` if none answers."""
    api_url = os.environ.get("PREFECT_API_URL") or DEFAULT_API_URL
    if server_healthy(api_url):
        return ServerChoice(api_url, "found")
    if os.environ.get("PREFECT_API_URL"):
        raise RuntimeError(f"PREFECT_API_URL={api_url} does not answer its health check")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    prefect = Path(sys.executable).with_name("prefect")
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", "4200"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with {process.returncode}; see {log_path}")
        if server_healthy(api_url):
            return ServerChoice(api_url, "started", process)
        time.sleep(1.0)
    process.terminate()
    raise RuntimeError(f"prefect server did not answer within {wait:.0f}s; see {log_path}")


def serve_flows(config: Path, db_path: Path, schedule: Schedule) -> None:
    """Register the daily and canary deployments and run them on schedule (blocks)."""
    from prefect import serve
    from prefect.schedules import Cron

    from flows.daily import canary_flow, daily_flow

    daily = daily_flow.to_deployment(
        name="daily",
        schedules=[Cron(schedule.daily_cron, timezone=schedule.timezone)],
        parameters={"config": str(config.resolve()), "db_path": str(db_path.resolve())},
        enforce_parameter_schema=False,
        description="Fetch what is new from every enabled source and load it.",
    )
    canary = canary_flow.to_deployment(
        name="canary",
        schedules=[Cron(schedule.canary_cron, timezone=schedule.timezone)],
        parameters={"config": str(config.resolve())},
        enforce_parameter_schema=False,
        description="One live item per source; fails when a source broke.",
    )
    serve(daily, canary)

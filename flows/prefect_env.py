"""Prefect settings claimtrail needs, applied before Prefect is first imported.

Prefect reads its settings from the environment at import time. Without a configured server it
starts a temporary one per process; a cold start takes ~10 s here (~20 s on a fresh
PREFECT_HOME, while its SQLite database initialises and may report "database is locked"), so the
start-up timeout is raised well above Prefect's default and its log chatter is turned down so a
run prints only claimtrail's own summary. A user's explicit settings always win.
"""

from __future__ import annotations

import os

QUIET_DEFAULTS = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_CLIENT_MAX_RETRIES": "8",
}


def configure() -> None:
    """Set claimtrail's Prefect defaults unless the user has set them."""
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)

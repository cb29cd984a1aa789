"""Command-line interface (placeholder until the skeleton lands)."""


def main() -> None:
    raise SystemExit("not yet")

"""Dates as sources write them, made into aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def parse_datetime(value: str | None, *, naive_is_utc: bool = True) -> datetime | None:
    """ISO 8601 or RFC 822 text to an aware UTC datetime; None when absent or unreadable.

    WordPress `*_gmt` fields and most APIs give naive UTC; page metadata carries an offset
    (Rare Earth Exchanges writes UTC-7) that is honoured and normalised to UTC.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if parsed.tzinfo is None:
        if not naive_is_utc:
            return None
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


_DATE_IN_TEXT = re.compile(r"(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")


def parse_listed_date(text: str | None, fmt: str | None = None) -> datetime | None:
    """A date as a listing or page header prints it ("2025-01-15", "[2025/01/15]", "2025年1月15日").

    With `fmt` (strptime) only that format is accepted; otherwise a full timestamp is tried
    first, then the first year-month-day found in the text. Listing dates carry no zone: UTC.
    """
    if not text or not text.strip():
        return None
    if fmt:
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            return None
    full = parse_datetime(text)
    if full is not None:
        return full
    return date_from_match(_DATE_IN_TEXT.search(text))


def date_from_match(match: re.Match[str] | None) -> datetime | None:
    """A UTC midnight from a match with named groups y, m, d (None when absent or invalid)."""
    if match is None:
        return None
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), tzinfo=UTC)
    except (IndexError, ValueError):
        return None


def cursor_text(when: datetime) -> str:
    """The form cursors are stored in: naive UTC ISO seconds (sorts as text)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


EARLIEST_PLAUSIBLE = datetime(1980, 1, 1, tzinfo=UTC)
"""Older "publication" dates on these sources are template defaults or typos, not history."""
FUTURE_SLACK = timedelta(days=2)
"""A page may be stamped a day ahead of the fetch (time zones, scheduled posts), not more."""


def implausible(when: datetime | None, fetched_at: datetime) -> str | None:
    """Why a publication time cannot be right for a page fetched at `fetched_at`, or None."""
    if when is None:
        return None
    if when < EARLIEST_PLAUSIBLE:
        return f"{when.isoformat()} is before {EARLIEST_PLAUSIBLE.date()}"
    if when > fetched_at + FUTURE_SLACK:
        return f"{when.isoformat()} is after the page was fetched ({fetched_at.isoformat()})"
    return None

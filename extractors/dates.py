"""Dates as sources write them, made into aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
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

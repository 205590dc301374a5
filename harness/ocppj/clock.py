"""Timestamps as the harness emits them."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_timestamp(moment: datetime | None = None) -> str:
    """Format `moment` (default now) as UTC with millisecond precision and a `Z`.

    OCPP 2.0.1 dateTime datatype: senders SHALL NOT use more than 3 fractional digits.
    """
    moment = datetime.now(UTC) if moment is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> datetime:
    """Parse an OCPP dateTime (RFC 3339) into an aware datetime; raises ValueError."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no UTC offset")
    return value

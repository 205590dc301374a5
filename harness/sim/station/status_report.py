"""Connector status reports that stay correct when the status changes while one is in flight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Send = Callable[..., Awaitable[object | None]]


async def report_status(
    send: Send,
    reported: dict[int, str],
    key: int,
    status: str,
    payload: dict[str, Any],
    *,
    triggered: bool,
) -> None:
    """Send StatusNotification for `key`, counting `status` as reported from the start.

    A change that happens while the report awaits its answer (a CancelReservation answered
    meanwhile) then sees the new status as already reported and sends its own report. A
    report that does not go out (offline) is forgotten, so it is sent after reconnecting.
    """
    previous = reported.get(key)
    reported[key] = status
    sent = await send("StatusNotification", payload, triggered=triggered)
    if sent is None and reported.get(key) == status:
        if previous is None:
            reported.pop(key, None)
        else:
            reported[key] = previous

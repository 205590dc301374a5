"""Stop a simulator whose parent died: a harness killed with SIGKILL (or a CI timeout) cannot
stop the simulators it launched, so each one watches its parent process instead."""

from __future__ import annotations

import asyncio
import os

#: Seconds between two looks at the parent process id.
INTERVAL = 1.0


async def stop_when_orphaned(stop: asyncio.Event, interval: float = INTERVAL) -> None:
    """Set `stop` once the process is re-parented (its launcher is gone)."""
    parent = os.getppid()
    while not stop.is_set():
        await asyncio.sleep(interval)
        if os.getppid() != parent:
            stop.set()

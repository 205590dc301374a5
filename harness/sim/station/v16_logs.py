"""OCPP 1.6 log retrieval (security whitepaper ed. 3, N01) of the reference charge point.

GetLog: Accepted with the file name (N01.FR.01), then LogStatusNotification.req Uploading and
Uploaded / UploadFailure, each with the GetLog.req's requestId (N01.FR.07-10). A new GetLog
while one runs cancels it: AcceptedCanceled (N01.FR.11). Nothing is transferred; the
locations follow `v16_firmware.reachable` (a `.invalid` host fails). The security log is the
one `v16_security` keeps (N01.FR.03, N01.FR.05).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.sim.station.link import Answer, Payload
from harness.sim.station.v16_firmware import reachable

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]
#: Seconds one simulated upload attempt takes.
STAGE = 0.2
#: Upper bound (s) of a retryInterval, so a huge value cannot hold a task forever.
MAX_WAIT = 3600.0


async def get_log(v: V16, p: Payload) -> Answer:
    """GetLog (N01): file name, then the upload reported with the requestId."""
    security = v.security
    request_id = int(p["requestId"])
    location = str(p["log"]["remoteLocation"])
    kind = "security" if p["logType"] == "SecurityLog" else "diagnostics"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{kind}-{v.config.station_id}-{stamp}.log"[:255]
    running = security.upload
    canceled = running is not None and not running.done()
    if running is not None and canceled:
        running.cancel()  # N01.FR.11

    async def notify(status: str) -> None:
        payload: Payload = {"status": status, "requestId": request_id}
        if v.config.fault("log-status-request-id-missing"):
            del payload["requestId"]  # breaks N01.FR.07 / N01.FR.12
        await v.station.send("LogStatusNotification", payload)

    async def run() -> None:
        await notify("Uploading")  # N01.FR.08
        attempts = max(1, int(p.get("retries", 1)))
        done = False
        for attempt in range(attempts):
            await asyncio.sleep(STAGE)
            done = reachable(location)
            if done:
                break
            if attempt + 1 < attempts:
                await asyncio.sleep(min(float(p.get("retryInterval", 1)), MAX_WAIT))
        await notify("Uploaded" if done else "UploadFailure")  # N01.FR.09 / N01.FR.10

    async def start() -> None:
        security.upload = asyncio.current_task()
        await run()

    status = "AcceptedCanceled" if canceled else "Accepted"
    return Answer({"status": status, "filename": name}, then=start)


LOG_COMMANDS: dict[str, Command] = {"GetLog": get_log}

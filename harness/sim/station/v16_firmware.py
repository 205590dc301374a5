"""OCPP 1.6 Firmware Management of the reference charge point: firmware update and diagnostics.

UpdateFirmware (§5.19, errata 3.47): answer, wait for retrieveDate, FirmwareStatusNotification
Downloading -> Downloaded, wait for transactions to finish, Installing, reboot, and after the
accepted BootNotification, Installed (§4.5: the notifications keep the Central System informed).
GetDiagnostics (§5.9, errata 3.31): answer with the file name, then DiagnosticsStatusNotification
Uploading -> Uploaded (§4.4).

Nothing is transferred. Which locations work is documented here so cases can aim at failures:

* a location that is not a URL (scheme and host), or whose host ends in `.invalid` (RFC 2606:
  never resolves, e.g. `ftp://unreachable.invalid/fw.bin`), cannot be reached: after `retries`
  attempts `retryInterval` apart, DownloadFailed / UploadFailed;
* a firmware file whose name contains `corrupt` downloads but fails to install:
  InstallationFailed, no reboot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from harness.ocppj.clock import parse_timestamp
from harness.sim.station.link import Answer, Payload

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]
#: Seconds each simulated stage (download, install, upload) takes.
STAGE = 0.2
#: Upper bounds so a far-away retrieveDate or a long transaction cannot hold a task forever.
MAX_WAIT = 3600.0


def reachable(location: str) -> bool:
    """True when a transfer to/from `location` succeeds in the simulation (see module doc)."""
    parts = urlsplit(location)
    host = parts.hostname or ""
    return bool(parts.scheme and host) and not host.endswith(".invalid")


async def _attempt(location: str, p: Payload) -> bool:
    """Try `retries` times (at least once), `retryInterval` s apart (§6.25/§6.48)."""
    attempts = max(1, int(p.get("retries", 1)))
    for attempt in range(attempts):
        await asyncio.sleep(STAGE)
        if reachable(location):
            return True
        if attempt + 1 < attempts:
            await asyncio.sleep(min(float(p.get("retryInterval", 1)), MAX_WAIT))
    return False


async def update_firmware(v: V16, p: Payload) -> Answer:
    """UpdateFirmware (§5.19): an empty conf, then the update in the background."""
    station, location = v.station, str(p["location"])
    unreported = v.config.fault("firmware-failure-unreported")

    async def notify(status: str) -> None:
        if status == "Installing" and v.config.fault("firmware-skips-installing"):
            return
        await station.send("FirmwareStatusNotification", {"status": status})

    async def run() -> None:
        delay = (parse_timestamp(str(p["retrieveDate"])) - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(min(max(0.0, delay), MAX_WAIT))  # §5.19: after retrieveDate
        await notify("Downloading")
        if not await _attempt(location, p) and not unreported:
            await notify("DownloadFailed")
            return
        await notify("Downloaded")
        waited = 0.0
        while any(e.transaction is not None for e in station.evses.values()):
            if waited >= MAX_WAIT:
                break  # errata 3.47 "Waiting for transactions to finish", bounded
            await asyncio.sleep(STAGE)
            waited += STAGE
        await notify("Installing")
        await asyncio.sleep(STAGE)
        if "corrupt" in urlsplit(location).path and not unreported:
            await notify("InstallationFailed")
            return
        await station.reboot("FirmwareUpdate", cause="Reboot", close_frame=True)
        waited = 0.0
        while not station.accepted and waited < MAX_WAIT:
            await asyncio.sleep(0.05)
            waited += 0.05
        await notify("Installed")  # errata 3.47: after the BootNotification.conf

    return Answer({}, then=run)


async def get_diagnostics(v: V16, p: Payload) -> Answer:
    """GetDiagnostics (§5.9): the file name now, then Uploading -> Uploaded / UploadFailed."""
    station, location = v.station, str(p["location"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"diagnostics-{v.config.station_id}-{stamp}.log"[:255]

    async def run() -> None:
        await station.send("DiagnosticsStatusNotification", {"status": "Uploading"})
        done = await _attempt(location, p)
        if v.config.fault("diagnostics-upload-failure-unreported"):
            done = True
        status = "Uploaded" if done else "UploadFailed"
        await station.send("DiagnosticsStatusNotification", {"status": status})

    answer = {} if v.config.fault("diagnostics-no-file-name") else {"fileName": name}
    return Answer(answer, then=run)


FIRMWARE_COMMANDS: dict[str, Command] = {
    "UpdateFirmware": update_firmware,
    "GetDiagnostics": get_diagnostics,
}

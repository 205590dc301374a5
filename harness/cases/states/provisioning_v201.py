"""Station-side steps of the 2.0.1 provisioning cases (block B) with a CSMS under test.

Boot with an armed Pending/Rejected answer (B02/B03), report every connector, send the
NotifyReport messages of a report (B07/B08), and the reboot after a ResetRequest (B11/B12).
"""

from __future__ import annotations

import asyncio
from typing import Any

from harness.cases.checks import Checks
from harness.cases.states.csms_v201 import status
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome
from harness.roles.station import StationEmulator

Payload = dict[str, Any]


async def arm_first_boot(dut: Dut, boot_status: str, interval: int) -> None:
    """Prerequisite "the CSMS is configured to first respond ... with status Pending/Rejected".

    Asks the CSMS through its trigger backend (`set-pending-boot`, FIELD_NOTES) to answer the
    next BootNotification with `boot_status` and retry `interval` seconds.
    """
    await dut.trigger("set-pending-boot", {"status": boot_status, "interval": interval})


def retry_wait(boot: CallOutcome, dut: Dut) -> float:
    """Seconds to wait before booting again after a Pending answer (Table 463 notes).

    The answer's interval, or the heartbeat interval when it is 0; never more than the
    profile's boot timeout, so the case stays bounded.
    """
    interval = boot.get("interval")
    wait = float(interval) if isinstance(interval, int) and interval > 0 else 0.0
    if wait == 0.0:
        wait = dut.timeouts.heartbeat_interval
    return min(wait, dut.timeouts.boot)


async def report_connectors(
    station: StationEmulator, dut: Dut, check: Checks, step: str, *, occupied: int | None = None
) -> list[CallOutcome]:
    """Report every connector Available (EVSE `occupied`: Occupied); each answered validly."""
    answers = []
    for evse in dut.profile.evses:
        for connector in evse.connectors:
            value = "Occupied" if evse.id == occupied and connector == 1 else "Available"
            answer = await station.call("StatusNotification", status(evse.id, connector, value))
            check.must(
                answer.ok,
                f"{step}: expected a valid StatusNotificationResponse for {evse.id}/{connector} "
                f"{value}, saw {answer.describe()}",
            )
            answers.append(answer)
    return answers


async def send_report(
    station: StationEmulator,
    check: Checks,
    request_id: int,
    entries: list[Payload],
    *,
    per_message: int = 4,
    step: str,
) -> int:
    """Send `entries` as NotifyReportRequests of `requestId` (tbc on all but the last).

    B07.FR.04-style split by the station's ItemsPerMessage; each must get a valid (empty)
    NotifyReportResponse. Returns how many messages were sent.
    """
    parts = [entries[i : i + per_message] for i in range(0, len(entries), per_message)] or [[]]
    generated = utc_timestamp()
    for seq_no, part in enumerate(parts):
        payload: Payload = {
            "requestId": request_id,
            "generatedAt": generated,
            "seqNo": seq_no,
            "tbc": seq_no < len(parts) - 1,
        }
        if part:
            payload["reportData"] = part
        answer = await station.call("NotifyReport", payload)
        check.must(
            answer.ok,
            f"{step}: expected a valid NotifyReportResponse to requestId {request_id} seqNo "
            f"{seq_no}, saw {answer.describe()}",
        )
    return len(parts)


async def reboot(station: StationEmulator, reason: str) -> CallOutcome:
    """Reboot as a station does after a reset: close, reconnect, BootNotification `reason`."""
    await station.disconnect()
    await station.connect()
    return await station.boot(reason)


async def wait_quietly(seconds: float) -> None:
    """Sleep `seconds` (bounded by the caller); the reader keeps answering the CSMS."""
    if seconds > 0:
        await asyncio.sleep(seconds)


def csms_base_url(station: StationEmulator) -> str:
    """The CSMS endpoint the station uses, without the station identity (B09 ocppCsmsUrl)."""
    return station.url_template.replace("{station_id}", "").rstrip("/")


def network_profile(
    url: str | None, security_profile: int, *, slot: int = 1, timeout: int = 30
) -> Payload:
    """A SetNetworkProfileRequest for OCPP 2.0.1 over JSON on Wired0 (B09, A05).

    `url` None leaves ocppCsmsUrl for the CSMS to fill in (its endpoint for that profile).
    """
    data: Payload = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "messageTimeout": timeout,
        "securityProfile": security_profile,
        "ocppInterface": "Wired0",
    }
    if url is not None:
        data["ocppCsmsUrl"] = url
    return {"configurationSlot": slot, "connectionData": data}

"""Reusable states for a 1.6 Central System under test; the harness plays the charge point.

They follow OCPP 1.6 edition 2 §4 (the 1.6 compliance document is not public).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome
from harness.roles.station import StationEmulator


def status(connector_id: int, value: str) -> dict[str, Any]:
    """A StatusNotification.req payload."""
    return {
        "connectorId": connector_id,
        "errorCode": "NoError",
        "status": value,
        "timestamp": utc_timestamp(),
    }


async def booted(station: StationEmulator, dut: Dut, check: Checks) -> CallOutcome:
    """Connect, BootNotification accepted (1.6 §4.2), StatusNotification per connector."""
    if not station.connected:
        await station.connect()
    boot = await station.boot()
    check.equal(boot.get("status"), "Accepted", "BootNotification.conf status", ref="1.6 §4.2")
    check.must(
        isinstance(boot.get("interval"), int) and boot.get("interval", -1) >= 0,
        f"BootNotification.conf interval in seconds: {boot.get('interval')}",
        ref="1.6 §6.5",
    )
    for connector_id in range(0, sum(len(e.connectors) for e in dut.profile.evses) + 1):
        answer = await station.call("StatusNotification", status(connector_id, "Available"))
        check.must(answer.ok, f"StatusNotification.conf: {answer.describe()}", ref="1.6 §4.9")
    return boot


async def authorize(station: StationEmulator, dut: Dut, check: Checks) -> CallOutcome:
    """Authorize the valid idTag: idTagInfo.status Accepted (1.6 §4.1)."""
    answer = await station.call("Authorize", idTag=dut.tokens.valid)
    check.equal(
        (answer.get("idTagInfo") or {}).get("status"),
        "Accepted",
        "Authorize.conf idTagInfo.status for the valid idTag",
        ref="1.6 §4.1",
    )
    return answer


async def start_transaction(
    station: StationEmulator, dut: Dut, check: Checks, connector_id: int = 1, meter_start: int = 0
) -> int:
    """StartTransaction.req; the answer accepts the idTag with a transactionId (1.6 §4.8)."""
    answer = await station.call(
        "StartTransaction",
        connectorId=connector_id,
        idTag=dut.tokens.valid,
        meterStart=meter_start,
        timestamp=utc_timestamp(),
    )
    check.equal(
        (answer.get("idTagInfo") or {}).get("status"),
        "Accepted",
        "StartTransaction.conf idTagInfo.status",
        ref="1.6 §4.8",
    )
    transaction_id = answer.get("transactionId")
    check.must(
        isinstance(transaction_id, int) and transaction_id > 0,
        f"StartTransaction.conf transactionId identifies the transaction: {transaction_id}",
        ref="1.6 §4.8",
    )
    return int(transaction_id) if isinstance(transaction_id, int) else 0

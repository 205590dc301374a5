"""Reusable states for a 2.0.1 CSMS under test; the harness plays the charging station.

Each follows its Part 6 table (CSMS side, Tables 698-703) and records the tool validations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome
from harness.roles.station import StationEmulator


@dataclass
class Transaction:
    """The emulated station's view of one transaction: its id and the next seqNo."""

    evse: int
    connector: int = 1
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:36])
    seq_no: int = 0
    started: bool = False

    def event(self, event_type: str, trigger: str, **info: Any) -> dict[str, Any]:
        """A TransactionEventRequest payload for this transaction, advancing seqNo."""
        payload: dict[str, Any] = {
            "eventType": event_type,
            "timestamp": utc_timestamp(),
            "triggerReason": trigger,
            "seqNo": self.seq_no,
            "transactionInfo": {"transactionId": self.id, **info},
        }
        if not self.started:
            payload["evse"] = {"id": self.evse, "connectorId": self.connector}
            self.started = True
        self.seq_no += 1
        return payload


def status(evse: int, connector: int, value: str) -> dict[str, Any]:
    """A StatusNotificationRequest payload."""
    return {
        "timestamp": utc_timestamp(),
        "connectorStatus": value,
        "evseId": evse,
        "connectorId": connector,
    }


async def booted(station: StationEmulator, dut: Dut, check: Checks) -> CallOutcome:
    """Reusable State Booted (Table 698): boot PowerUp; Accepted; report every connector."""
    if not station.connected:
        await station.connect()
    boot = await station.boot("PowerUp")
    check.equal(
        boot.get("status"),
        "Accepted",
        "BootNotificationResponse status",
        ref="Part 6 Table 698 step 2",
    )
    for evse in dut.profile.evses:
        for connector in evse.connectors:
            answer = await station.call(
                "StatusNotification", status(evse.id, connector, "Available")
            )
            check.must(answer.ok, f"StatusNotificationResponse: {answer.describe()}")
    return boot


def id_token(dut: Dut) -> dict[str, str]:
    """The profile's valid idToken as an IdTokenType."""
    return {"idToken": dut.tokens.valid, "type": dut.tokens.token_type}


async def ev_connected_pre_session(
    station: StationEmulator, check: Checks, transaction: Transaction
) -> CallOutcome:
    """Reusable State EVConnectedPreSession (Table 701): Occupied, then tx Started."""
    answer = await station.call("StatusNotification", status(transaction.evse, 1, "Occupied"))
    check.must(answer.ok, f"StatusNotificationResponse: {answer.describe()}")
    started = await station.call(
        "TransactionEvent",
        transaction.event("Started", "CablePluggedIn", chargingState="EVConnected"),
    )
    check.must(
        started.ok, f"TransactionEventResponse: {started.describe()}", ref="Part 6 Table 701 step 4"
    )
    return started


async def authorized(
    station: StationEmulator, dut: Dut, check: Checks, transaction: Transaction
) -> CallOutcome:
    """Reusable State Authorized (Table 702): Authorize and tx event with the valid token."""
    authorize = await station.call("Authorize", idToken=id_token(dut))
    check.equal(
        (authorize.get("idTokenInfo") or {}).get("status"),
        "Accepted",
        "AuthorizeResponse idTokenInfo.status",
        ref="Part 6 Table 702 step 2",
    )
    event_type = "Updated" if transaction.started else "Started"
    event = transaction.event(event_type, "Authorized")
    event["idToken"] = id_token(dut)
    answer = await station.call("TransactionEvent", event)
    check.equal(
        (answer.get("idTokenInfo") or {}).get("status"),
        "Accepted",
        "TransactionEventResponse idTokenInfo.status",
        ref="Part 6 Table 702 step 4",
    )
    return answer


async def energy_transfer_started(
    station: StationEmulator, check: Checks, transaction: Transaction
) -> CallOutcome:
    """Reusable State EnergyTransferStarted part 2 (Table 703): charging begins."""
    answer = await station.call(
        "TransactionEvent",
        transaction.event("Updated", "ChargingStateChanged", chargingState="Charging"),
    )
    check.must(answer.ok, f"TransactionEventResponse: {answer.describe()}")
    return answer

"""The 1.6 side of stateful station fuzzing: the commands' payloads and `invariants_v16`.

Plugged into `stateful_station.StationSession`, whose steps (plug in, sessions, remote
start/stop, connection losses, availability) are the same for every version. The machine's
EVSE n is the charge point's connector `dut.connector_id(n)` (1.6 has no EVSEs, §3.8).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.dut.device import Dut
from harness.fuzz.invariants_v16 import running_transactions_16, transaction_violation_16
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message


class V16Rules:
    """1.6: RemoteStart/StopTransaction, ChangeAvailability per connector, `invariants_v16`."""

    update_action = "MeterValues"

    def __init__(self, dut: Dut) -> None:
        self.evse_of = {dut.connector_id(evse.id): evse.id for evse in dut.profile.evses}

    async def remote_start(self, csms: CsmsEmulator, dut: Dut, evse: int) -> None:
        """RemoteStartTransaction.req with the valid idTag (§5.11)."""
        await csms.call(
            "RemoteStartTransaction", connectorId=dut.connector_id(evse), idTag=dut.tokens.valid
        )

    async def remote_stop(self, csms: CsmsEmulator, transaction: object) -> None:
        """RemoteStopTransaction.req (§5.12)."""
        await csms.call("RemoteStopTransaction", transactionId=transaction)

    async def change_availability(self, csms: CsmsEmulator, evse: int, status: str) -> None:
        """ChangeAvailability.req of one connector (§5.2)."""
        connector = next(c for c, e in self.evse_of.items() if e == evse)
        await csms.call("ChangeAvailability", connectorId=connector, type=status)

    def running(self, messages: Iterable[Message]) -> dict[int, Any]:
        """EVSE -> transactionId of transactions started and not stopped (invariants_v16)."""
        return {
            self.evse_of.get(connector, connector): tx_id
            for connector, tx_id in running_transactions_16(messages).items()
        }

    def violation(self, messages: Iterable[Message], *, complete: bool) -> str | None:
        """Sessions, transactionIds, registers and Charging status (invariants_v16)."""
        return transaction_violation_16(messages, complete=complete)

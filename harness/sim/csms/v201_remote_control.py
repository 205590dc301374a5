"""Command fault switches of the reference 2.0.1 CSMS: what it sends for blocks E, F and G.

The trigger API hands the command's payload; a conforming CSMS sends it as asked (RequestStart/
StopTransaction, UnlockConnector, TriggerMessage, GetTransactionStatus, ChangeAvailability).
`prepare` distorts a copy under a fault, each imitating a real command-builder bug; `settle`
acts on the station's answer.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.ocppj.versions import OcppVersion
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

if TYPE_CHECKING:
    from harness.sim.csms.link import StationLink

Payload = dict[str, Any]


def prepare(ctx: CsmsContext, record: StationRecord, action: str, payload: Payload) -> Payload:
    """The payload the CSMS sends for `action`; the caller's payload is left untouched."""
    if ctx.version is not OcppVersion.V201 or not ctx.faults:
        return payload
    sent = copy.deepcopy(payload)
    evse = sent.get("evse")
    if ctx.fault("f201-evse-off-by-one"):
        # The CSMS's 0-based EVSE index leaks into OCPP's 1-based evse ids.
        if action in ("TriggerMessage", "ChangeAvailability") and isinstance(evse, dict):
            evse["id"] = int(evse["id"]) + 1
        if action == "UnlockConnector" and "evseId" in sent:
            sent["evseId"] = int(sent["evseId"]) + 1
    if action == "RequestStartTransaction" and ctx.fault("f201-remote-start-central-token"):
        sent["idToken"]["type"] = "Central"
    if action == "TriggerMessage" and ctx.fault("f201-trigger-message-fixed"):
        sent["requestedMessage"] = "StatusNotification"
    if action == "ChangeAvailability" and ctx.fault("g201-availability-v16-scope"):
        # 1.6 habit: connectorId 0 is the whole station, and a connector is the whole EVSE.
        if isinstance(evse, dict):
            evse.pop("connectorId", None)
        else:
            sent["evse"] = {"id": 0}
    if action in ("RequestStopTransaction", "GetTransactionStatus"):
        if ctx.fault("e201-internal-transaction-id") and "transactionId" in sent:
            sent["transactionId"] = internal_id(record, str(sent["transactionId"]))
        if ctx.fault("e201-tx-status-empty-id") and "transactionId" not in sent:
            sent["transactionId"] = ""
    return sent


def internal_id(record: StationRecord, transaction_id: str) -> str:
    """The CSMS's own running number of a transaction (1-based), as text."""
    for number, transaction in enumerate(record.transactions, start=1):
        if transaction.transaction_id == transaction_id:
            return str(number)
    return str(len(record.transactions) + 1)


async def settle(
    ctx: CsmsContext, link: StationLink, action: str, _payload: Payload, answer: Payload
) -> None:
    """Fault `f201-drop-on-not-implemented`: hang up when a trigger is NotImplemented."""
    if (
        ctx.version is OcppVersion.V201
        and action == "TriggerMessage"
        and answer.get("status") == "NotImplemented"
        and ctx.fault("f201-drop-on-not-implemented")
    ):
        ctx.wirelog.record(
            "action",
            "fault f201-drop-on-not-implemented: closing after TriggerMessage NotImplemented",
            connection=link.connection.label,
        )
        await link.close(1011, "unexpected TriggerMessage status NotImplemented")

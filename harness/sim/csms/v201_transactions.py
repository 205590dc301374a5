"""TransactionEvent fault switches of the reference 2.0.1 CSMS (blocks E and F).

Each imitates a CSMS that rejects a valid TransactionEventRequest or misjudges its token:
1.6 habits (a start needs an idTag, a stop needs a meter reading), a seqNo counted per
station instead of per transaction (E01.FR.07), trigger reasons it never learned, and a
transaction it thinks is over once the connector is free (E10, E14 offline events).
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: Trigger reasons the `e201-unknown-trigger-reason` CSMS handles; the rest crash it.
KNOWN_TRIGGERS: Final = frozenset(
    {
        "Authorized",
        "CablePluggedIn",
        "ChargingStateChanged",
        "StopAuthorized",
        "RemoteStart",
        "RemoteStop",
        "MeterValuePeriodic",
        "MeterValueClock",
        "Trigger",
        "EVCommunicationLost",
    }
)


def screen(ctx: CsmsContext, record: StationRecord, action: str, payload: Payload) -> None:
    """Raise CallErrorReply where a faulty CSMS would refuse this request."""
    if action == "StatusNotification":
        _close_on_available(ctx, record, payload)
    if action != "TransactionEvent":
        return
    event_type = payload["eventType"]
    if event_type == "Started":
        if ctx.fault("e201-started-needs-idtoken") and "idToken" not in payload:
            raise CallErrorReply(
                "OccurrenceConstraintViolation", "a Started TransactionEvent needs an idToken"
            )
        if ctx.fault("e201-started-needs-evse") and "evse" not in payload:
            raise CallErrorReply(
                "OccurrenceConstraintViolation", "a Started TransactionEvent needs an evse"
            )
    trigger = payload["triggerReason"]
    if ctx.fault("e201-unknown-trigger-reason") and trigger not in KNOWN_TRIGGERS:
        raise CallErrorReply("InternalError", f"no handling for triggerReason {trigger}")
    stop_without_meter = event_type == "Ended" and not payload.get("meterValue")
    if stop_without_meter and ctx.fault("e201-ended-needs-meter-value"):
        raise CallErrorReply(
            "OccurrenceConstraintViolation", "an Ended TransactionEvent needs the meter stop"
        )
    if ctx.fault("e201-seqno-per-station"):
        _seq_no_per_station(record, int(payload["seqNo"]))
    if ctx.fault("e201-closed-transaction-error") and event_type != "Started":
        transaction_id = str(payload["transactionInfo"]["transactionId"])
        transaction = record.transaction(transaction_id)
        if transaction is not None and not transaction.active:
            raise CallErrorReply(
                "PropertyConstraintViolation", f"transaction {transaction_id} is already over"
            )


def _seq_no_per_station(record: StationRecord, seq_no: int) -> None:
    """Fault `e201-seqno-per-station`: seqNo must rise across all of a station's events."""
    last = max((n for t in record.transactions for n in t.seq_nos), default=None)
    if last is not None and seq_no <= last:
        raise CallErrorReply(
            "PropertyConstraintViolation",
            f"seqNo {seq_no} is not above this station's last seqNo {last}",
        )


def _close_on_available(ctx: CsmsContext, record: StationRecord, payload: Payload) -> None:
    """Fault `e201-closed-transaction-error`: a free connector ends its transactions."""
    if not ctx.fault("e201-closed-transaction-error"):
        return
    if payload.get("connectorStatus") != "Available":
        return
    for transaction in record.transactions:
        if transaction.active and transaction.connector == payload.get("evseId"):
            transaction.stopped_at = str(payload.get("timestamp"))
            transaction.stop_reason = "ConnectorAvailable"


def adjust(
    ctx: CsmsContext, _record: StationRecord, action: str, payload: Payload, answer: Payload
) -> Payload:
    """Fault `e201-tx-token-unchecked`: every idTokenInfo in a TransactionEvent answer Accepted;
    `csms-offline-token-trusted`: so is the idTokenInfo of an event sent with offline true (a
    CSMS that trusts the station's offline authorization instead of checking the token)."""
    judged = action == "TransactionEvent" and "idTokenInfo" in answer
    trusted = bool(payload.get("offline")) and ctx.fault("csms-offline-token-trusted")
    if judged and (ctx.fault("e201-tx-token-unchecked") or trusted):
        return {**answer, "idTokenInfo": {"status": "Accepted"}}
    return answer

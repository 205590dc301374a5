"""How the reference CSMS answers each OCPP 1.6 request a charge point sends (1.6 §4)."""

from __future__ import annotations

from typing import Final

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import (
    Handler,
    Payload,
    boot_notification,
    constant,
    data_transfer,
    energy_reading,
    heartbeat,
)
from harness.sim.csms.state import StationRecord


def _id_tag_info(ctx: CsmsContext, id_tag: object) -> Payload:
    return {"idTagInfo": {"status": ctx.tokens.status(id_tag if isinstance(id_tag, str) else None)}}


def authorize(ctx: CsmsContext, _record: StationRecord, payload: Payload) -> Payload:
    """Answer Authorize.req with the token table's status; unknown tags are Invalid (§4.1)."""
    return _id_tag_info(ctx, payload.get("idTag"))


def start_transaction(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer StartTransaction.req with a new unique transactionId and the tag's status (§4.8).

    The `transaction-id-zero` fault answers transactionId 0 for every transaction.
    """
    transaction_id = 0 if ctx.fault("transaction-id-zero") else ctx.registry.next_transaction_id()
    id_tag = payload.get("idTag")
    transaction = record.open_transaction(
        str(transaction_id),
        payload.get("connectorId"),
        id_tag if isinstance(id_tag, str) else None,
        payload.get("timestamp"),
    )
    transaction.meter_start = float(payload.get("meterStart", 0))
    transaction.meter_last = transaction.meter_start
    transaction.events = 1
    return {"transactionId": transaction_id, **_id_tag_info(ctx, id_tag)}


def stop_transaction(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer StopTransaction.req; idTagInfo only when the request carries an idTag (§4.10).

    A transactionId the CSMS does not know is still acknowledged: the station must be able to
    get rid of it (§4.10: the Central System SHALL respond).
    """
    transaction = record.transaction(str(payload.get("transactionId")))
    if transaction is None:
        transaction = record.open_transaction(
            str(payload.get("transactionId")), None, None, payload.get("timestamp")
        )
    transaction.events += 1
    transaction.meter_stop = float(payload.get("meterStop", 0))
    transaction.meter_last = transaction.meter_stop
    transaction.stopped_at = payload.get("timestamp") or utc_timestamp()
    transaction.stop_reason = payload.get("reason", "Local")
    if "idTag" not in payload:
        return {}
    return _id_tag_info(ctx, payload.get("idTag"))


def meter_values(_ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge MeterValues.req and keep the energy register of its transaction (§4.7)."""
    if "transactionId" in payload:
        transaction = record.transaction(str(payload["transactionId"]))
        reading = energy_reading(payload.get("meterValue"))
        if transaction is not None:
            transaction.events += 1
            if reading is not None:
                transaction.meter_last = reading
    return {}


def status_notification(_ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge StatusNotification.req and keep the connector's status (§4.9)."""
    record.connectors[str(payload.get("connectorId"))] = str(payload.get("status"))
    return {}


HANDLERS: Final[dict[str, Handler]] = {
    "BootNotification": boot_notification,
    "Heartbeat": heartbeat,
    "Authorize": authorize,
    "StartTransaction": start_transaction,
    "StopTransaction": stop_transaction,
    "MeterValues": meter_values,
    "StatusNotification": status_notification,
    "DataTransfer": data_transfer,
    "DiagnosticsStatusNotification": constant({}),
    "FirmwareStatusNotification": constant({}),
    # 1.6 security whitepaper ed. 3 messages
    "SecurityEventNotification": constant({}),
    "LogStatusNotification": constant({}),
    "SignedFirmwareStatusNotification": constant({}),
    # No CA to sign a CSR with: refuse rather than accept and never send CertificateSigned.
    "SignCertificate": constant({"status": "Rejected"}),
}

#: Authorization statuses a 1.6 token may have (§7.2).
TOKEN_STATUSES: Final = frozenset({"Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"})

#: TriggerMessage.req requestedMessage -> the action the station then may send (§5.17).
TRIGGERED: Final = {
    "BootNotification": "BootNotification",
    "DiagnosticsStatusNotification": "DiagnosticsStatusNotification",
    "FirmwareStatusNotification": "FirmwareStatusNotification",
    "Heartbeat": "Heartbeat",
    "MeterValues": "MeterValues",
    "StatusNotification": "StatusNotification",
    "LogStatusNotification": "LogStatusNotification",
    "SignChargePointCertificate": "SignCertificate",
}

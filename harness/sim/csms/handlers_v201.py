"""How the reference CSMS answers each OCPP 2.0.1 request a charging station sends."""

from __future__ import annotations

from typing import Final

from harness.sim.csms import (
    v201_authorization,
    v201_certificates,
    v201_contract,
    v201_provisioning,
)
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import (
    Handler,
    Payload,
    constant,
    data_transfer,
    energy_reading,
    heartbeat,
)
from harness.sim.csms.state import StationRecord, Transaction
from harness.sim.csms.v201_guards import guard_all


def authorize(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer AuthorizeRequest from the token table; unknown tokens are Invalid.

    C01.FR.07; TC_C_02_CSMS (Invalid or Unknown), TC_C_06/07_CSMS (Blocked, Expired); with a
    contract certificate also its OCSP status (C07, TC_C_50..52_CSMS).
    """
    answer = {"idTokenInfo": v201_authorization.id_token_info(ctx, payload["idToken"])}
    return v201_contract.with_certificate_status(record, payload, answer)


def transaction_event(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge TransactionEventRequest and keep the transaction, its seqNos and meter.

    E01-E03 (TC_E_01..04_CSMS): idTokenInfo is included whenever the request carries an
    idToken, so the station learns the token's status. The `transaction-id-zero` fault leaves
    idTokenInfo out of the answer to a Started event with an idToken.
    """
    info = payload["transactionInfo"]
    event_type = payload["eventType"]
    transaction = _transaction_for(record, payload)
    transaction.events += 1
    evse = payload.get("evse")
    if transaction.connector is None and isinstance(evse, dict):
        transaction.connector = evse.get("id")  # EVSE named after the start (E03, F02)
    transaction.seq_nos.append(int(payload["seqNo"]))
    reading = energy_reading(payload.get("meterValue"))
    if reading is not None:
        if transaction.meter_start is None:
            transaction.meter_start = reading
        transaction.meter_last = reading
    if event_type == "Ended":
        transaction.stopped_at = payload["timestamp"]
        transaction.stop_reason = info.get("stoppedReason", "Local")
        transaction.meter_stop = transaction.meter_last
    id_token = payload.get("idToken")
    if not isinstance(id_token, dict):
        return {}
    if transaction.id_token is None:
        transaction.id_token = id_token.get("idToken")
    if event_type == "Started" and ctx.fault("transaction-id-zero"):
        return {}
    return {"idTokenInfo": v201_authorization.id_token_info(ctx, id_token)}


def _transaction_for(record: StationRecord, payload: Payload) -> Transaction:
    """The transaction a TransactionEvent belongs to; created when it is new to the CSMS."""
    transaction_id = str(payload["transactionInfo"]["transactionId"])
    transaction = record.transaction(transaction_id)
    if transaction is None or (payload["eventType"] == "Started" and not transaction.active):
        evse = payload.get("evse")
        id_token = payload.get("idToken")
        transaction = record.open_transaction(
            transaction_id,
            evse.get("id") if isinstance(evse, dict) else None,
            id_token.get("idToken") if isinstance(id_token, dict) else None,
            payload["timestamp"],
        )
    return transaction


def status_notification(_ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge StatusNotificationRequest and keep the connector's status (G01)."""
    key = f"{payload.get('evseId')}/{payload.get('connectorId')}"
    record.connectors[key] = str(payload.get("connectorStatus"))
    return {}


_ACKNOWLEDGED: Final = (
    "MeterValues",
    "NotifyReport",
    "NotifyEvent",
    "NotifyMonitoringReport",
    "NotifyCustomerInformation",
    "NotifyDisplayMessages",
    "NotifyChargingLimit",
    "ClearedChargingLimit",
    "ReportChargingProfiles",
    "ReservationStatusUpdate",
    "SecurityEventNotification",
    "FirmwareStatusNotification",
    "LogStatusNotification",
    "PublishFirmwareStatusNotification",
)

HANDLERS: Final[dict[str, Handler]] = {
    "BootNotification": v201_provisioning.boot_notification,
    "Heartbeat": heartbeat,
    "Authorize": authorize,
    "TransactionEvent": transaction_event,
    "StatusNotification": status_notification,
    "DataTransfer": data_transfer,
    **{action: constant({}) for action in _ACKNOWLEDGED},
    "NotifyReport": v201_provisioning.notify_report,
    "NotifyEVChargingNeeds": constant({"status": "Accepted"}),
    "NotifyEVChargingSchedule": constant({"status": "Accepted"}),
    # Signed by the configured CSMS / V2G root, else Rejected (A02, TC_A_11..14_CSMS).
    "SignCertificate": v201_certificates.sign_certificate,
    # No contract certificate service: refuse instead of promising what cannot come.
    "Get15118EVCertificate": constant({"status": "Failed", "exiResponse": ""}),
    "GetCertificateStatus": constant({"status": "Failed"}),
}
# Fault switches of blocks E, F, G, J and P screen requests and adjust answers (v201_guards).
HANDLERS.update(guard_all(HANDLERS))

#: Authorization statuses a 2.0.1 token may have (AuthorizationStatusEnumType).
TOKEN_STATUSES: Final = frozenset(
    {
        "Accepted",
        "Blocked",
        "ConcurrentTx",
        "Expired",
        "Invalid",
        "NoCredit",
        "NotAllowedTypeEVSE",
        "NotAtThisLocation",
        "NotAtThisTime",
        "Unknown",
    }
)

#: TriggerMessageRequest requestedMessage -> the action the station then may send (F06).
TRIGGERED: Final = {
    "BootNotification": "BootNotification",
    "LogStatusNotification": "LogStatusNotification",
    "FirmwareStatusNotification": "FirmwareStatusNotification",
    "Heartbeat": "Heartbeat",
    "MeterValues": "MeterValues",
    "SignChargingStationCertificate": "SignCertificate",
    "SignV2GCertificate": "SignCertificate",
    "SignCombinedCertificate": "SignCertificate",
    "StatusNotification": "StatusNotification",
    "TransactionEvent": "TransactionEvent",
    "PublishFirmwareStatusNotification": "PublishFirmwareStatusNotification",
}

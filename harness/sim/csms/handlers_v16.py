"""How the reference CSMS answers each OCPP 1.6 request a charge point sends (1.6 §4)."""

from __future__ import annotations

from typing import Final

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms import (
    v16_auth,
    v16_core_answers,
    v16_firmware,
    v16_reservation,
    v16_security,
    v16_transaction_ids,
    v16_trigger,
)
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import (
    Handler,
    Payload,
    boot_notification,
    energy_reading,
    heartbeat,
)
from harness.sim.csms.state import StationRecord


def _id_tag_info(ctx: CsmsContext, id_tag: object) -> Payload:
    tag = id_tag if isinstance(id_tag, str) else None
    # §3.10: the parentIdTag groups idTags (group reservations, §5.13).
    info = {"status": ctx.tokens.status(tag), **v16_reservation.parent_info(ctx, tag)}
    return {"idTagInfo": info}


def authorize(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer Authorize.req with the token table's status; unknown tags are Invalid (§4.1)."""
    answer = _id_tag_info(ctx, payload.get("idTag"))
    answer["idTagInfo"]["status"] = v16_auth.authorize_status(ctx, record, payload.get("idTag"))
    return answer


def start_transaction(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer StartTransaction.req with a new unique transactionId and the tag's status (§4.8).

    The `transaction-id-zero` fault answers transactionId 0 for every transaction,
    `csms-tx-id-reused-after-reconnect` numbers them per connection (v16_transaction_ids).
    """
    transaction_id = v16_transaction_ids.next_transaction_id(ctx, record)
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
    answer = {"transactionId": transaction_id, **_id_tag_info(ctx, id_tag)}
    answer["idTagInfo"]["status"] = v16_auth.start_status(ctx, record, id_tag)  # §4.8 verify
    return v16_reservation.review_start(ctx, payload, answer)  # §4.8 reservationId


def stop_transaction(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer StopTransaction.req; idTagInfo only when the request carries an idTag (§4.10).

    A transactionId the CSMS does not know is still acknowledged: the station must be able to
    get rid of it (§4.10: the Central System SHALL respond).
    """
    v16_core_answers.check_stop(ctx, payload)  # fault switch only
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


def meter_values(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge MeterValues.req and keep the energy register of its transaction (§4.7)."""
    v16_trigger.check_meter_values(ctx, payload)  # fault switch only
    if "transactionId" in payload:
        transaction = record.transaction(str(payload["transactionId"]))
        reading = energy_reading(payload.get("meterValue"))
        if transaction is not None:
            transaction.events += 1
            if reading is not None:
                transaction.meter_last = reading
    return {}


def status_notification(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge StatusNotification.req and keep the connector's status (§4.9)."""
    v16_core_answers.check_status(ctx, payload)  # fault switch only
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
    "DataTransfer": v16_core_answers.data_transfer_v16,
    "DiagnosticsStatusNotification": v16_firmware.diagnostics_status,
    "FirmwareStatusNotification": v16_firmware.firmware_status,
    # 1.6 security whitepaper ed. 3 messages
    "SecurityEventNotification": v16_security.notification,
    "LogStatusNotification": v16_security.notification,
    "SignedFirmwareStatusNotification": v16_security.notification,
    # Accepted only with a CA to sign the CSR; CertificateSigned follows (followups.py).
    "SignCertificate": v16_security.sign_certificate,
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

"""OCPP 2.0.1 CSMS commands and how the reference charging station answers them.

Actions of functional blocks the station does not implement (reservations, smart charging,
local list, firmware, certificates, monitoring, display messages...) are answered with
CALLERROR NotSupported (2.0.1 Part 4 §4.3); unknown actions never get here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.frames import Call
from harness.sim.station.link import Answer, Payload
from harness.sim.station.meter import meter_value_201
from harness.sim.station.model import EvseModel, change_availability_of
from harness.sim.station.v201 import V201

Command = Callable[[V201, Payload], Awaitable[Answer]]
Then = Callable[[], Coroutine[Any, Any, None]] | None


def _status(status: str, then: Then = None, **extra: Any) -> Answer:
    return Answer({"status": status, **extra}, then=then)


async def request_start(v: V201, p: Payload) -> Answer:
    """RequestStartTransaction (F01/F02): Accepted when the EVSE can take it."""
    evses = v.station.evses
    if not v.station.accepted:
        return _status("Rejected")  # B02: not while Pending
    if "evseId" in p:
        evse = evses.get(p["evseId"])
    else:
        free = [e for e in evses.values() if e.authorized is None and e.operative]
        evse = next((e for e in free if e.plugged), free[0] if free else None)
    if evse is None or evse.authorized is not None or not evse.operative:
        return _status("Rejected")
    token, kind = str(p["idToken"]["idToken"]), str(p["idToken"]["type"])
    remote_id = int(p["remoteStartId"])

    async def start(evse: EvseModel) -> None:
        remote_auth = v.device.flag("AuthCtrlr", "AuthorizeRemoteStart")
        if remote_auth and await v.authorize(token, kind) != "Accepted":
            return
        if evse.authorized is None:
            await v.authorized(evse, token, kind, "RemoteStart", remote_id)

    tx = evse.transaction
    extra = {"transactionId": tx.key} if tx is not None else {}
    return _status("Accepted", v.station.later(evse, start), **extra)


async def request_stop(v: V201, p: Payload) -> Answer:
    """RequestStopTransaction (F03): end it with RemoteStop / Remote."""
    for evse in v.station.evses.values():
        tx = evse.transaction
        if v.station.accepted and tx is not None and tx.key == p["transactionId"]:

            async def stop(evse: EvseModel, tx: Any = tx) -> None:
                if evse.transaction is tx:
                    evse.energized = False
                    evse.authorized = None
                    await v.tx.update(evse, "RemoteStop", stopped_reason="Remote", force_end=True)

            return _status("Accepted", v.station.later(evse, stop))
    return _status("Rejected")


async def reset(v: V201, p: Payload) -> Answer:
    """Reset (B11/B12): Immediate now; OnIdle now or Scheduled after the last transaction."""
    if "evseId" in p:
        return _status("Rejected")  # resetting one EVSE is not supported
    busy = any(e.transaction is not None for e in v.station.evses.values())
    if p["type"] == "OnIdle" and busy:
        v.tx.reset_on_idle = True
        return _status("Scheduled")

    async def reboot() -> None:
        await v.station.reboot("RemoteReset", cause="ImmediateReset", close_frame=True)

    return _status("Accepted", reboot)


async def change_availability(v: V201, p: Payload) -> Answer:
    """ChangeAvailability (G03/G04): Scheduled while a transaction runs; statuses follow."""
    evses = v.station.evses
    target = p.get("evse")
    if target is not None and target["id"] not in evses and target["id"] != 0:
        return _status("Rejected")
    chosen = [evses[target["id"]]] if target and target["id"] else list(evses.values())
    operative = p["operationalStatus"] == "Operative"
    scheduled = change_availability_of(chosen, operative)

    async def notify() -> None:
        for evse in chosen:
            await v.report(evse)

    return _status("Scheduled" if scheduled else "Accepted", notify)


async def get_variables(v: V201, p: Payload) -> Answer:
    """GetVariables (B06), at most ItemsPerMessage[GetVariables] items."""
    items = p["getVariableData"]
    if len(items) > v.device.integer("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables"):
        return Answer(error=("OccurrenceConstraintViolation", "too many getVariableData"))
    return Answer({"getVariableResult": v.device.get_variables(items)})


async def set_variables(v: V201, p: Payload) -> Answer:
    """SetVariables (B05); a new BasicAuthPassword means reconnecting with it (A01)."""
    items = p["setVariableData"]
    if len(items) > v.device.integer("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables"):
        return Answer(error=("OccurrenceConstraintViolation", "too many setVariableData"))
    results = v.device.set_variables(items)
    password = any(
        r["attributeStatus"] == "Accepted" and r["variable"]["name"] == "BasicAuthPassword"
        for r in results
    )
    return Answer({"setVariableResult": results}, then=v.station.reconnect if password else None)


def _report_sender(v: V201, request_id: int, data: list[Payload]) -> Then:
    """NotifyReportRequest(s) of ItemsPerMessage[GetReport] entries each (B07, B08)."""
    size = v.device.integer("DeviceDataCtrlr", "ItemsPerMessage", "GetReport")

    async def send() -> None:
        chunks = [data[i : i + size] for i in range(0, len(data), size)] or [[]]
        for seq, chunk in enumerate(chunks):
            payload: Payload = {
                "requestId": request_id,
                "generatedAt": utc_timestamp(),
                "seqNo": seq,
                "tbc": seq < len(chunks) - 1,
                "reportData": chunk,
            }
            await v.station.send("NotifyReport", payload, triggered=True)

    return send


async def get_base_report(v: V201, p: Payload) -> Answer:
    """GetBaseReport (B07): Accepted, then NotifyReport."""
    data = v.device.report(p["reportBase"])
    return _status("Accepted", _report_sender(v, int(p["requestId"]), data))


async def get_report(v: V201, p: Payload) -> Answer:
    """GetReport (B08): EmptyResultSet when nothing matches, else Accepted + NotifyReport."""
    data = v.device.custom_report(p.get("componentVariable", []), p.get("componentCriteria", []))
    if not data:
        return _status("EmptyResultSet")
    return _status("Accepted", _report_sender(v, int(p["requestId"]), data))


async def trigger_message(v: V201, p: Payload) -> Answer:
    """TriggerMessage (F06): answer first, then send the requested message."""
    station = v.station
    target = p.get("evse")
    if target is not None and target["id"] not in station.evses:
        return _status("Rejected")
    chosen = [station.evses[target["id"]]] if target else list(station.evses.values())
    requested = p["requestedMessage"]
    if requested == "BootNotification":
        if station.accepted:
            return _status("Rejected")  # F06.FR.17: already accepted

        async def boot() -> None:
            station.trigger_boot()

        return _status("Accepted", boot)

    async def heartbeat() -> None:
        await station.send("Heartbeat", {}, triggered=True)

    async def status() -> None:
        for evse in chosen:
            await v.report(evse, force=True, triggered=True)

    async def meter_values() -> None:
        for evse in chosen:
            value = meter_value_201(
                evse, v.device.members("AlignedDataCtrlr", "Measurands"), "Trigger"
            )
            payload = {"evseId": evse.id, "meterValue": [value]}
            await station.send("MeterValues", payload, triggered=True)

    async def transaction_event() -> None:
        for evse in chosen:
            if evse.transaction is not None:
                await v.tx.update(evse, "Trigger", context="Trigger")

    async def log_status() -> None:
        await station.send("LogStatusNotification", {"status": "Idle"}, triggered=True)

    async def firmware_status() -> None:
        await station.send("FirmwareStatusNotification", {"status": "Idle"}, triggered=True)

    senders: dict[str, Then] = {
        "Heartbeat": heartbeat,
        "StatusNotification": status,
        "MeterValues": meter_values,
        "TransactionEvent": transaction_event,
        "LogStatusNotification": log_status,
        "FirmwareStatusNotification": firmware_status,
    }
    if requested == "TransactionEvent" and all(e.transaction is None for e in chosen):
        return _status("Rejected")
    sender = senders.get(requested)
    return _status("Accepted", sender) if sender else _status("NotImplemented")


async def unlock_connector(v: V201, p: Payload) -> Answer:
    """UnlockConnector (F05)."""
    evse = v.station.evses.get(p["evseId"])
    if evse is None or p["connectorId"] != 1:
        return _status("UnknownConnector")
    if evse.transaction is not None and evse.authorized is not None:
        return _status("OngoingAuthorizedTransaction")
    return _status("UnlockFailed" if evse.lock_fails else "Unlocked")


async def clear_cache(v: V201, p: Payload) -> Answer:
    """ClearCache (C11): Rejected when the cache is disabled."""
    if not v.device.flag("AuthCacheCtrlr", "Enabled"):
        return _status("Rejected")
    v.cache.clear()
    return _status("Accepted")


async def data_transfer(v: V201, p: Payload) -> Answer:
    """DataTransfer (P01): no vendor extensions."""
    return _status("UnknownVendorId")


async def get_transaction_status(v: V201, p: Payload) -> Answer:
    """GetTransactionStatus (E14)."""
    payload: Payload = {"messagesInQueue": len(v.station.queue) > 0}
    if "transactionId" in p:
        payload["ongoingIndicator"] = any(
            e.transaction is not None and e.transaction.key == p["transactionId"]
            for e in v.station.evses.values()
        )
    return Answer(payload)


COMMANDS: dict[str, Command] = {
    "RequestStartTransaction": request_start,
    "RequestStopTransaction": request_stop,
    "Reset": reset,
    "ChangeAvailability": change_availability,
    "GetVariables": get_variables,
    "SetVariables": set_variables,
    "GetBaseReport": get_base_report,
    "GetReport": get_report,
    "TriggerMessage": trigger_message,
    "UnlockConnector": unlock_connector,
    "ClearCache": clear_cache,
    "DataTransfer": data_transfer,
    "GetTransactionStatus": get_transaction_status,
}


async def handle(v: V201, call: Call) -> Answer:
    """Answer one CSMS CALL."""
    command = COMMANDS.get(call.action)
    if command is None:
        return Answer(error=("NotSupported", f"{call.action} is not supported by this station"))
    return await command(v, call.payload)

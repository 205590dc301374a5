"""OCPP 1.6 Central System commands and how the reference charge point answers them (§5).

Smart Charging (`v16_smart_charging`) and Firmware Management (`v16_firmware`) commands are
added to COMMANDS below, as are Local Auth List Management (`v16_local_list`) and Reservation
(`v16_reservation`) ones. Actions of profiles the station does not implement are answered with
CALLERROR NotSupported (OCPP-J 1.6 §4.2.3);
unknown actions never get here (the session answers NotImplemented).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from harness.ocppj.frames import Call
from harness.sim.station.link import Answer, Payload
from harness.sim.station.meter import meter_value_16
from harness.sim.station.model import EvseModel, change_availability_of
from harness.sim.station.v16 import V16
from harness.sim.station.v16_certificates import CERTIFICATE_COMMANDS
from harness.sim.station.v16_firmware import FIRMWARE_COMMANDS
from harness.sim.station.v16_local_list import get_local_list_version, send_local_list
from harness.sim.station.v16_logs import LOG_COMMANDS
from harness.sim.station.v16_reservation import admits, cancel_reservation, reserve_now
from harness.sim.station.v16_security import extended_trigger, with_security
from harness.sim.station.v16_signed_firmware import SIGNED_FIRMWARE_COMMANDS
from harness.sim.station.v16_smart_charging import (
    SMART_CHARGING_COMMANDS,
    with_charging_profile,
)

Command = Callable[[V16, Payload], Awaitable[Answer]]


def _status(status: str, then: Any = None) -> Answer:
    return Answer({"status": status}, then=then)


async def remote_start(v: V16, p: Payload) -> Answer:
    """RemoteStartTransaction (§5.11): Accepted when a connector can take the transaction."""
    evses = v.station.evses
    if not v.station.accepted:
        return _status("Rejected")  # §4.2: not allowed while Pending
    if v.config.fault("remote-start-always-accepted"):
        return _status("Accepted")  # breaks §5.11 / §6.33: accepts what it cannot start
    if "connectorId" in p:
        evse = evses.get(p["connectorId"])
    else:
        free = [e for e in evses.values() if e.transaction is None and e.operative]
        evse = next((e for e in free if e.plugged), free[0] if free else None)
    if evse is None or evse.transaction is not None or not evse.operative or evse.authorized:
        return _status("Rejected")
    token = str(p["idTag"])

    async def start(evse: EvseModel) -> None:
        if v.keys.flag("AuthorizeRemoteTxRequests") and await v.authorize(token) != "Accepted":
            return
        if not await admits(v, evse, token):
            return  # reserved for another idTag (§5.13)
        if evse.transaction is None:
            await v.authorized(evse, token)

    return _status("Accepted", v.station.later(evse, start))


async def remote_stop(v: V16, p: Payload) -> Answer:
    """RemoteStopTransaction (§5.12): stop the transaction with that id, reason Remote."""
    if v.config.fault("remote-stop-always-accepted"):
        return _status("Accepted")  # breaks §5.12: accepts an unknown transactionId
    for evse in v.station.evses.values():
        tx = evse.transaction
        if v.station.accepted and tx is not None and tx.csms_id == p["transactionId"]:

            async def stop(evse: EvseModel, tx: Any = tx) -> None:
                if evse.transaction is tx and not v.config.fault("remote-stop-ignored"):
                    await v.stop(evse, "Remote")

            return _status("Accepted", v.station.later(evse, stop))
    return _status("Rejected")


async def reset(v: V16, p: Payload) -> Answer:
    """Reset (§5.14): stop transactions (SoftReset/HardReset), close, reboot, boot again."""
    cause = "HardReset" if p["type"] == "Hard" else "SoftReset"

    async def reboot() -> None:
        await v.station.reboot("RemoteReset", cause=cause, close_frame=True)

    if v.config.fault("reset-ignored"):
        return _status("Accepted")  # breaks §5.14: accepted, but never resets
    return _status("Accepted", reboot)


async def change_availability(v: V16, p: Payload) -> Answer:
    """ChangeAvailability (§5.2): Scheduled while a transaction runs; status follows."""
    connector = int(p["connectorId"])
    evses = v.station.evses
    if connector != 0 and connector not in evses:
        return _status("Rejected")
    targets = list(evses.values()) if connector == 0 else [evses[connector]]
    operative = p["type"] == "Operative"
    scheduled = change_availability_of(targets, operative)

    async def notify() -> None:
        for number in (0, *(e.id for e in targets)):
            await v.report(number)

    return _status("Scheduled" if scheduled else "Accepted", notify)


async def change_configuration(v: V16, p: Payload) -> Answer:
    """ChangeConfiguration (§5.3); a new AuthorizationKey means reconnecting (A01)."""
    status = v.keys.change(str(p["key"]), str(p["value"]))
    if status == "Accepted" and p["key"] == "AuthorizationKey":
        return _status(status, v.station.reconnect)
    return _status(status)


async def get_configuration(v: V16, p: Payload) -> Answer:
    """GetConfiguration (§5.8)."""
    return Answer(v.keys.get_configuration(p.get("key")))


async def unlock_connector(v: V16, p: Payload) -> Answer:
    """UnlockConnector (§5.18): stop a running transaction (UnlockCommand), then unlock."""
    evse = v.station.evses.get(int(p["connectorId"]))
    if v.config.fault("unlock-always-unlocked"):
        return _status("Unlocked")  # breaks §5.18 / §7.44: never UnlockFailed / NotSupported
    if evse is None or v.config.fault("unlock-not-supported"):
        return Answer({"status": "NotSupported"})
    if v.config.fixed_cable and not v.config.fault("unlock-fixed-cable"):
        status = "NotSupported"  # a tethered cable has no connector lock (§7.46)
    else:
        status = "UnlockFailed" if evse.lock_fails else "Unlocked"
    if evse.transaction is None:
        return _status(status)

    async def stop(evse: EvseModel) -> None:
        if evse.transaction is not None:
            await v.stop(evse, "UnlockCommand")

    return _status(status, v.station.later(evse, stop))


async def clear_cache(v: V16, p: Payload) -> Answer:
    """ClearCache (§5.4)."""
    if not v.config.fault("clear-cache-ignored"):
        v.cache.clear()
    return _status("Accepted")


async def data_transfer(v: V16, p: Payload) -> Answer:
    """DataTransfer (§5.6): no vendor extensions."""
    if v.config.fault("data-transfer-accepted"):
        return _status("Accepted")  # breaks §5.6: accepts a vendorId it does not implement
    return _status("UnknownVendorId")


async def trigger_message(v: V16, p: Payload) -> Answer:
    """TriggerMessage (§5.17): answer first, then send the requested message."""
    station = v.station
    connector = p.get("connectorId")
    if connector is not None and connector != 0 and connector not in station.evses:
        if v.config.fault("trigger-unknown-connector-accepted"):
            return _status("Accepted")  # breaks §5.17: accepts what it cannot send
        return _status("Rejected")
    requested = p["requestedMessage"]
    evses = [station.evses[connector]] if connector else list(station.evses.values())

    async def boot() -> None:
        if station.boot_status != "Accepted":
            station.trigger_boot()
            return
        answer = await station.send("BootNotification", v.boot_payload("Triggered"))
        if answer and int(answer.get("interval", 0)) > 0:
            v.set_heartbeat_interval(int(answer["interval"]))

    async def heartbeat() -> None:
        await station.send("Heartbeat", {}, triggered=True)

    async def status() -> None:
        numbers = [connector] if connector is not None else [0, *station.evses]
        for number in numbers:
            await v.report(number, force=True, triggered=True)

    async def meter_values() -> None:
        for evse in evses:
            value = meter_value_16(evse, v.keys.measurands("MeterValuesSampledData"), "Trigger")
            tx = evse.transaction
            ids = {"transactionId": tx.csms_id} if tx and tx.csms_id is not None else {}
            payload = {"connectorId": evse.id, **ids, "meterValue": [value]}
            await station.send("MeterValues", payload, triggered=True)

    async def idle(action: str) -> None:
        await station.send(action, {"status": "Idle"}, triggered=True)

    async def diagnostics() -> None:
        await idle("DiagnosticsStatusNotification")

    async def firmware() -> None:
        await idle("FirmwareStatusNotification")

    senders = {
        "BootNotification": boot,
        "Heartbeat": heartbeat,
        "StatusNotification": status,
        "MeterValues": meter_values,
        "DiagnosticsStatusNotification": diagnostics,
        "FirmwareStatusNotification": firmware,
    }
    sender = senders.get(requested)
    if sender is None:
        return _status("NotImplemented")
    if v.config.fault("trigger-message-not-sent"):
        return _status("Accepted")  # breaks §5.17: accepted messages SHOULD/SHALL be sent
    return _status("Accepted", sender)


COMMANDS: dict[str, Command] = {
    "RemoteStartTransaction": remote_start,
    "RemoteStopTransaction": remote_stop,
    "Reset": reset,
    "ChangeAvailability": change_availability,
    "ChangeConfiguration": change_configuration,
    "GetConfiguration": get_configuration,
    "UnlockConnector": unlock_connector,
    "ClearCache": clear_cache,
    "DataTransfer": data_transfer,
    "TriggerMessage": trigger_message,
}

# Smart Charging (§5.5, §5.7, §5.16); RemoteStartTransaction may carry a TxProfile (§5.16.2).
COMMANDS.update(SMART_CHARGING_COMMANDS)
COMMANDS["RemoteStartTransaction"] = with_charging_profile(remote_start)
# Firmware Management: UpdateFirmware (§5.19), GetDiagnostics (§5.9).
COMMANDS.update(FIRMWARE_COMMANDS)

# Local Auth List Management (§5.10, §5.15) and Reservation (§5.1, §5.13).
COMMANDS["SendLocalList"] = send_local_list
COMMANDS["GetLocalListVersion"] = get_local_list_version
COMMANDS["ReserveNow"] = reserve_now
COMMANDS["CancelReservation"] = cancel_reservation

# Security whitepaper ed. 3: SecurityProfile / AuthorizationKey (A01, A05), certificates (A02,
# M03-M05), ExtendedTriggerMessage.
COMMANDS["ChangeConfiguration"] = with_security(change_configuration)
COMMANDS["ExtendedTriggerMessage"] = extended_trigger(trigger_message)
COMMANDS.update(CERTIFICATE_COMMANDS)
COMMANDS.update(LOG_COMMANDS)  # GetLog (N01)
COMMANDS.update(SIGNED_FIRMWARE_COMMANDS)  # SignedUpdateFirmware (L01)


async def handle(v: V16, call: Call) -> Answer:
    """Answer one Central System CALL."""
    command = COMMANDS.get(call.action)
    if command is None:
        return Answer(error=("NotSupported", f"{call.action} is not supported by this station"))
    return await command(v, call.payload)

"""OCPP 1.6 Remote Trigger, Central System under test.

The 1.6 compliance document is not public: the cases follow the 2.0.1 Part 6 F06 cases
(TC_F_20/23/11_CSMS: the CSMS triggers a message and answers it; TC_F_27_CSMS: it handles a
station that will not send it) translated to 1.6 TriggerMessage (1.6 §5.17, §7.32).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome
from harness.roles.station import MODEL, VENDOR, StationEmulator

TRIGGER = ("remote_trigger",)


def _triggered(dut: Dut, requested: str) -> tuple[str, dict[str, Any]]:
    """The CALL the charge point sends for `requested` (§5.17, §7.32 MessageTrigger)."""
    connector = dut.connector_id(1, 1)
    now = utc_timestamp()
    if requested == "BootNotification":
        return requested, {"chargePointVendor": VENDOR, "chargePointModel": MODEL}
    if requested == "StatusNotification":
        return requested, csms_v16.status(connector, "Available")
    if requested == "MeterValues":
        # §5.17: the most recent measurements; outside a transaction without transactionId.
        sample = {
            "value": "1000",
            "context": "Trigger",
            "measurand": "Energy.Active.Import.Register",
            "unit": "Wh",
        }
        return requested, {
            "connectorId": connector,
            "meterValue": [{"timestamp": now, "sampledValue": [sample]}],
        }
    if requested in ("DiagnosticsStatusNotification", "FirmwareStatusNotification"):
        return requested, {"status": "Idle"}
    return requested, {}


def _answer_ok(check: Checks, action: str, answer: CallOutcome) -> None:
    """The CSMS answers the message it asked for (§5.17; §4.2, §4.6, §4.7, §4.9, §4.4, §4.5)."""
    check.must(
        answer.ok,
        f"{action}.conf to the triggered {action}: expected a CALLRESULT, saw {answer.describe()}",
        ref="1.6 §5.17",
    )
    if action == "BootNotification":
        check.equal(answer.get("status"), "Accepted", "BootNotification.conf status", ref="§4.2")
    if action == "Heartbeat":
        check.must(
            answer.get("currentTime"),
            f"Heartbeat.conf currentTime: expected a dateTime, saw {answer.describe()}",
            ref="1.6 §4.6",
        )


@ocpp_case(
    "TC_054_CSMS",
    version="1.6",
    refs=("1.6 §5.17", "1.6 §7.32", "2.0.1 TC_F_20_CSMS", "2.0.1 TC_F_23_CSMS", "TC_F_11_CSMS"),
    needs=TRIGGER,
)
async def test_trigger_message(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage for each 1.6 MessageTrigger; Accepted, sent, answered by the CSMS.

    Tool validation (TC_F_11/20/23_CSMS step 1): requestedMessage, and connectorId where a
    connector was asked for.
    """
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    asked: list[dict[str, Any]] = [
        {"requestedMessage": "Heartbeat"},
        {"requestedMessage": "StatusNotification", "connectorId": connector},
        {"requestedMessage": "MeterValues", "connectorId": connector},
        {"requestedMessage": "BootNotification"},
        {"requestedMessage": "DiagnosticsStatusNotification"},
        {"requestedMessage": "FirmwareStatusNotification"},
    ]
    for request in asked:
        requested = request["requestedMessage"]
        message = await csms_v16.command(
            station, dut, "TriggerMessage", request, {"status": "Accepted"}
        )
        for key, value in request.items():
            check.equal(message.get(key), value, f"TriggerMessage.req {key}", ref="1.6 §5.17")
        # §5.17: the TriggerMessage.conf goes first, then the requested message.
        action, payload = _triggered(dut, requested)
        _answer_ok(check, action, await station.call(action, payload))


@ocpp_case(
    "TC_055_CSMS",
    version="1.6",
    refs=("1.6 §5.17", "2.0.1 TC_F_27_CSMS"),
    needs=TRIGGER,
)
async def test_trigger_message_rejected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage answered Rejected, then NotImplemented: the CSMS takes note (TC_F_27).

    Nothing is sent for a refused trigger (§5.17); the CSMS must keep serving the charge point.
    """
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    for request, status in (
        ({"requestedMessage": "MeterValues", "connectorId": connector}, "Rejected"),
        ({"requestedMessage": "DiagnosticsStatusNotification"}, "NotImplemented"),
    ):
        message = await csms_v16.command(
            station, dut, "TriggerMessage", request, {"status": status}
        )
        check.equal(
            message.get("requestedMessage"),
            request["requestedMessage"],
            "TriggerMessage.req requestedMessage",
            ref="1.6 §5.17",
        )
        await csms_v16.still_served(station, check, f"TriggerMessage.conf {status}")
        if not station.connected:
            return  # judged by still_served; nothing more can be asked of the CSMS

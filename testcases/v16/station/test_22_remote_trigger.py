"""OCPP 1.6 Remote Trigger, charge point under test (1.6 section 22).

The 1.6 compliance document is not public: the cases follow the 2.0.1 Part 6 TriggerMessage
cases (block F: TC_F_20_CS Heartbeat, TC_F_23_CS StatusNotification, TC_F_11_CS MeterValues,
TC_F_15/F_18 status notifications Idle) translated to 1.6 messages, and cite OCPP 1.6
edition 2 §5.17 (TriggerMessage), §6.51-§6.52, §7.32 MessageTrigger.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


def _requests(dut: Dut) -> list[tuple[dict[str, Any], str, dict[str, Any], str]]:
    """(TriggerMessage.req, expected action, expected fields, 2.0.1 model) per message."""
    connector = dut.connector_id(1, 1)
    asked: list[tuple[dict[str, Any], str, dict[str, Any], str]] = [
        ({"requestedMessage": "Heartbeat"}, "Heartbeat", {}, "TC_F_20_CS"),
        (
            {"requestedMessage": "StatusNotification", "connectorId": connector},
            "StatusNotification",
            {"connectorId": connector, "status": "Available"},
            "TC_F_23_CS",
        ),
        (
            {"requestedMessage": "MeterValues", "connectorId": connector},
            "MeterValues",
            {"connectorId": connector},
            "TC_F_11_CS",
        ),
    ]
    if dut.profile.features.firmware_management:
        asked += [
            (
                {"requestedMessage": "DiagnosticsStatusNotification"},
                "DiagnosticsStatusNotification",
                {"status": "Idle"},
                "TC_F_15_CS",
            ),
            (
                {"requestedMessage": "FirmwareStatusNotification"},
                "FirmwareStatusNotification",
                {"status": "Idle"},
                "TC_F_18_CS",
            ),
        ]
    return asked


@ocpp_case(
    "TC_054_CS",
    version="1.6",
    refs=("1.6 §5.17", "1.6 §7.32", "2.0.1 TC_F_20_CS", "2.0.1 TC_F_23_CS"),
    needs=("remote_trigger",),
)
async def test_trigger_message(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Trigger each station message: Accepted, then the message, after the response (§5.17)."""
    await station_v16.idle(csms, dut)
    for request, action, fields, model in _requests(dut):
        mark = csms.wirelog.now()
        out = await csms.call("TriggerMessage", request, within=dut.timeouts.call)
        if not check.equal(
            out.get("status"),
            "Accepted",
            f"TriggerMessage.conf status for {action} ({model})",
            ref="1.6 §5.17",
        ):
            continue
        message = await csms.expect(action, where=fields, within=dut.timeouts.call, since=mark)
        answered = out.request.answered_at or mark
        check.must(
            message.at >= answered,
            f"{action} sent at {message.at:.3f} s, before TriggerMessage.conf at {answered:.3f} s",
            ref="1.6 §5.17",
        )
        if action == "MeterValues":
            check.must(
                bool(message.get("meterValue")),
                f"triggered MeterValues.req carries current meter values: {message.payload}",
                ref="1.6 §5.17",
            )


@ocpp_case(
    "TC_055_CS",
    version="1.6",
    refs=("1.6 §5.17", "1.6 §7.44", "1.6 §9.1.21"),
    needs=("remote_trigger",),
)
async def test_trigger_message_rejected(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Trigger a StatusNotification for a connector the station lacks: Rejected (§5.17)."""
    await station_v16.idle(csms, dut)
    out = await csms.call("GetConfiguration", within=dut.timeouts.call, key=["NumberOfConnectors"])
    reported = [
        k.get("value")
        for k in out.get("configurationKey", [])
        if k.get("key") == "NumberOfConnectors"
    ]
    count = sum(len(evse.connectors) for evse in dut.profile.evses)
    check.equal(reported, [str(count)], "NumberOfConnectors", ref="1.6 §9.1.21")
    missing = count + 1
    request = {"requestedMessage": "StatusNotification", "connectorId": missing}
    answer = await csms.call("TriggerMessage", request, within=dut.timeouts.call)
    check.equal(
        answer.get("status"),
        "Rejected",
        f"TriggerMessage.conf status for connectorId {missing} of {count}",
        ref="1.6 §5.17, §7.44",
    )

"""OCPP 2.0.1 block B (Provisioning), CSMS under test: boot (B01-B03) and the websocket."""

from __future__ import annotations

import asyncio
import contextlib

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, provisioning_v201
from harness.cases.states.commands_v201 import commanded
from harness.cases.states.device_model_v201 import DeviceModel
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

#: Retry interval (s) the case asks the CSMS to send with Pending: short, so it waits briefly.
RETRY = 1
#: Retry interval for TC_B_31: long, so the triggered boot clearly comes before it expires.
LONG_RETRY = 300


@ocpp_case("TC_B_01_CSMS", version="2.0.1", refs=("B01.FR.02",))
async def test_cold_boot_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Execute Reusable State Booted: the CSMS accepts the registered station (Table 462)."""
    await csms_v201.booted(station, dut, check)


@ocpp_case("TC_B_02_CSMS", version="2.0.1", refs=("B02.FR.01", "B02.FR.06"))
async def test_cold_boot_pending(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Pending first; the station waits the interval, answering the CSMS; then Accepted.

    Part 6 Table 463. During the interval the CSMS may read or set variables (B05/B06) or ask
    for a report (B07); the emulated station answers from its device model and sends the
    report a GetBaseReport asked for.
    """
    model = DeviceModel()
    station.on("GetVariables").respond_with(model.get_variables)
    station.on("SetVariables").respond_with(model.set_variables)
    await provisioning_v201.arm_first_boot(dut, "Pending", RETRY)
    await station.connect()
    first = await station.boot("PowerUp")
    check.equal(first.get("status"), "Pending", "step 2 BootNotificationResponse status")
    if first.get("status") == "Pending":
        await provisioning_v201.wait_quietly(provisioning_v201.retry_wait(first, dut))
    for request in station.received("GetBaseReport"):
        entries = model.report_data(request["reportBase"] == "ConfigurationInventory")
        await provisioning_v201.send_report(
            station, check, request["requestId"], entries, step="interval: NotifyReport"
        )
    second = await station.boot("PowerUp")
    check.equal(
        second.get("status"), "Accepted", "step 4 BootNotificationResponse status", ref="B02.FR.06"
    )
    await provisioning_v201.report_connectors(station, dut, check, "step 6")


@ocpp_case("TC_B_30_CSMS", version="2.0.1", refs=("B02.FR.09", "B03.FR.07"))
async def test_pending_security_error(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """While Pending, a StatusNotificationRequest gets CALLERROR SecurityError (Table 464)."""
    await provisioning_v201.arm_first_boot(dut, "Pending", LONG_RETRY)
    await station.connect()
    boot = await station.boot("PowerUp")
    check.must(
        boot.get("status") in ("Pending", "Rejected"),
        f"step 2 BootNotificationResponse status: expected Pending or Rejected, saw "
        f"{boot.get('status')!r}",
    )
    for evse in dut.profile.evses:
        for connector in evse.connectors:
            answer = await station.call(
                "StatusNotification", csms_v201.status(evse.id, connector, "Available")
            )
            code = answer.error.code if answer.error is not None else None
            check.must(
                code == "SecurityError",
                f"step 4 StatusNotification {evse.id}/{connector} before acceptance: expected "
                f"CALLERROR SecurityError, saw {answer.describe()}",
                ref="B02.FR.09",
            )


@ocpp_case("TC_B_31_CSMS", version="2.0.1", refs=("B02", "F06"))
async def test_pending_trigger_boot(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Pending, then the CSMS triggers a BootNotification before the interval (Table 465)."""
    await provisioning_v201.arm_first_boot(dut, "Pending", LONG_RETRY)
    await station.connect()
    first = await station.boot("PowerUp")
    check.must(
        first.get("status") in ("Pending", "Rejected"),
        f"step 2 BootNotificationResponse status: expected Pending or Rejected, saw "
        f"{first.get('status')!r}",
    )
    station.on("TriggerMessage").respond(status="Accepted")
    trigger = await commanded(
        station, dut, "TriggerMessage", {"requestedMessage": "BootNotification"}
    )
    check.equal(
        trigger.get("requestedMessage"), "BootNotification", "step 3 requestedMessage", ref="F06"
    )
    second = await station.boot("Triggered")
    check.equal(second.get("status"), "Accepted", "step 6 BootNotificationResponse status")
    await provisioning_v201.report_connectors(station, dut, check, "step 8")


@ocpp_case("TC_B_58_CSMS", version="2.0.1", refs=("Part 4 §3.1.2", "Part 4 §3.2"))
async def test_subprotocol_validation(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Only `ocpp0.1` offered: no websocket; `ocpp0.1, ocpp2.0.1`: ocpp2.0.1 is selected.

    Part 4 §3.2: without a common subprotocol the CSMS refuses the upgrade, or completes it
    without Sec-WebSocket-Protocol and closes the websocket at once.
    """
    wanted = station.version.subprotocol
    refused = await station.try_connect(subprotocols=("ocpp0.1",))
    if refused is None and station.connection is not None:
        chosen = station.connection.websocket.subprotocol
        check.must(
            chosen is None,
            f"step 2: with only ocpp0.1 offered the CSMS must not select a subprotocol, "
            f"it selected {chosen!r}",
            ref="Part 4 §3.2",
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(station.connection.closed.wait(), dut.timeouts.call)
        check.must(
            station.connection.closed.is_set(),
            f"step 2: the CSMS must close a websocket without a common subprotocol; it was "
            f"still open after {dut.timeouts.call:g} s",
            ref="Part 4 §3.2",
        )
        await station.disconnect()
    refused = await station.try_connect(subprotocols=("ocpp0.1", wanted))
    check.must(
        refused is None,
        f"step 4: the CSMS must upgrade when {wanted} is offered too, it refused: {refused}",
        ref="Part 4 §3.1.2",
    )
    if refused is None and station.connection is not None:
        response = station.connection.websocket.response
        header = response.headers.get("Sec-WebSocket-Protocol") if response else None
        check.equal(header, wanted, "step 4 Sec-WebSocket-Protocol of the upgrade response")

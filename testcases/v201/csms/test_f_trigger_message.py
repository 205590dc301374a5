"""OCPP 2.0.1 block F (Remote Control), CSMS under test: TriggerMessage (F06).

The CSMS asks for a message; the emulated station accepts (or says NotImplemented), sends
what was asked for, and the CSMS must answer it.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.csms_v201 import status
from harness.cases.states.meter_v201 import EnergyMeter, meter_value
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

Payload = dict[str, Any]


async def _triggered(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    requested: str,
    *,
    evse: int | None = None,
    answer: str = "Accepted",
    step: str,
) -> None:
    """Have the CSMS send TriggerMessage for `requested` (and `evse`); check; answer."""
    station.on("TriggerMessage", once=True).respond_exact({"status": answer})
    payload: Payload = {"requestedMessage": requested}
    expected: Payload = {"requestedMessage": requested}
    if evse is not None:
        payload["evse"] = {"id": evse}
        expected["evse.id"] = evse
    request = await commanded(station, dut, "TriggerMessage", payload)
    check_fields(check, request, expected, ref=step)


async def _answered(
    station: StationEmulator, check: Checks, action: str, payload: Payload, step: str
) -> None:
    """Send the triggered message; the CSMS must answer it with a valid response."""
    answer = await station.call(action, payload)
    check.must(answer.ok, f"expected a valid {action}Response, saw {answer.describe()}", ref=step)


@ocpp_case(
    "TC_F_11_CSMS", version="2.0.1", refs=("F06.FR.01", "F06.FR.02"), needs=("remote_trigger",)
)
async def test_trigger_meter_values_evse(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage MeterValues for EVSE 1; MeterValues (context Trigger) for that EVSE."""
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "MeterValues", evse=1, step="TC_F_11_CSMS step 1")
    reading = meter_value(EnergyMeter().read(), "Trigger")
    payload = {"evseId": 1, "meterValue": [reading]}
    await _answered(station, check, "MeterValues", payload, "TC_F_11_CSMS step 4")


@ocpp_case("TC_F_12_CSMS", version="2.0.1", refs=("F06.FR.01",), needs=("remote_trigger",))
async def test_trigger_meter_values_all(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage MeterValues without an EVSE; MeterValues (Trigger) from every EVSE.

    MeterValuesRequest requires evseId, so "evseId omitted" in Part 6 is read as: one
    message per EVSE, none singled out by the request.
    """
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "MeterValues", step="TC_F_12_CSMS step 1")
    meter = EnergyMeter()
    for evse in dut.profile.evses:
        payload = {"evseId": evse.id, "meterValue": [meter_value(meter.read(), "Trigger")]}
        await _answered(station, check, "MeterValues", payload, "TC_F_12_CSMS step 4")


async def _triggered_transaction_event(s: Session, *, with_evse: bool, step: str) -> None:
    """Updated on Trigger: Charging, with a meter value of context Trigger."""
    reading = meter_value(s.meter.read(), "Trigger")
    event = s.event(
        "Updated",
        "Trigger",
        with_evse=with_evse,
        meter_value=[reading],
        chargingState="Charging",
    )
    await s.send(event, step)


@ocpp_case(
    "TC_F_13_CSMS", version="2.0.1", refs=("F06.FR.01", "F06.FR.02"), needs=("remote_trigger",)
)
async def test_trigger_transaction_event_evse(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging; TriggerMessage TransactionEvent for EVSE 1; Updated on Trigger for it."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    await _triggered(station, dut, check, "TransactionEvent", evse=1, step="TC_F_13_CSMS step 1")
    await _triggered_transaction_event(s, with_evse=True, step="TC_F_13_CSMS step 4")


@ocpp_case("TC_F_14_CSMS", version="2.0.1", refs=("F06.FR.01",), needs=("remote_trigger",))
async def test_trigger_transaction_event_all(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging; TriggerMessage TransactionEvent without an EVSE; Updated (no evse) follows."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    await _triggered(station, dut, check, "TransactionEvent", step="TC_F_14_CSMS step 1")
    await _triggered_transaction_event(s, with_evse=False, step="TC_F_14_CSMS step 4")


@ocpp_case("TC_F_15_CSMS", version="2.0.1", refs=("F06.FR.01",), needs=("remote_trigger",))
async def test_trigger_log_status_idle(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage LogStatusNotification; LogStatusNotification Idle (no upload running)."""
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "LogStatusNotification", step="TC_F_15_CSMS step 1")
    await _answered(
        station, check, "LogStatusNotification", {"status": "Idle"}, "TC_F_15_CSMS step 4"
    )


@ocpp_case("TC_F_18_CSMS", version="2.0.1", refs=("F06.FR.01",), needs=("remote_trigger",))
async def test_trigger_firmware_status_idle(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """TriggerMessage FirmwareStatusNotification; FirmwareStatusNotification Idle."""
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "FirmwareStatusNotification", step="TC_F_18_CSMS step 1")
    await _answered(
        station, check, "FirmwareStatusNotification", {"status": "Idle"}, "TC_F_18_CSMS step 4"
    )


@ocpp_case("TC_F_20_CSMS", version="2.0.1", refs=("F06.FR.01",))
async def test_trigger_heartbeat(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage Heartbeat; Heartbeat; the CSMS answers with its current time."""
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "Heartbeat", step="TC_F_20_CSMS step 1")
    await _answered(station, check, "Heartbeat", {}, "TC_F_20_CSMS step 4")


@ocpp_case(
    "TC_F_23_CSMS",
    version="2.0.1",
    refs=("F06.FR.01", "F06.FR.02", "F06.FR.13"),
    needs=("remote_trigger",),
)
async def test_trigger_status_available(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """TriggerMessage StatusNotification for EVSE 1; StatusNotification Available for it."""
    await csms_v201.booted(station, dut, check)
    await _triggered(station, dut, check, "StatusNotification", evse=1, step="TC_F_23_CSMS step 1")
    await _answered(
        station, check, "StatusNotification", status(1, 1, "Available"), "TC_F_23_CSMS step 4"
    )


@ocpp_case(
    "TC_F_24_CSMS",
    version="2.0.1",
    refs=("F06.FR.01", "F06.FR.02", "F06.FR.13"),
    needs=("remote_trigger",),
)
async def test_trigger_status_occupied(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Occupied; TriggerMessage StatusNotification for EVSE 1; StatusNotification Occupied."""
    await csms_v201.booted(station, dut, check)
    await _answered(
        station, check, "StatusNotification", status(1, 1, "Occupied"), "TC_F_24_CSMS step 2"
    )
    await _triggered(station, dut, check, "StatusNotification", evse=1, step="TC_F_24_CSMS step 3")
    await _answered(
        station, check, "StatusNotification", status(1, 1, "Occupied"), "TC_F_24_CSMS step 6"
    )


@ocpp_case("TC_F_27_CSMS", version="2.0.1", refs=("F06.FR.08",))
async def test_trigger_not_implemented(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The station answers TriggerMessage NotImplemented; the CSMS keeps the session going.

    Part 6 has no tool validation here; what is checked is that the answer does not upset
    the CSMS: the connection stays open and a Heartbeat is still answered.
    """
    await csms_v201.booted(station, dut, check)
    await _triggered(
        station,
        dut,
        check,
        "MeterValues",
        answer="NotImplemented",
        step="TC_F_27_CSMS step 1",
    )
    open_now = check.must(
        station.connected,
        "after TriggerMessageResponse NotImplemented: expected the connection open, saw it "
        f"closed ({station.connection.close_reason if station.connection else 'no connection'})",
        ref="TC_F_27_CSMS step 2",
    )
    if open_now:
        heartbeat = await station.call("Heartbeat", {}, allow_no_answer=True)
        check.must(
            heartbeat.ok,
            f"Heartbeat after the NotImplemented answer: expected a valid HeartbeatResponse, "
            f"saw {heartbeat.describe()}",
            ref="TC_F_27_CSMS step 2",
        )

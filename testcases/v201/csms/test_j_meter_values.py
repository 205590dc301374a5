"""OCPP 2.0.1 block J (Meter Values), CSMS under test: clock-aligned and sampled readings.

Readings come at the profile's meter interval (`timeouts.meter_interval`, which stands for
Part 6's configured clock-aligned and sampled intervals); a transaction lasts two intervals
(Part 6's configured transaction duration).
"""

from __future__ import annotations

import asyncio
from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.meter_v201 import EnergyMeter, MeterSigner, meter_value, next_aligned
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator

Payload = dict[str, Any]

#: Intervals a transaction of these cases lasts (Part 6 <Configured transaction duration>).
TRANSACTION_INTERVALS = 2


async def _clock_round(
    station: StationEmulator,
    check: Checks,
    meters: dict[int, EnergyMeter],
    interval: float,
    seq_no: int,
    step: str,
) -> None:
    """One clock-aligned round: MeterValues (Sample.Clock) per EVSE, one NotifyEvent for all."""
    at = await next_aligned(interval)
    events: list[Payload] = []
    for evse, meter in meters.items():
        reading = meter.read()
        payload = {"evseId": evse, "meterValue": [meter_value(reading, "Sample.Clock", at=at)]}
        answer = await station.call("MeterValues", payload)
        check.must(
            answer.ok,
            f"expected a valid MeterValuesResponse for EVSE {evse}, saw {answer.describe()}",
            ref=step,
        )
        component: Payload = {"name": "FiscalMetering"}
        if evse:
            component["evse"] = {"id": evse}
        events.append(
            {
                "eventId": len(events) + 1,
                "timestamp": utc_timestamp(at),
                "trigger": "Periodic",
                "actualValue": f"{reading}",
                "eventNotificationType": "PreconfiguredMonitor",
                "component": component,
                "variable": {"name": "EnergyImportRegister"},
            }
        )
    notify = await station.call(
        "NotifyEvent", generatedAt=utc_timestamp(), seqNo=seq_no, eventData=events
    )
    check.must(
        notify.ok,
        f"expected a valid NotifyEventResponse to FiscalMetering readings, saw {notify.describe()}",
        ref=step,
    )


@ocpp_case("TC_J_01_CSMS", version="2.0.1", refs=("J01.FR.18",))
async def test_clock_aligned_idle(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """No transaction: three clock-aligned rounds for EVSE 0 (main meter) and every EVSE."""
    await csms_v201.booted(station, dut, check)
    meters = {evse: EnergyMeter() for evse in [0, *(e.id for e in dut.profile.evses)]}
    for round_no in range(3):
        await _clock_round(
            station, check, meters, dut.timeouts.meter_interval, round_no, "TC_J_01_CSMS step 2"
        )


@ocpp_case("TC_J_02_CSMS", version="2.0.1", refs=("J01.FR.18",))
async def test_clock_aligned_transaction(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging on EVSE 1: clock rounds for EVSE 0 and idle EVSEs, Updated MeterValueClock."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    idle = [0, *(e.id for e in dut.profile.evses if e.id != s.evse)]
    meters = {evse: EnergyMeter() for evse in idle}
    interval = dut.timeouts.meter_interval
    for round_no in range(TRANSACTION_INTERVALS):
        await _clock_round(station, check, meters, interval, round_no, "TC_J_02_CSMS step 2")
        reading = meter_value(s.meter.read(), "Sample.Clock")
        event = s.event("Updated", "MeterValueClock", meter_value=[reading])
        await s.send(event, "TC_J_02_CSMS step 4")


async def _stored_readings(
    s: Session, context: str, interval: float, signer: MeterSigner | None
) -> list[Payload]:
    """Readings the station takes during the transaction and reports in its Ended event.

    Sample.Clock readings fall on clock-aligned moments, Sample.Periodic ones one interval
    apart; the Transaction.End reading closes the list.
    """
    readings: list[Payload] = []
    for _ in range(TRANSACTION_INTERVALS):
        if context == "Sample.Clock":
            at = await next_aligned(interval)
        else:
            await asyncio.sleep(interval)
            at = None
        readings.append(meter_value(s.meter.read(), context, at=at, signer=signer))
    readings.append(meter_value(s.meter.read(), "Transaction.End", signer=signer))
    return readings


async def _ended_with_readings(
    station: StationEmulator, dut: Dut, check: Checks, context: str, *, signed: bool
) -> None:
    """EnergyTransferStarted, readings for the transaction duration, EVDisconnected with them."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    signer = MeterSigner() if signed else None
    readings = await _stored_readings(s, context, dut.timeouts.meter_interval, signer)
    await session_v201.ev_disconnected(s, meter_value=readings)


@ocpp_case("TC_J_03_CSMS", version="2.0.1", refs=("J01.FR.18",))
async def test_clock_aligned_ended(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The Ended event carries the Sample.Clock readings, the last one Transaction.End."""
    await _ended_with_readings(station, dut, check, "Sample.Clock", signed=False)


@ocpp_case("TC_J_04_CSMS", version="2.0.1", refs=("J01.FR.21",))
async def test_clock_aligned_signed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """As TC_J_03_CSMS, every reading with a signedMeterValue."""
    await _ended_with_readings(station, dut, check, "Sample.Clock", signed=True)


@ocpp_case("TC_J_07_CSMS", version="2.0.1", refs=("J02.FR.19",))
async def test_sampled_started_evse_known(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EVConnectedPreSession whose Started event carries a Transaction.Begin reading."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    begin = meter_value(s.meter.read(), "Transaction.Begin")
    await session_v201.ev_connected_pre_session(s, meter_value=[begin])


@ocpp_case("TC_J_08_CSMS", version="2.0.1", refs=("J02.FR.19",))
async def test_sampled_begin_evse_unknown(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Authorized first (no EVSE); the Transaction.Begin reading comes with the plug-in event."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.authorized(s)
    begin = meter_value(s.meter.read(), "Transaction.Begin")
    await session_v201.ev_connected_pre_session(s, meter_value=[begin])
    await session_v201.energy_transfer_started(s)


@ocpp_case("TC_J_09_CSMS", version="2.0.1", refs=("J02.FR.19",))
async def test_sampled_updated(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging: three Updated events on MeterValuePeriodic, one sampled interval apart."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    for _ in range(3):
        await asyncio.sleep(dut.timeouts.meter_interval)
        reading = meter_value(s.meter.read(), "Sample.Periodic")
        event = s.event("Updated", "MeterValuePeriodic", meter_value=[reading])
        await s.send(event, "TC_J_09_CSMS step 2")


@ocpp_case("TC_J_10_CSMS", version="2.0.1", refs=("J02.FR.19",))
async def test_sampled_ended(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The Ended event carries the Sample.Periodic readings, the last one Transaction.End."""
    await _ended_with_readings(station, dut, check, "Sample.Periodic", signed=False)


@ocpp_case("TC_J_11_CSMS", version="2.0.1", refs=("J02.FR.21",))
async def test_sampled_signed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """As TC_J_10_CSMS, every reading with a signedMeterValue."""
    await _ended_with_readings(station, dut, check, "Sample.Periodic", signed=True)

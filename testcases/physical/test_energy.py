"""PHY energy: the transaction's energy as the station reports it against the reference meter.

DESIGN.md "The rig", metering: compare meterStop - meterStart (1.6 §6.45/§6.49) or the
Energy.Active.Import.Register delta between TransactionEvent Started and Ended (2.0.1 E01/E06,
J02) with the energy the analyzer integrates over the whole transaction, within the meter's
MID class + the reference's uncertainty + the register resolution + a timing allowance.

The integration brackets the transaction (started before the EV is plugged in, stopped after
the measured current is back to zero), so no energy of the transaction falls outside it.
Windows: 1.6 registers are whole Wh (1 Wh resolution), so its window is long enough (18 s at
22 kW, about 110 Wh) for a few-percent error to exceed the budget; 2.0.1 reports 0.1 Wh.
"""

from __future__ import annotations

import asyncio

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import (
    PWM_OFF_OPEN_S,
    Trace,
    energy_budget,
    poll_until,
    reported,
    sampling,
)
from harness.cases.rig_session import PhysicalRig
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.report.plots import Panel, Series
from harness.roles.csms import CsmsEmulator
from testcases.physical import steps

WINDOW_16_S = 18.0
WINDOW_201_S = 6.0
REFS = ("DESIGN.md The rig: metering", "MID class (EN 50470-3)")


async def _integrating(rig: PhysicalRig) -> None:
    meter = rig.meter(1)
    await meter.integration_reset()
    await meter.integration_start()
    rig.note("analyzer integration started before the transaction")


async def _stopped_integration(rig: PhysicalRig, check: Checks, trace: Trace) -> float:
    """Wait (bounded) for zero current, stop integrating, return the analyzer's energy."""
    meter = rig.meter(1)
    took, current = await poll_until(
        meter.current_a, lambda amps: amps == 0.0, PWM_OFF_OPEN_S + 1.0, clock=rig.now
    )
    check.must(
        took is not None,
        f"current back to 0 A within {PWM_OFF_OPEN_S + 1:g} s of the stop before the energy "
        f"comparison: last reading {current:g} A",
        ref="IEC 61851-1 (PWM off with EV in C: off within 6 s)",
    )
    await meter.integration_stop()
    energy = await meter.energy_wh()
    trace.line("analyzer energy (Wh)").add(rig.now(), energy)
    return energy


def _compare(
    check: Checks, rig: PhysicalRig, trace: Trace, delta: float, measured: float, resolution: float
) -> None:
    meter = rig.meter(1)
    peak = max((v for _, v in trace.line("measured P (W)").points), default=0.0)
    budget = energy_budget(meter, resolution, peak)
    error = delta - measured
    check.must(
        measured > 0.0,
        f"the analyzer measured energy during the transaction: {measured:.3f} Wh",
        ref="DESIGN.md The rig",
    )
    check.must(
        abs(error) <= budget.allowed(measured),
        f"reported transaction energy {delta:.3f} Wh vs reference {measured:.3f} Wh: error "
        f"{error:+.3f} Wh ({100 * error / measured if measured else float('nan'):+.2f} %); "
        + budget.describe(measured),
        ref="DESIGN.md The rig (meter accuracy); MID class",
    )


def _plot(trace: Trace, name: str, title: str, register: Series) -> None:
    trace.save(
        name,
        title,
        [
            Panel("energy since start (Wh)", [trace.line("analyzer energy (Wh)"), register]),
            Panel("power (W)", [trace.line("measured P (W)")]),
        ],
    )


@harness_case(
    "PHY_16_energy",
    version="1.6",
    dut_role="station",
    title="meterStop - meterStart matches the reference meter's energy",
    section="Physical",
    profile="Physical",
    refs=("1.6 §6.45", "1.6 §6.49", *REFS),
    needs=("plug_in", "present_token"),
)
async def test_energy_16(csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
    """Charge for WINDOW_16_S; the register delta agrees with the analyzer's integral."""
    await station_v16.idle(csms, dut)
    trace = Trace(rig)
    await _integrating(rig)
    async with sampling(trace, rig.meter(1), energy=True, period=0.5):
        start = await station_v16.session(csms, dut, check)
        trace.event("StartTransaction", start.at)
        await asyncio.sleep(WINDOW_16_S)
        mark = csms.wirelog.now()
        transaction = station_v16.transaction_id(start)
        answer = await csms.call("RemoteStopTransaction", transactionId=transaction)
        check.equal(answer.get("status"), "Accepted", "RemoteStopTransaction.conf status")
        trace.event("RemoteStopTransaction", mark)
        stop = await station_v16.stopped(csms, dut, check, start, since=mark, reason="Remote")
        trace.event("StopTransaction", stop.at)
        measured = await _stopped_integration(rig, check, trace)
    delta = float(stop["meterStop"]) - float(start["meterStart"])
    _compare(check, rig, trace, delta, measured, resolution=1.0)
    register = Series("station register - meterStart (Wh)", markers=True)
    register.add(start.at, 0.0)
    for at, value in reported(csms.received("MeterValues"), steps.REGISTER):
        register.add(at, value - float(start["meterStart"]))
    register.add(stop.at, delta)
    _plot(trace, "energy", "PHY_16_energy: station register vs reference meter", register)


def _resolution(*values: float) -> float:
    """Register resolution (Wh) inferred from the decimals the station reports (>= 0.001)."""
    decimals = 0
    for value in values:
        text = f"{value:.3f}".rstrip("0")
        decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)
    return 10.0**-decimals


@harness_case(
    "PHY_201_energy",
    version="2.0.1",
    dut_role="station",
    title="Energy register delta of a transaction matches the reference meter's energy",
    section="Physical",
    profile="Physical",
    refs=("2.0.1 E01", "2.0.1 E06", "2.0.1 J02", *REFS),
    needs=("plug_in", "present_token"),
)
async def test_energy_201(csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
    """Charge for WINDOW_201_S; the Started -> Ended register delta agrees with the analyzer."""
    from harness.cases.states import station_v201

    await station_v201.idle(csms, dut)
    trace = Trace(rig)
    await _integrating(rig)
    async with sampling(trace, rig.meter(1), energy=True, period=0.25):
        charging = await steps.start_201(csms, dut, check)
        trace.event("Charging", charging.at)
        await asyncio.sleep(WINDOW_201_S)
        transaction = steps.transaction_of_201(csms)
        mark = csms.wirelog.now()
        answer = await csms.call("RequestStopTransaction", transactionId=transaction)
        check.equal(answer.get("status"), "Accepted", "RequestStopTransactionResponse status")
        trace.event("RequestStopTransaction", mark)
        ended = await csms.expect(
            "TransactionEvent",
            where={"eventType": "Ended", "transactionInfo": {"transactionId": transaction}},
            within=dut.timeouts.action,
            since=mark,
        )
        trace.event("Ended", ended.at)
        measured = await _stopped_integration(rig, check, trace)
    events = csms.received(
        "TransactionEvent", where={"transactionInfo": {"transactionId": transaction}}
    )
    started = next((e for e in events if e["eventType"] == "Started"), None)
    first = steps.register_201(started) if started is not None else None
    last = steps.register_201(ended)
    check.must(
        first is not None and last is not None,
        f"Started and Ended carry {steps.REGISTER}: Started {first}, Ended {last}",
        ref="2.0.1 J02 (TxStartedMeasurands / TxEndedMeasurands)",
    )
    if first is None or last is None:
        return
    # Every register reading of the transaction shows the resolution: the two ends alone can
    # both happen to be whole Wh.
    readings = [value for _, value in reported(events, steps.REGISTER)]
    resolution = _resolution(first, last, *readings)
    _compare(check, rig, trace, last - first, measured, resolution=resolution)
    register = Series("station register - Started (Wh)", markers=True)
    for at, value in reported(events, steps.REGISTER):
        register.add(at, value - first)
    _plot(trace, "energy", "PHY_201_energy: station register vs reference meter", register)

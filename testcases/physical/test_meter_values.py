"""PHY meter values: reported power and current agree with the measurement at the sample times.

1.6 MeterValues.req (§4.7, MeterValuesSampledData) and 2.0.1 TransactionEvent
MeterValuePeriodic (J02, TxUpdatedMeasurands) carry Power.Active.Import and Current.Import;
each sample is compared with the analyzer's readings around its arrival, within the meter's
class + the reference's uncertainty + the reported resolution. The EV charges (C), suspends
(B: nothing flows) and resumes, so a station reporting a current it does not deliver is seen.
Samples whose window (0.4 s before to 0.25 s after arrival) spans a change of the measured
value are ambiguous and not judged.
"""

from __future__ import annotations

import asyncio

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import Trace, close_to, reported, sampling
from harness.cases.rig_session import PhysicalRig
from harness.cases.states import station_v16, station_v201
from harness.dut.device import Dut
from harness.report.plots import Panel, Series
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message
from testcases.physical import steps

#: Seconds of each EV phase: charging, suspended (B), charging again.
PHASE_S = 3.0
#: Measured readings from this long before to this long after a sample's arrival are its
#: comparison window (s): the station reads its meter shortly before sending, and the trace
#: samples every 0.1 s.
WINDOW_S = 0.4
AFTER_S = 0.25
#: Reported values are rounded to 0.1 (both reference formats); resolution term.
RESOLUTION = 0.1
MEASURANDS = {"Power.Active.Import": "measured P (W)", "Current.Import": "measured I (A)"}


def _judge(check: Checks, rig: PhysicalRig, trace: Trace, messages: list[Message]) -> None:
    """Compare each reported sample with the stable measurement around its arrival."""
    meter = rig.meter(1)
    relative = (meter.accuracy_percent + meter.reference_uncertainty_percent) / 100.0
    judged = {"charging": 0, "suspended": 0}
    for measurand, line in MEASURANDS.items():
        measured = trace.line(line).points
        for at, value in reported(messages, measurand):
            window = [v for t, v in measured if at - WINDOW_S <= t <= at + AFTER_S]
            if not window or max(window) - min(window) > relative * max(window) + RESOLUTION:
                continue  # the value changed around the sample: ambiguous
            truth = sum(window) / len(window)
            allowed = relative * truth + RESOLUTION
            judged["charging" if truth > 0 else "suspended"] += 1
            check.must(
                close_to(value, truth, allowed),
                f"{measurand} reported at {at:.2f} s: {value:g}, measured {truth:g} "
                f"(budget {allowed:.2f} = class {meter.accuracy_percent:g} % + reference "
                f"{meter.reference_uncertainty_percent:g} % + resolution {RESOLUTION:g})",
                ref="1.6 §4.7 / 2.0.1 J02; DESIGN.md The rig",
            )
    check.must(
        judged["charging"] >= 2 and judged["suspended"] >= 2,
        f"samples judged while charging {judged['charging']}, while suspended "
        f"{judged['suspended']} (need 2 of each at a sample interval of 1 s)",
        ref="1.6 §4.7 / 2.0.1 J02",
    )
    panels = []
    for measurand, line in MEASURANDS.items():
        station = Series(f"station {measurand}", reported(messages, measurand), markers=True)
        panels.append(Panel(line.split(" ", 1)[1], [trace.line(line), station]))
    trace.save("meter_values", "reported vs measured power and current", panels)


async def _phases(dut: Dut, trace: Trace) -> None:
    """Charge, suspend (the EV goes to B), resume, PHASE_S each."""
    await asyncio.sleep(PHASE_S)
    trace.event("EV C->B")
    await dut.ev_suspend()
    await asyncio.sleep(PHASE_S)
    trace.event("EV B->C")
    await dut.ev_resume()
    await asyncio.sleep(PHASE_S)


@harness_case(
    "PHY_16_meter_values",
    version="1.6",
    dut_role="station",
    title="MeterValues power and current match the measurement",
    section="Physical",
    profile="Physical",
    refs=("1.6 §4.7", "1.6 §9.1.14 MeterValuesSampledData"),
    needs=("plug_in", "present_token"),
)
async def test_meter_values_16(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """Sampled Power.Active.Import / Current.Import agree with the analyzer, charging or not."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "MeterValuesSampledData", steps.SAMPLED)
    await station_v16.configured(csms, "MeterValueSampleInterval", "1")
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), period=0.1):
        start = await station_v16.session(csms, dut, check)
        trace.event("StartTransaction", start.at)
        await _phases(dut, trace)
    samples = csms.received("MeterValues", where={"connectorId": 1})
    csms.consume_all(since=start.at)
    _judge(check, rig, trace, samples)


@harness_case(
    "PHY_201_meter_values",
    version="2.0.1",
    dut_role="station",
    title="TransactionEvent power and current match the measurement",
    section="Physical",
    profile="Physical",
    refs=("2.0.1 J02", "2.0.1 E02"),
    needs=("plug_in", "present_token"),
)
async def test_meter_values_201(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """MeterValuePeriodic Power.Active.Import / Current.Import agree with the analyzer."""
    await station_v201.idle(csms, dut)
    await steps.variable_201(csms, "SampledDataCtrlr", "TxUpdatedMeasurands", steps.SAMPLED)
    await steps.variable_201(csms, "SampledDataCtrlr", "TxUpdatedInterval", "1")
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), period=0.1):
        charging = await steps.start_201(csms, dut, check)
        trace.event("Charging", charging.at)
        await _phases(dut, trace)
    samples = csms.received("TransactionEvent", where={"triggerReason": "MeterValuePeriodic"})
    csms.consume_all(since=charging.at)
    _judge(check, rig, trace, samples)

"""PHY stop: after a stop, current reaches zero and the contactor opens in the allowed time.

IEC 61851-1 (DESIGN.md table): the EV going C -> B opens the contactor within 100 ms; when the
EVSE stops PWM and the EV stays in C, the EVSE switches off within 6 s. Two ways to stop:

* `remote`: RemoteStopTransaction (1.6 §5.12) / RequestStopTransaction (2.0.1 F03) with the EV
  left in C: PWM off, current 0 and outlet voltage 0 within 6 s of the request;
* `unplug`: the EV goes C -> B (timed: no current and no outlet voltage within 100 ms), then
  A; the station ends the transaction (1.6 §4.10 EVDisconnected, 2.0.1 E10).

Times are measured from before the command to the first reading that shows the change, so
they include the instruments' round trips (an upper bound on the station's reaction).
"""

from __future__ import annotations

import asyncio

import pytest

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import (
    C_TO_B_OPEN_S,
    PWM_OFF_OPEN_S,
    Trace,
    poll_until,
    sampling,
)
from harness.cases.rig_session import PhysicalRig
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.report.plots import Panel
from harness.roles.csms import CsmsEmulator
from testcases.physical import steps

HOW = ["remote", "unplug"]
#: How long the contactor is watched after the bound before giving up (s).
WATCH_S = 1.0


async def _after_remote(check: Checks, rig: PhysicalRig, trace: Trace, mark: float) -> None:
    """Current 0, outlet voltage 0 and PWM off within PWM_OFF_OPEN_S of the stop request."""
    meter, ev = rig.meter(1), rig.ev(1)
    bound = PWM_OFF_OPEN_S
    remaining = max(0.0, bound - (rig.now() - mark))

    async def energized() -> float:
        return max(await meter.current_a(), await meter.voltage_v())

    took, last = await poll_until(energized, lambda v: v == 0.0, remaining, clock=rig.now)
    elapsed = None if took is None else rig.now() - mark
    trace.event("contactor open" if took is not None else "still energized")
    check.must(
        took is not None,
        f"current 0 A and outlet voltage 0 V within {bound:g} s of the stop request "
        f"(EV left in C): "
        + ("never" if elapsed is None else f"after {elapsed:.2f} s")
        + f", last max(I, U) {last:g}",
        ref="IEC 61851-1 (PWM stopped, EV in C: off within 6 s)",
    )
    duty = await ev.pwm_duty_percent()
    check.must(duty == 0.0, f"PWM off after the stop: duty {duty:g} %", ref="IEC 61851-1")


async def _unplug(check: Checks, rig: PhysicalRig, trace: Trace) -> None:
    """C -> B timed (100 ms), then B -> A."""
    trace.event("EV C->B")
    edge = await steps.pilot_edge(
        rig, rig.ev(1), rig.meter(1), "B", C_TO_B_OPEN_S, C_TO_B_OPEN_S + WATCH_S
    )
    check.must(
        edge.within,
        edge.describe("contactor open (I = 0 A, U = 0 V) after the EV goes C -> B"),
        ref="IEC 61851-1 (C -> B: open within 100 ms)",
    )
    trace.event("EV B->A")
    await rig.ev(1).set_cp_state("A")


def _plot(trace: Trace, name: str) -> None:
    trace.save(
        "stop",
        f"{name}: current, power and PWM around the stop",
        [
            Panel("current (A)", [trace.line("measured I (A)")]),
            Panel("PWM duty (%)", [trace.line("PWM duty (%)")]),
        ],
    )


@pytest.mark.parametrize("how", HOW)
@harness_case(
    "PHY_16_stop",
    version="1.6",
    dut_role="station",
    title="After a stop the current reaches zero and the contactor opens in time",
    section="Physical",
    profile="Physical",
    refs=("1.6 §4.10", "1.6 §5.12", "IEC 61851-1"),
    needs=("plug_in", "present_token"),
)
async def test_stop_16(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig, how: str
) -> None:
    """Stop by RemoteStopTransaction (EV stays in C) or by the EV (C -> B -> A)."""
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), rig.ev(1), period=0.1):
        start = await steps.start_16(csms, dut, check)
        trace.event("StartTransaction", start.at)
        await asyncio.sleep(1.0)
        mark = rig.now()
        if how == "remote":
            transaction = station_v16.transaction_id(start)
            answer = await csms.call("RemoteStopTransaction", transactionId=transaction)
            check.equal(answer.get("status"), "Accepted", "RemoteStopTransaction.conf status")
            trace.event("RemoteStopTransaction", mark)
            await _after_remote(check, rig, trace, mark)
            reason = "Remote"
        else:
            await _unplug(check, rig, trace)
            reason = "EVDisconnected"
        await station_v16.stopped(csms, dut, check, start, since=mark, reason=reason)
        await asyncio.sleep(0.3)
    csms.consume_all(since=start.at)
    _plot(trace, f"PHY_16_stop[{how}]")


@pytest.mark.parametrize("how", HOW)
@harness_case(
    "PHY_201_stop",
    version="2.0.1",
    dut_role="station",
    title="After a stop the current reaches zero and the contactor opens in time",
    section="Physical",
    profile="Physical",
    refs=("2.0.1 E06", "2.0.1 F03", "2.0.1 E10", "IEC 61851-1"),
    needs=("plug_in", "present_token"),
)
async def test_stop_201(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig, how: str
) -> None:
    """Stop by RequestStopTransaction (EV stays in C) or by the EV (C -> B -> A)."""
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), rig.ev(1), period=0.1):
        charging = await steps.start_201(csms, dut, check)
        trace.event("Charging", charging.at)
        await asyncio.sleep(1.0)
        transaction = steps.transaction_of_201(csms)
        mark = rig.now()
        if how == "remote":
            answer = await csms.call("RequestStopTransaction", transactionId=transaction)
            check.equal(answer.get("status"), "Accepted", "RequestStopTransactionResponse status")
            trace.event("RequestStopTransaction", mark)
            await _after_remote(check, rig, trace, mark)
            reason = "Remote"
        else:
            await _unplug(check, rig, trace)
            reason = "EVDisconnected"
        ended = await csms.expect(
            "TransactionEvent",
            where={"eventType": "Ended", "transactionInfo": {"transactionId": transaction}},
            within=dut.timeouts.action,
            since=mark,
        )
        seen = ended["transactionInfo"].get("stoppedReason", "Local")
        check.should(
            seen == reason,
            f"TransactionEvent Ended stoppedReason: expected {reason}, saw {seen}",
            ref="2.0.1 E06",
        )
        await asyncio.sleep(0.3)
    csms.consume_all(since=charging.at)
    _plot(trace, f"PHY_201_stop[{how}]")

"""PHY power loss: mains off during a transaction, then on again.

With the mains off the station draws nothing and drops its connection; when they return it
boots (2.0.1 B01.FR.01: reason PowerUp), reports its connectors (the EV is still plugged in:
1.6 Preparing / 2.0.1 Occupied), ends the interrupted transaction by PowerLoss (1.6 §4.10,
§5.14: after the reboot unless it has backup power; 2.0.1 E: Ended, stoppedReason PowerLoss),
and delivers no energy without a new transaction (the analyzer reads no current).
"""

from __future__ import annotations

import asyncio

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import Trace, poll_until, sampling
from harness.cases.rig_session import PhysicalRig
from harness.cases.states import station_v16, station_v201
from harness.dut.device import Dut
from harness.report.plots import Panel
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message
from testcases.physical import steps

#: How long the mains stay off (s).
OFF_S = 1.0
#: With the mains off the outlet is dead at once; bound on seeing it (s).
DEAD_S = 0.5
#: After the boot, how long the analyzer must see no current (s).
QUIET_S = 2.0


async def _cycle_mains(rig: PhysicalRig, check: Checks, trace: Trace) -> float:
    """Mains off (outlet dead, connection dropped), OFF_S, mains on; return the on time."""
    source = rig.source(1)
    trace.event("mains off")
    off = rig.now()
    await source.output_off()
    took, current = await poll_until(
        rig.meter(1).current_a, lambda amps: amps == 0.0, DEAD_S, clock=rig.now
    )
    check.must(
        took is not None,
        f"no current within {DEAD_S:g} s of the mains going off: last {current:g} A",
        ref="IEC 61851-1",
    )
    await asyncio.sleep(max(0.0, OFF_S - (rig.now() - off)))
    trace.event("mains on")
    on = rig.now()
    await source.output_on()
    return on


async def _quiet(rig: PhysicalRig, check: Checks) -> None:
    """No energy without a new transaction: no current for QUIET_S after the boot."""
    meter = rig.meter(1)
    took, current = await poll_until(
        meter.current_a, lambda amps: amps > 0.0, QUIET_S, clock=rig.now, period=0.05
    )
    check.must(
        took is None,
        f"no current for {QUIET_S:g} s after the reboot without a new transaction: "
        + ("none" if took is None else f"{current:g} A after {took:.2f} s"),
        ref="1.6 §4.10 / 2.0.1 E (energy only within a transaction)",
    )


def _plot(trace: Trace, name: str) -> None:
    trace.save(
        "power_loss",
        f"{name}: mains off and on during a transaction",
        [
            Panel("current (A)", [trace.line("measured I (A)")]),
            Panel("PWM duty (%)", [trace.line("PWM duty (%)")]),
        ],
    )


@harness_case(
    "PHY_16_power_loss",
    version="1.6",
    dut_role="station",
    title="Mains off and on during a transaction: reboot, statuses, PowerLoss stop, no energy",
    section="Physical",
    profile="Physical",
    refs=("1.6 §4.2", "1.6 §4.9", "1.6 §4.10", "1.6 §5.14"),
    needs=("plug_in", "present_token"),
)
async def test_power_loss_16(csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
    """Charging, mains off 1 s, on: boot, Preparing, StopTransaction PowerLoss, no current."""
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), rig.ev(1), period=0.1):
        start = await steps.start_16(csms, dut, check)
        trace.event("StartTransaction", start.at)
        await asyncio.sleep(1.0)
        mark = rig.now()
        on = await _cycle_mains(rig, check, trace)
        boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=on)
        trace.event("BootNotification", boot.at)
        await station_v16.status(csms, dut, "Preparing", since=on)
        stop: Message = await station_v16.stopped(
            csms, dut, check, start, since=mark, reason="PowerLoss"
        )
        trace.event("StopTransaction", stop.at)
        await _quiet(rig, check)
    csms.consume_all(since=start.at)
    _plot(trace, "PHY_16_power_loss")


@harness_case(
    "PHY_201_power_loss",
    version="2.0.1",
    dut_role="station",
    title="Mains off and on during a transaction: boot PowerUp, statuses, Ended, no energy",
    section="Physical",
    profile="Physical",
    refs=("2.0.1 B01.FR.01", "2.0.1 B01.FR.05", "2.0.1 E06"),
    needs=("plug_in", "present_token"),
)
async def test_power_loss_201(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """Charging, mains off 1 s, on: boot PowerUp, Occupied, Ended PowerLoss, no current."""
    trace = Trace(rig)
    async with sampling(trace, rig.meter(1), rig.ev(1), period=0.1):
        charging = await steps.start_201(csms, dut, check)
        trace.event("Charging", charging.at)
        transaction = steps.transaction_of_201(csms)
        await asyncio.sleep(1.0)
        mark = rig.now()
        on = await _cycle_mains(rig, check, trace)
        boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=on)
        trace.event("BootNotification", boot.at)
        check.should(
            boot["reason"] == "PowerUp",
            f"BootNotification reason after the mains returned: expected PowerUp, "
            f"saw {boot['reason']}",
            ref="2.0.1 B01.FR.01",
        )
        await csms.expect_any(
            station_v201.connector_status(1, 1, "Occupied"), within=dut.timeouts.call, since=on
        )
        ended = await csms.expect(
            "TransactionEvent",
            where={"eventType": "Ended", "transactionInfo": {"transactionId": transaction}},
            within=dut.timeouts.action,
            since=mark,
        )
        trace.event("Ended", ended.at)
        seen = ended["transactionInfo"].get("stoppedReason", "Local")
        check.should(
            seen == "PowerLoss",
            f"Ended stoppedReason after the power loss: expected PowerLoss, saw {seen}",
            ref="2.0.1 E06 (StoppedReasonEnumType PowerLoss)",
        )
        await _quiet(rig, check)
    csms.consume_all(since=charging.at)
    _plot(trace, "PHY_201_power_loss")

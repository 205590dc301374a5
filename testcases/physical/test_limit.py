"""PHY charging limit: a TxProfile limits what actually flows, the pilot, and Current.Offered.

1.6 §3.13 / §5.16: after SetChargingProfile (TxProfile, 10 A) is Accepted the measured current
settles at or below the limit within SETTLE_S (the station applies it, then the EV follows the
new duty cycle: IEC 61851-1 gives the EV 5 s), stays there, the PWM duty signals the limit by
the IEC 61851-1 mapping (10-85 %: I = duty x 0.6 A), and MeterValues Current.Offered says it.
"""

from __future__ import annotations

import asyncio

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import (
    DUTY_TOLERANCE_PERCENT,
    Trace,
    amps_to_duty,
    close_to,
    duty_to_amps,
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
from testcases.v16.station.smart_charging_steps import profile, set_profile

LIMIT_A = 10.0
#: Station reaction (1 s) + the EV's reaction to a duty change (IEC 61851-1: 5 s).
SETTLE_S = 6.0
#: How long the limit is watched once settled (s).
HOLD_S = 2.0


@harness_case(
    "PHY_16_charging_limit",
    version="1.6",
    dut_role="station",
    title="A charging profile limits the measured current, the PWM duty and Current.Offered",
    section="Physical",
    profile="Physical",
    refs=("1.6 §3.13", "1.6 §5.16", "IEC 61851-1 duty cycle mapping"),
    needs=("plug_in", "present_token", "smart_charging"),
)
async def test_charging_limit_16(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """TxProfile 10 A during charging at 32 A: measured, pilot and reported all follow it."""
    meter, ev = rig.meter(1), rig.ev(1)
    relative = (meter.accuracy_percent + meter.reference_uncertainty_percent) / 100.0
    ceiling = LIMIT_A * (1 + relative) + 0.1
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "MeterValuesSampledData", steps.SAMPLED)
    await station_v16.configured(csms, "MeterValueSampleInterval", "1")
    trace = Trace(rig)
    async with sampling(trace, meter, ev, period=0.1):
        start = await station_v16.session(csms, dut, check)
        trace.event("StartTransaction", start.at)
        await asyncio.sleep(2.0)
        mark = rig.now()
        body = profile(
            100, "TxProfile", [(0, LIMIT_A)], transaction_id=station_v16.transaction_id(start)
        )
        await set_profile(csms, check, dut.connector_id(1, 1), body, "Accepted")
        trace.event(f"TxProfile {LIMIT_A:g} A", mark)
        took, current = await poll_until(
            meter.current_a, lambda amps: amps <= ceiling, SETTLE_S, clock=rig.now
        )
        check.must(
            took is not None,
            f"measured current at or below {LIMIT_A:g} A (+{100 * relative:g} % + 0.1 A "
            f"= {ceiling:.2f} A) within {SETTLE_S:g} s of SetChargingProfile: "
            + ("never" if took is None else f"after {took:.2f} s")
            + f", last {current:g} A",
            ref="1.6 §3.13; IEC 61851-1 (EV follows the duty within 5 s)",
        )
        settled = rig.now()
        await asyncio.sleep(HOLD_S)
        duty = await ev.pwm_duty_percent()
    offered_by_duty = duty_to_amps(duty)
    check.must(
        close_to(duty, amps_to_duty(LIMIT_A), DUTY_TOLERANCE_PERCENT),
        f"PWM duty {duty:.2f} % signals {offered_by_duty:.2f} A; the limit {LIMIT_A:g} A is "
        f"{amps_to_duty(LIMIT_A):.2f} % (+-{DUTY_TOLERANCE_PERCENT:g} %)",
        ref="IEC 61851-1 (10-85 %: I = duty x 0.6 A)",
    )
    held = [v for t, v in trace.line("measured I (A)").points if t >= settled]
    check.must(
        held and max(held) <= ceiling,
        f"current stays at or below {ceiling:.2f} A for {HOLD_S:g} s: max "
        f"{max(held, default=float('nan')):g} A over {len(held)} readings",
        ref="1.6 §3.13",
    )
    offered = [
        (at, v) for at, v in reported(csms.received("MeterValues"), "Current.Offered") if at > mark
    ]
    check.must(
        bool(offered) and all(close_to(v, LIMIT_A, 0.1) for at, v in offered if at >= settled),
        f"MeterValues Current.Offered after the profile is {LIMIT_A:g} A: saw "
        f"{[round(v, 1) for _, v in offered]}",
        ref="1.6 §4.7 (Current.Offered), §3.13",
    )
    csms.consume_all(since=start.at)
    duty_amps = Series(
        "current the PWM duty allows (A)",
        [(t, duty_to_amps(v)) for t, v in trace.line("PWM duty (%)").points],
        steps=True,
    )
    station = Series("station Current.Offered (A)", offered, markers=True)
    trace.save(
        "charging_limit",
        f"PHY_16_charging_limit: TxProfile {LIMIT_A:g} A",
        [
            Panel(
                "current (A)",
                [trace.line("measured I (A)"), duty_amps, station],
                limits=[(f"limit {LIMIT_A:g} A", LIMIT_A)],
            ),
            Panel("PWM duty (%)", [trace.line("PWM duty (%)")]),
        ],
    )

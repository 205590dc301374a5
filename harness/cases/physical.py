"""Measurement helpers of the physical cases: sampling, bounded polling, budgets, plots.

The numbers come from DESIGN.md "The rig" (IEC 61851-1 and metering practice); every wait is
bounded and every budget is stated in the check message that uses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.cases.rig_session import AsyncEv, AsyncMeter, PhysicalRig
from harness.report.plots import Panel, Series, plot
from harness.roles.exchange import Message

#: IEC 61851-1 timing rules (DESIGN.md table).
C_TO_B_OPEN_S = 0.1
PWM_OFF_OPEN_S = 6.0
B_TO_C_POWER_S = 3.0
#: Harness tolerance on the PWM duty an EVSE generates: +-0.5 % of the period (5 us of 1 ms).
DUTY_TOLERANCE_PERCENT = 0.5
#: Allowed skew (s) between a register snapshot (meterStart/meterStop) and the contactor edge.
SNAPSHOT_SKEW_S = 0.02
#: Sampling period of the background trace (s); polling period of edge measurements (s).
TRACE_PERIOD_S = 0.25
POLL_PERIOD_S = 0.005


def duty_to_amps(duty: float) -> float:
    """IEC 61851-1: 10-85 %: I = duty x 0.6 A; 85-96 %: (duty - 64) x 2.5 A; 8-10 %: 6 A."""
    if 8.0 <= duty < 10.0:
        return 6.0
    if 10.0 <= duty <= 85.0:
        return duty * 0.6
    if 85.0 < duty <= 96.0:
        return (duty - 64.0) * 2.5
    return 0.0


def amps_to_duty(amps: float) -> float:
    """The duty (%) that signals `amps` (inverse of `duty_to_amps`, 6-80 A)."""
    return amps / 0.6 if amps <= 51.0 else amps / 2.5 + 64.0


def sampled(values: Iterable[dict[str, Any]], measurand: str) -> float | None:
    """The first sampled value of `measurand` in 1.6 / 2.0.1 MeterValue structures.

    A sampledValue without a measurand is Energy.Active.Import.Register (1.6 §7.45, 2.0.1).
    """
    for value in values:
        for item in value.get("sampledValue", []):
            name = item.get("measurand", "Energy.Active.Import.Register")
            if name == measurand:
                number = float(item["value"])
                unit = item.get("unit") or (item.get("unitOfMeasure") or {}).get("unit")
                multiplier = (item.get("unitOfMeasure") or {}).get("multiplier", 0)
                number *= 10.0 ** int(multiplier)  # float pow: a huge multiplier overflows at once
                return float(number * 1000.0 if unit in ("kWh", "kW") else number)
    return None


def reported(messages: Iterable[Message], measurand: str) -> list[tuple[float, float]]:
    """(arrival time, value) of `measurand` in MeterValues / TransactionEvent messages."""
    points: list[tuple[float, float]] = []
    for message in messages:
        value = sampled(message.get("meterValue") or [], measurand)
        if value is not None:
            points.append((message.at, value))
    return points


async def poll_until(
    read: Callable[[], Awaitable[float]],
    ok: Callable[[float], bool],
    within: float,
    *,
    clock: Callable[[], float],
    period: float = POLL_PERIOD_S,
) -> tuple[float | None, float]:
    """Read until `ok(value)`; return (seconds it took or None, last value). Bounded."""
    start = clock()
    value = await read()
    while not ok(value):
        if clock() - start > within:
            return None, value
        await asyncio.sleep(period)
        value = await read()
    return clock() - start, value


@dataclass
class Trace:
    """Measured and reported values of one EVSE over the case's time axis, and events."""

    rig: PhysicalRig
    series: dict[str, Series] = field(default_factory=dict)
    events: list[tuple[float, str]] = field(default_factory=list)

    def line(self, label: str, *, steps: bool = False, markers: bool = False) -> Series:
        """The series called `label` (created on first use)."""
        if label not in self.series:
            self.series[label] = Series(label, steps=steps, markers=markers)
        return self.series[label]

    def event(self, label: str, at: float | None = None) -> None:
        """Mark a moment (a command sent, a pilot change) on every panel."""
        self.events.append((self.rig.now() if at is None else at, label))

    def save(self, name: str, title: str, panels: list[Panel]) -> None:
        """Write `<name>.png` into the case's artifacts and attach it to the report."""
        path = plot(self.rig.artifacts / f"{name}.png", title, panels, self.events)
        self.rig.attach(path)


@contextlib.asynccontextmanager
async def sampling(
    trace: Trace,
    meter: AsyncMeter,
    ev: AsyncEv | None = None,
    *,
    energy: bool = False,
    period: float = TRACE_PERIOD_S,
) -> AsyncIterator[None]:
    """Sample I, P (and the integrated energy, the PWM duty) every `period` s in the background."""

    async def run() -> None:
        while True:
            before = trace.rig.now()
            readings = {"measured I (A)": await meter.current_a()}
            readings["measured P (W)"] = await meter.power_w()
            if energy:
                readings["analyzer energy (Wh)"] = await meter.energy_wh()
            if ev is not None:
                readings["PWM duty (%)"] = await ev.pwm_duty_percent()
            t = (before + trace.rig.now()) / 2  # the readings' midpoint
            for label, value in readings.items():
                trace.line(label, steps=label.startswith("PWM")).add(t, value)
            await asyncio.sleep(period)

    task = asyncio.create_task(run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task  # a sampling failure (rig error) surfaces here


@dataclass(frozen=True)
class EnergyBudget:
    """Allowed |reported - measured| energy: meter class + reference + resolution + timing."""

    class_percent: float
    reference_percent: float
    resolution_wh: float
    timing_wh: float

    def allowed(self, measured_wh: float) -> float:
        """The budget (Wh) for a measured energy."""
        relative = (self.class_percent + self.reference_percent) / 100.0 * abs(measured_wh)
        return relative + self.resolution_wh + self.timing_wh

    def describe(self, measured_wh: float) -> str:
        """The budget with each term, for the check message."""
        return (
            f"budget {self.allowed(measured_wh):.2f} Wh = class {self.class_percent:g} % + "
            f"reference {self.reference_percent:g} % of {measured_wh:.2f} Wh + register "
            f"resolution {self.resolution_wh:g} Wh + timing {self.timing_wh:.2f} Wh "
            f"({SNAPSHOT_SKEW_S * 1000:g} ms snapshot skew at each end)"
        )


def energy_budget(meter: AsyncMeter, resolution_wh: float, peak_power_w: float) -> EnergyBudget:
    """The budget for a transaction measured with `meter` (its rig-file accuracy figures)."""
    return EnergyBudget(
        class_percent=meter.accuracy_percent,
        reference_percent=meter.reference_uncertainty_percent,
        resolution_wh=resolution_wh,
        timing_wh=2 * SNAPSHOT_SKEW_S * peak_power_w / 3600.0,
    )


def close_to(a: float, b: float, tolerance: float) -> bool:
    """|a - b| <= tolerance, with NaN never close."""
    return not (math.isnan(a) or math.isnan(b)) and abs(a - b) <= tolerance

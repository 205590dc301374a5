"""The `rig` a physical case drives: the opened bench behind one async boundary.

DESIGN.md "The rig": drivers are synchronous; async code reaches them only through
`Boundary` (a worker thread per call; a rig failure ends the case INCONCLUSIVE). How the bench
is opened, kept safe and closed around a case is `rig_attach`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from harness.outcomes import EnvironmentFailure
from harness.rig.bench import Bench
from harness.rig.errors import RigError
from harness.rig.roles import EvEmulator, PowerMeter, PowerSource
from harness.transport.wirelog import WireLog

P = ParamSpec("P")
T = TypeVar("T")

#: What a case sees when no rig is attached (N/A reason).
NO_RIG = "needs a lab rig: give --ocpp-rig PATH (rigs/virtual.toml is the virtual lab)"


class Boundary:
    """The one place async code calls the synchronous rig: a worker thread per call."""

    async def __call__(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `function` in a thread; a RigError ends the case INCONCLUSIVE."""
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except RigError as error:
            raise EnvironmentFailure(f"rig: {error}") from error


class AsyncEv:
    """An EV emulator seen from async code (IEC 61851-1 Annex A pilot states)."""

    def __init__(self, ev: EvEmulator, call: Boundary) -> None:
        self.driver = ev
        self.name = ev.name
        self._call = call

    async def set_cp_state(self, state: str) -> None:
        """Present pilot state A..F."""
        await self._call(self.driver.set_cp_state, state)

    async def cp_state(self) -> str:
        """The pilot state presented."""
        return await self._call(self.driver.cp_state)

    async def pwm_duty_percent(self) -> float:
        """The EVSE's PWM duty (%), 0 without PWM."""
        return await self._call(self.driver.pwm_duty_percent)

    async def cp_voltage(self) -> float:
        """Pilot plateau voltage (V)."""
        return await self._call(self.driver.cp_voltage)

    async def request_current(self, amps: float) -> None:
        """Make the EV draw at most `amps` per phase."""
        await self._call(self.driver.request_current, amps)

    async def inject_fault(self, kind: str, on: bool) -> None:
        """Switch the `diode` or `pe` fault on or off."""
        await self._call(self.driver.inject_fault, kind, on)


class AsyncMeter:
    """The reference meter of one EVSE seen from async code."""

    def __init__(self, meter: PowerMeter, call: Boundary) -> None:
        self.driver = meter
        self.name = meter.name
        self.accuracy_percent = meter.accuracy_percent
        self.reference_uncertainty_percent = meter.reference_uncertainty_percent
        self._call = call

    async def integration_reset(self) -> None:
        """Zero energy and time."""
        await self._call(self.driver.integration_reset)

    async def integration_start(self) -> None:
        """Start integrating."""
        await self._call(self.driver.integration_start)

    async def integration_stop(self) -> None:
        """Stop integrating (values hold)."""
        await self._call(self.driver.integration_stop)

    async def energy_wh(self) -> float:
        """Integrated energy (Wh)."""
        return await self._call(self.driver.energy_wh)

    async def voltage_v(self) -> float:
        """U (V rms)."""
        return await self._call(self.driver.voltage_v)

    async def current_a(self) -> float:
        """I (A rms)."""
        return await self._call(self.driver.current_a)

    async def power_w(self) -> float:
        """P (W)."""
        return await self._call(self.driver.power_w)


class AsyncSource:
    """A mains/DC source seen from async code."""

    def __init__(self, source: PowerSource, call: Boundary) -> None:
        self.driver = source
        self.name = source.name
        self._call = call

    async def output_on(self) -> None:
        """Output on."""
        await self._call(self.driver.output_on)

    async def output_off(self) -> None:
        """Output off."""
        await self._call(self.driver.output_off)

    async def is_output_on(self) -> bool:
        """Whether the output is on."""
        return await self._call(self.driver.is_output_on)


class PhysicalRig:
    """What a case gets as `rig`: instruments by EVSE, the case clock, plot attachments."""

    def __init__(self, bench: Bench, wirelog: WireLog, artifacts: Path) -> None:
        self.bench = bench
        self.description = bench.description
        self.wirelog = wirelog
        self.artifacts = artifacts
        self.attachments: list[Path] = []
        self.call = Boundary()

    def ev(self, evse: int = 1, connector: int = 1) -> AsyncEv:
        """The EV emulator on `evse`/`connector` (RigError -> INCONCLUSIVE if none)."""
        return AsyncEv(self._get(lambda: self.bench.ev(evse, connector)), self.call)

    def meter(self, evse: int = 1) -> AsyncMeter:
        """The reference meter on `evse`."""
        return AsyncMeter(self._get(lambda: self.bench.meter(evse)), self.call)

    def source(self, evse: int = 1) -> AsyncSource:
        """The source feeding `evse`."""
        return AsyncSource(self._get(lambda: self.bench.source(evse)), self.call)

    def sources(self) -> list[AsyncSource]:
        """Every source of the bench."""
        return [AsyncSource(s, self.call) for s in self.bench.sources()]

    @staticmethod
    def _get(pick: Callable[[], T]) -> T:
        try:
            return pick()
        except RigError as error:
            raise EnvironmentFailure(f"rig: {error}") from error

    def now(self) -> float:
        """Seconds on the case's wire-log clock."""
        return self.wirelog.now()

    def note(self, text: str) -> None:
        """Record a harness action on the rig in the wire log."""
        self.wirelog.record("action", f"rig: {text}")

    def attach(self, path: Path) -> None:
        """Attach a file from the case's artifacts folder to the report (plots)."""
        self.attachments.append(path)

"""The `rig` a physical case drives: the opened bench behind one async boundary, always safe.

DESIGN.md "The rig": drivers are synchronous; async code reaches them only through
`Boundary` (a worker thread per call, rig failures -> INCONCLUSIVE). `attached_rig` opens the
bench (for a virtual rig, on the ports the launched reference station announced), wraps it in
`SafeState` for the whole case (every source off, every EV in state A on any exit, Ctrl-C and
SIGTERM included), reads the safe state back into the wire log, and closes the bench.
Instrument I/O goes to the case's wire log as kind `instrument`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from harness.dut.backends import RigBackend
from harness.dut.device import Dut
from harness.dut.profile_model import Backend, DutProfile
from harness.outcomes import EnvironmentFailure
from harness.rig.bench import Bench
from harness.rig.errors import RigError, SafeStateError
from harness.rig.model import RigDescription
from harness.rig.roles import EvEmulator, PowerMeter, PowerSource
from harness.rig.safety import SafeState
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


#: DUT actions the rig performs itself; others go to the profile's backend.
RIG_ACTIONS = frozenset({"plug_in", "unplug", "ev_suspend", "ev_resume", "power_cycle"})
#: How long a rig power cycle keeps the mains off (s).
POWER_OFF_S = 1.0


class RigActions:
    """The `rig` DUT action backend's physical part: the EV emulator and the mains."""

    actions = RIG_ACTIONS

    def __init__(self, rig: PhysicalRig) -> None:
        self.rig = rig

    async def perform(self, action: str, params: Mapping[str, Any]) -> None:
        """plug_in: B then C (a ready EV drawing its maximum); unplug: B then A; ev_suspend: B;
        ev_resume: C; power_cycle: every source off for POWER_OFF_S, then on."""
        if action == "power_cycle":
            for source in self.rig.sources():
                await source.output_off()
            await asyncio.sleep(POWER_OFF_S)
            for source in self.rig.sources():
                await source.output_on()
            return
        evse, connector = int(params.get("evse", 1)), int(params.get("connector", 1))
        ev = self.rig.ev(evse, connector)
        if action == "plug_in":
            spec = self.rig.description.ev_for(evse, connector)
            wanted = spec.limits.max_current if spec is not None else None
            await ev.request_current(wanted if wanted is not None else 16.0)
            steps = ["B", "C"]
        else:
            steps = {"unplug": ["B", "A"], "ev_suspend": ["B"], "ev_resume": ["C"]}[action]
        for state in steps:
            await ev.set_cp_state(state)


def _virtual_resources(
    description: RigDescription, ready: Mapping[str, Any] | None
) -> RigDescription:
    """Fill the ports the launched station's virtual lab announced into a virtual rig."""
    served = (ready or {}).get("rig")
    if not isinstance(served, dict):
        raise EnvironmentFailure(
            f"rig {description.name!r} is virtual, but the station was not launched with its "
            "virtual lab (--virtual-rig)"
        )
    missing = [s.name for s in description.instruments if s.name not in served]
    if missing:
        raise EnvironmentFailure(
            f"the virtual lab serves {sorted(served)}, not {missing} of {description.path}"
        )
    return description.with_resources(
        {s.name: str(served[s.name]) for s in description.instruments}
    )


@contextlib.asynccontextmanager
async def attached_rig(
    description: RigDescription,
    wirelog: WireLog,
    artifacts: Path,
    ready: Mapping[str, Any] | None,
) -> AsyncIterator[PhysicalRig]:
    """Open the bench, keep it in SafeState while the case runs, confirm safe, close it."""
    if description.virtual:
        description = _virtual_resources(description, ready)
    loop = asyncio.get_running_loop()

    def on_io(instrument: str, direction: str, text: str) -> None:
        arrow = "out" if direction == "write" else "in"
        with contextlib.suppress(RuntimeError):  # the loop is closing: the entry is lost
            loop.call_soon_threadsafe(
                functools.partial(
                    wirelog.record, "instrument", text, direction=arrow, connection=instrument
                )
            )

    try:
        bench = await asyncio.to_thread(Bench.open, description, on_io=on_io)
    except RigError as error:
        raise EnvironmentFailure(f"rig {description.name!r} did not open: {error}") from error
    safe = SafeState(bench)
    try:
        safe.__enter__()
        rig = PhysicalRig(bench, wirelog, artifacts)
        try:
            yield rig
        except BaseException as error:
            safe.__exit__(type(error), error, error.__traceback__)
            raise
        try:
            safe.__exit__(None, None, None)
        except SafeStateError as error:
            raise EnvironmentFailure(f"rig safe state incomplete: {error}") from error
    finally:
        wirelog.record("action", f"rig: safe state read back: {_read_back(bench)}")
        bench.close()


def _read_back(bench: Bench) -> str:
    """Each source's output and each EV's pilot state as the instruments report them."""
    seen: list[str] = []
    for source in bench.sources():
        try:
            seen.append(f"{source.name} output {'ON' if source.is_output_on() else 'OFF'}")
        except Exception as error:
            seen.append(f"{source.name} unreadable ({error})")
    for ev in bench.evs():
        try:
            seen.append(f"{ev.name} state {ev.cp_state()}")
        except Exception as error:
            seen.append(f"{ev.name} unreadable ({error})")
    return ", ".join(seen) or "no sources or EV emulators"


# ---------------------------------------------------------------- runner integration
def wants_rig(function: Callable[..., Any]) -> bool:
    """True when the case function takes the `rig` parameter."""
    return "rig" in inspect.signature(function).parameters


def uses_bench(function: Callable[..., Any], profile: DutProfile) -> bool:
    """The case needs the opened bench: it takes `rig`, or the DUT's actions go to the rig."""
    return wants_rig(function) or profile.actions.backend is Backend.RIG


def rig_not_applicable(
    function: Callable[..., Any], description: RigDescription | None, profile: DutProfile
) -> str | None:
    """The N/A reason of a case taking `rig` that cannot get one, else None."""
    if not wants_rig(function):
        return None
    if description is None:
        return NO_RIG
    if description.virtual and not profile.launches_sim:
        return (
            f"rig {description.name!r} is the virtual lab, which only the reference station "
            "launched by the harness serves ([sim] launch = true)"
        )
    return None


@contextlib.asynccontextmanager
async def rig_for_case(
    function: Callable[..., Any],
    description: RigDescription | None,
    dut: Dut,
    ready: Mapping[str, Any] | None,
    wirelog: WireLog,
    artifacts: Path,
    arguments: dict[str, Any],
    attachments: list[Path],
) -> AsyncIterator[None]:
    """Around the case body: attach the rig when the case or the DUT's actions use it.

    The case gets `rig` (when it asks), the DUT's physical actions go to the rig (the other
    actions to the profile's backend), and the rig's attachments are appended to
    `attachments` however the case ends.
    """
    if description is None or not uses_bench(function, dut.profile):
        yield
        return
    async with attached_rig(description, wirelog, artifacts, ready) as rig:
        if wants_rig(function):
            arguments["rig"] = rig
        fallback = None if isinstance(dut.backend, RigBackend) else dut.backend
        dut.backend = RigBackend(RigActions(rig), fallback)
        try:
            yield
        finally:
            attachments.extend(rig.attachments)

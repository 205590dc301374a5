"""Attach the rig around a case: open the bench, keep it safe, route physical DUT actions.

`attached_rig` opens the bench (a virtual rig on the ports the launched reference station
announced), wraps it in `SafeState` for the whole case (every source off, every EV in state A
on any exit: failure, timeout, Ctrl-C, SIGTERM), reads the safe state back into the wire log and
closes the bench. Instrument I/O goes to the case's wire log as kind `instrument`.
`rig_for_case` is what the runner calls around a case body.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

from harness.cases.rig_session import NO_RIG, PhysicalRig
from harness.dut.backends import RigBackend
from harness.dut.device import Dut
from harness.dut.profile_model import Backend, DutProfile
from harness.outcomes import EnvironmentFailure
from harness.rig.bench import Bench
from harness.rig.errors import RigError, SafeStateError
from harness.rig.model import RigDescription
from harness.rig.safety import SafeState
from harness.transport.wirelog import WireLog

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
    description: RigDescription, ready: Mapping[str, Any] | None, wirelog: WireLog
) -> RigDescription:
    """Fill the ports the launched station's virtual lab announced into a virtual rig.

    Instruments of the rig file the lab does not serve (an EVSE the station does not have)
    are left out, with a note in the wire log.
    """
    served = (ready or {}).get("rig")
    if not isinstance(served, dict):
        raise EnvironmentFailure(
            f"rig {description.name!r} is virtual, but the station was not launched with its "
            "virtual lab (--virtual-rig)"
        )
    kept = tuple(s for s in description.instruments if s.name in served)
    unserved = [s.name for s in description.instruments if s.name not in served]
    if not kept:
        raise EnvironmentFailure(
            f"the virtual lab serves {sorted(served)}, none of {unserved} ({description.path})"
        )
    if unserved:
        wirelog.record("action", f"rig: the virtual lab does not serve {unserved}; left out")
    description = dataclasses.replace(description, instruments=kept)
    return description.with_resources({s.name: str(served[s.name]) for s in kept})


@contextlib.asynccontextmanager
async def attached_rig(
    description: RigDescription,
    wirelog: WireLog,
    artifacts: Path,
    ready: Mapping[str, Any] | None,
) -> AsyncIterator[PhysicalRig]:
    """Open the bench, keep it in SafeState while the case runs, confirm safe, close it."""
    if description.virtual:
        description = _virtual_resources(description, ready, wirelog)
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
        names = ", ".join(bench.instruments)
        wirelog.record("action", f"rig: {description.name!r} opened ({names}); safe state guarded")
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

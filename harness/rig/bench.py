"""The opened bench: every instrument of a rig description, reachable by the part it plays.

`Bench.open(description)` opens each instrument (VISA through pyvisa's `@py` backend unless a
resource manager is given; shell hooks; plug-ins), asks VISA instruments `*IDN?` and runs their
setup. Instrument I/O can be recorded with `on_io(instrument, direction, text)`.
Synchronous: async code calls it from a worker thread.
"""

from __future__ import annotations

import contextlib
from types import TracebackType
from typing import Any, cast

from harness.rig.catalog import driver_info
from harness.rig.drivers import VISA_DRIVERS
from harness.rig.drivers.base import IoCallback, ScpiInstrument
from harness.rig.drivers.meter_base import IntegratingMeter
from harness.rig.errors import RigError
from harness.rig.ev.command_ev import CommandEv
from harness.rig.ev.plugins import open_plugin
from harness.rig.model import InstrumentSpec, RigDescription
from harness.rig.roles import EvEmulator, Instrument, PowerMeter, PowerSource


class Bench:
    """Opened instruments by name, with typed access by role and wiring."""

    def __init__(
        self,
        description: RigDescription,
        instruments: dict[str, Instrument],
        resource_manager: Any = None,
        owns_resource_manager: bool = False,
    ) -> None:
        self.description = description
        self.instruments = instruments
        self.identities: dict[str, str] = {}
        self._resource_manager = resource_manager
        self._owns_resource_manager = owns_resource_manager
        self.closed = False

    @classmethod
    def open(
        cls,
        description: RigDescription,
        resource_manager: Any = None,
        *,
        on_io: IoCallback | None = None,
    ) -> Bench:
        """Open every instrument; on any failure close what was opened and raise RigError."""
        owns = False
        if resource_manager is None and any(_kind(s) == "visa" for s in description.instruments):
            import pyvisa

            try:
                resource_manager = pyvisa.ResourceManager("@py")
            except Exception as exc:
                raise RigError(f"cannot start the pyvisa-py backend: {exc}") from exc
            owns = True
        bench = cls(description, {}, resource_manager, owns)
        try:
            for spec in description.instruments:
                bench.instruments[spec.name] = bench._open_one(spec, on_io)
        except BaseException:
            bench.close()
            raise
        return bench

    def _open_one(self, spec: InstrumentSpec, on_io: IoCallback | None) -> Instrument:
        kind = _kind(spec)
        if kind == "command":
            return CommandEv(spec, on_io)
        if kind == "plugin":
            return open_plugin(spec, on_io)
        if spec.resource is None:
            raise RigError(f"{spec.name}: no VISA resource (a virtual rig needs its ports)")
        try:
            transport = self._resource_manager.open_resource(
                spec.resource,
                read_termination=spec.read_termination,
                write_termination=spec.write_termination,
                timeout=spec.timeout_ms,
            )
        except Exception as exc:
            raise RigError(f"{spec.name}: cannot open {spec.resource}: {exc}") from exc
        driver: ScpiInstrument = VISA_DRIVERS[spec.driver](
            transport,
            name=spec.name,
            limits=spec.limits,
            ramp=spec.ramp,
            element=spec.element,
            on_io=on_io,
        )
        try:
            if isinstance(driver, IntegratingMeter):
                driver.configure_accuracy(
                    spec.accuracy_percent or 0.0, spec.reference_uncertainty_percent
                )
            self.identities[spec.name] = driver.identify()
            driver.setup()
        except BaseException:
            driver.close()
            raise
        return driver

    # -- access by role -----------------------------------------------------------------------

    def _get(self, spec: InstrumentSpec | None, what: str) -> Instrument:
        if spec is None:
            raise RigError(f"rig {self.description.name!r} has no {what}")
        return self.instruments[spec.name]

    def source(self, evse: int) -> PowerSource:
        """The source feeding `evse` (its own, else the station-wide one)."""
        spec = self.description.source_for(evse)
        return cast(PowerSource, self._get(spec, f"source for EVSE {evse}"))

    def meter(self, evse: int) -> PowerMeter:
        """The reference meter on `evse` (its own, else the station-wide one)."""
        spec = self.description.meter_for(evse)
        return cast(PowerMeter, self._get(spec, f"power meter on EVSE {evse}"))

    def ev(self, evse: int, connector: int = 1) -> EvEmulator:
        """The EV emulator on `evse`/`connector`."""
        spec = self.description.ev_for(evse, connector)
        what = f"EV emulator on EVSE {evse} connector {connector}"
        return cast(EvEmulator, self._get(spec, what))

    def sources(self) -> list[PowerSource]:
        """Every opened source."""
        specs = self.description.sources()
        return [cast(PowerSource, self.instruments[s.name]) for s in specs if s.name in self]

    def evs(self) -> list[EvEmulator]:
        """Every opened EV emulator."""
        specs = self.description.ev_emulators()
        return [cast(EvEmulator, self.instruments[s.name]) for s in specs if s.name in self]

    def __contains__(self, name: object) -> bool:
        return name in self.instruments

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close every instrument (their state is left as is: use SafeState first).

        The resource manager stays open: pyvisa shares one default session per backend in a
        process, so closing it would end other benches' (and the safety guard's) sessions.
        """
        for instrument in self.instruments.values():
            with contextlib.suppress(Exception):  # closing the others matters more
                instrument.close()
        self.closed = True

    def __enter__(self) -> Bench:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _kind(spec: InstrumentSpec) -> str:
    info = driver_info(spec.driver)
    if info is None:
        raise RigError(f"{spec.name}: unknown driver {spec.driver!r}")
    return info.kind

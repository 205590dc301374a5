"""The rig model: which instrument plays which part, where it is wired, its limits.

Immutable data the bench, the safety guard and the physical cases share; `description.py`
reads it from `rigs/*.toml`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harness.rig.catalog import SOURCE_ROLES

#: MID accuracy classes (EN 50470-3 / MID annex MI-003) as maximum percentage error.
ACCURACY_CLASSES: dict[str, float] = {"A": 2.0, "B": 1.0, "C": 0.5}

#: Operations a `command_ev` may define, with the placeholders each may use besides
#: the common ones (`instrument`, `evse`, `connector`).
COMMAND_EV_OPERATIONS: dict[str, tuple[str, ...]] = {
    "set_cp_state": ("state",),
    "cp_state": (),
    "pwm_duty": (),
    "cp_voltage": (),
    "request_current": ("amps",),
    "requested_current": (),
    "inject_fault": ("kind", "on"),
    "safe_state": (),
}
COMMON_PLACEHOLDERS: tuple[str, ...] = ("instrument", "evse", "connector")


@dataclass(frozen=True)
class Limits:
    """Safety limits from `[instrument.limits]`; every setpoint is checked before writing."""

    max_voltage: float | None = None
    max_current: float | None = None
    max_power: float | None = None


@dataclass(frozen=True)
class Ramp:
    """Optional ramping of source setpoints (`[instrument.ramp]`): step size and dwell."""

    voltage_step: float | None = None
    current_step: float | None = None
    dwell_ms: int = 100


@dataclass(frozen=True)
class InstrumentSpec:
    """One `[[instrument]]` of the rig file."""

    name: str
    role: str
    driver: str
    evse: int
    connector: int | None = None
    resource: str | None = None
    element: int = 1
    accuracy_percent: float | None = None
    accuracy_class: str | None = None
    reference_uncertainty_percent: float = 0.0
    limits: Limits = field(default_factory=Limits)
    ramp: Ramp = field(default_factory=Ramp)
    timeout_ms: int = 5000
    read_termination: str = "\n"
    write_termination: str = "\n"
    commands: Mapping[str, str] = field(default_factory=dict)
    entry_point: str | None = None
    options: Mapping[str, str | int | float | bool] = field(default_factory=dict)

    @property
    def is_source(self) -> bool:
        """True for AC and DC sources."""
        return self.role in SOURCE_ROLES


@dataclass(frozen=True)
class RigDescription:
    """A whole bench: its name, whether the harness runs it as the virtual lab, its instruments."""

    name: str
    path: Path
    instruments: tuple[InstrumentSpec, ...]
    virtual: bool = False

    def instrument(self, name: str) -> InstrumentSpec:
        """The instrument called `name` (KeyError naming the known ones otherwise)."""
        for spec in self.instruments:
            if spec.name == name:
                return spec
        known = ", ".join(s.name for s in self.instruments)
        raise KeyError(f"rig {self.name!r} has no instrument {name!r} (known: {known})")

    def with_resources(self, resources: Mapping[str, str]) -> RigDescription:
        """A copy whose instruments named in `resources` get those VISA resource strings."""
        for name in resources:
            self.instrument(name)
        instruments = tuple(
            dataclasses.replace(s, resource=resources[s.name]) if s.name in resources else s
            for s in self.instruments
        )
        return dataclasses.replace(self, instruments=instruments)

    def sources(self) -> tuple[InstrumentSpec, ...]:
        """Every AC/DC source."""
        return tuple(s for s in self.instruments if s.is_source)

    def ev_emulators(self) -> tuple[InstrumentSpec, ...]:
        """Every EV emulator."""
        return tuple(s for s in self.instruments if s.role == "ev_emulator")

    def source_for(self, evse: int) -> InstrumentSpec | None:
        """The source feeding `evse`: its own, else the station-wide one (evse 0)."""
        return _first(self.sources(), evse) or _first(self.sources(), 0)

    def meter_for(self, evse: int) -> InstrumentSpec | None:
        """The reference meter measuring `evse` (or the station-wide one, evse 0)."""
        meters = tuple(s for s in self.instruments if s.role == "power_meter")
        return _first(meters, evse) or _first(meters, 0)

    def ev_for(self, evse: int, connector: int = 1) -> InstrumentSpec | None:
        """The EV emulator plugged into `evse`/`connector`."""
        for spec in self.ev_emulators():
            if spec.evse == evse and spec.connector == connector:
                return spec
        return None

    def evses(self) -> tuple[int, ...]:
        """The EVSE ids the rig wires (0, station-wide, left out)."""
        return tuple(sorted({s.evse for s in self.instruments if s.evse > 0}))


def _first(specs: tuple[InstrumentSpec, ...], evse: int) -> InstrumentSpec | None:
    return next((s for s in specs if s.evse == evse), None)

"""A vendor EV-emulator plug-in as a third party would write it (used by test_rig_ev)."""

from __future__ import annotations

from typing import Any


class SampleEv:
    """Keeps its state in memory and records every call."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.state = "A"
        self.amps = 0.0
        self.faults: dict[str, bool] = {"diode": False, "pe": False}

    def set_cp_state(self, state: str) -> None:
        self.calls.append(("set_cp_state", (state,)))
        self.state = state

    def cp_state(self) -> str:
        return self.state.lower()

    def pwm_duty_percent(self) -> float:
        return 53.3

    def cp_voltage(self) -> float:
        return 9.0 if self.state == "B" else 12.0

    def request_current(self, amps: float) -> None:
        self.calls.append(("request_current", (amps,)))
        self.amps = amps

    def requested_current(self) -> float:
        return self.amps

    def inject_fault(self, kind: str, on: bool) -> None:
        self.calls.append(("inject_fault", (kind, on)))
        if kind == "pe" and on and self.spec.options.get("pe_breaks"):
            raise OSError("relay stuck")
        self.faults[kind] = on


def make(spec: Any) -> SampleEv:
    """The factory a rig file names: `entry_point = "tests.rig.plugin_sample:make"`."""
    return SampleEv(spec)


def broken(spec: Any) -> SampleEv:
    """A factory that fails to start."""
    raise RuntimeError("no USB device")


class Incomplete:
    """Lacks most EvEmulator methods."""

    def set_cp_state(self, state: str) -> None:
        """Only this."""


def incomplete(spec: Any) -> Incomplete:
    """A factory whose object is not an EV emulator."""
    return Incomplete()
